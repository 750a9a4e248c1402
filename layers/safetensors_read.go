package layers

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/internal/modelio"
	"github.com/fastpath-go/fastpath/internal/safetensors"
)

var (
	tensorNameRE = regexp.MustCompile(`^(\d+)\.(weight|bias|running_mean|running_var|num_batches_tracked)$`)
	batchNormRE  = regexp.MustCompile(`^BatchNorm1d\(\s*(\d+)\s*((?:,\s*\w+\s*=\s*[^,()]+\s*)*)\)$`)
	moduleRE     = regexp.MustCompile(`^(Linear\(\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*bias\s*=\s*(True|False)\s*)?\)|ReLU\(\s*(?:inplace\s*=\s*(?:True|False)\s*)?\)|Dropout\(\s*(?:p\s*=\s*)?([0-9.eE+-]+)?\s*(?:,\s*inplace\s*=\s*(?:True|False)\s*)?\))$`)
)

// LoadSafetensors reads a network from a safetensors file: see
// ReadSafetensors. Errors name the file.
func LoadSafetensors(path string) (net *Network, err error) {
	err = modelio.ReadSized(path, func(r io.Reader, size int64) (err error) {
		net, err = ReadSafetensors(r, size)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return net, nil
}

// ReadSafetensors reads a network from the safetensors form (size bytes in
// all) of a PyTorch torch.nn.Sequential of Linear, BatchNorm1d, ReLU and
// Dropout modules: the file WriteSafetensors writes, or the one PyTorch
// writes with safetensors.torch.save_file(model.state_dict(), path).
// Tensors are named "k.weight" (out x in) and "k.bias" (out) after the
// Linear module's index k, and "k.weight", "k.bias", "k.running_mean",
// "k.running_var" (and "k.num_batches_tracked", ignored) for a BatchNorm1d
// (affine, with running statistics; it becomes a BatchNorm layer); dtypes
// F32, F64 and I64 are read (rounded to float32); a Linear without bias
// gets a zero one.
//
// The modules between the Linear layers are not in the state_dict: they
// come from the "torch_modules" metadata when the file has it (fastpath
// writes it), and are otherwise taken to be a ReLU, followed by Dropout
// (p = 0: the file cannot say) for any further module — or, for a module
// with running statistics right after a Linear, a BatchNorm1d with
// PyTorch's default eps and momentum and the ReLU after it — with no
// module after the last Linear: the usual MLP; give the modules explicitly with
// ReadSafetensorsModules when the network differs.
//
// A malformed file (bad header, overlapping or missing tensor data, shapes
// that do not chain, other tensors) is an error wrapping ErrFormat.
func ReadSafetensors(r io.Reader, size int64) (*Network, error) {
	return ReadSafetensorsModules(r, size, "")
}

// ReadSafetensorsModules is ReadSafetensors with the module list given as
// PyTorch prints it, "Linear(784, 1000), ReLU(), Dropout(p=0.5),
// Linear(1000, 10)" (an empty string uses the file's metadata or the
// default described at ReadSafetensors).
func ReadSafetensorsModules(r io.Reader, size int64, modules string) (*Network, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: safetensors: "+format, append([]any{ErrFormat}, a...)...)
	}
	tensors, md, err := safetensors.Decode(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if modules == "" {
		modules = md["torch_modules"]
	}
	// The Linear and BatchNorm1d modules, by index: a module with running
	// statistics is a BatchNorm1d.
	type linear struct{ w, b, rm, rv *safetensors.Tensor }
	lin := map[int]*linear{}
	for name := range tensors {
		t := tensors[name]
		m := tensorNameRE.FindStringSubmatch(name)
		if m == nil {
			return nil, bad("tensor %q is not a parameter of a Linear or BatchNorm1d module of a Sequential", name)
		}
		k, err := strconv.Atoi(m[1])
		if err != nil || k > 3*MaxLayers {
			return nil, bad("module index in %q", name)
		}
		l := lin[k]
		if l == nil {
			l = &linear{}
			lin[k] = l
		}
		switch m[2] {
		case "bias", "running_mean", "running_var":
			if len(t.Shape) != 1 {
				return nil, bad("%q has shape %v", name, t.Shape)
			}
			switch m[2] {
			case "bias":
				l.b = &t
			case "running_mean":
				l.rm = &t
			default:
				l.rv = &t
			}
		case "num_batches_tracked": // PyTorch's count; fastpath keeps none
		default:
			if len(t.Shape) < 1 || len(t.Shape) > 2 || t.Shape[0] < 1 || (len(t.Shape) == 2 && t.Shape[1] < 1) {
				return nil, bad("weight %q has shape %v", name, t.Shape)
			}
			l.w = &t
		}
	}
	idx := make([]int, 0, len(lin))
	bns := map[int]bool{}
	for k, l := range lin {
		if (l.rm != nil) != (l.rv != nil) {
			return nil, bad("module %d has one running statistic without the other", k)
		}
		if l.rm != nil {
			// BatchNorm1d: weight, bias (affine), running mean and variance
			// of one size.
			n := l.rm.Shape[0]
			if l.w == nil || l.b == nil || len(l.w.Shape) != 1 || l.w.Shape[0] != n || l.b.Shape[0] != n || l.rv.Shape[0] != n {
				return nil, bad("module %d: a BatchNorm1d needs weight, bias, running_mean and running_var of one size (affine=True, track_running_stats=True)", k)
			}
			bns[k] = true
			continue
		}
		if l.w == nil {
			return nil, bad("module %d has a bias and no weight", k)
		}
		if len(l.w.Shape) != 2 {
			return nil, bad("module %d: weight of shape %v without running statistics", k, l.w.Shape)
		}
		if l.b != nil && l.b.Shape[0] != l.w.Shape[0] {
			return nil, bad("module %d: bias of %d for %d outputs", k, l.b.Shape[0], l.w.Shape[0])
		}
		idx = append(idx, k)
	}
	if len(idx) == 0 {
		return nil, bad("no Linear weights")
	}
	sort.Ints(idx)
	// The module list: given, or inferred.
	var mods []string
	if modules != "" {
		mods = splitModules(modules)
	} else {
		for i, k := range idx {
			if i == 0 && k != 0 {
				return nil, bad("the first Linear is module %d: the modules before it are unknown (give them with ReadSafetensorsModules)", k)
			}
			w := lin[k].w.Shape
			mods = append(mods, fmt.Sprintf("Linear(%d, %d)", w[1], w[0]))
			if i+1 < len(idx) {
				// A BatchNorm1d right after the Linear, then a ReLU, then
				// dropouts.
				relu := k + 1
				for g := k + 1; g < idx[i+1]; g++ {
					switch {
					case bns[g] && g == k+1:
						mods = append(mods, fmt.Sprintf("BatchNorm1d(%d)", w[0]))
						relu = g + 1
					case g == relu:
						mods = append(mods, "ReLU()")
					default:
						mods = append(mods, "Dropout(p=0)")
					}
				}
			}
		}
	}
	if len(mods) > MaxLayers {
		return nil, bad("%d modules", len(mods))
	}
	var ls []Layer
	nlin := 0
	// Modules before the first Linear (an input dropout) take its width.
	width := -1
	for _, mod := range mods {
		if m := moduleRE.FindStringSubmatch(mod); m != nil && strings.HasPrefix(mod, "Linear") {
			width, _ = strconv.Atoi(m[2])
			break
		}
	}
	nbn := 0
	for k, mod := range mods {
		if bm := batchNormRE.FindStringSubmatch(mod); bm != nil {
			n, _ := strconv.Atoi(bm[1])
			l := lin[k]
			switch {
			case !bns[k]:
				return nil, bad("module %d is %s without running statistics in the file", k, mod)
			case n != width || l.rm.Shape[0] != n:
				return nil, bad("module %d %s follows %d outputs and holds %d features", k, mod, width, l.rm.Shape[0])
			}
			bn := NewBatchNorm(n, false)
			for _, kv := range splitModules(bm[2]) {
				if kv == "" {
					continue
				}
				key, val, _ := strings.Cut(kv, "=")
				key, val = strings.TrimSpace(key), strings.TrimSpace(val)
				v, err := strconv.ParseFloat(val, 64)
				switch {
				case key == "eps" && err == nil && v > 0 && !math.IsInf(v, 0):
					bn.Eps = float32(v)
				case key == "momentum" && err == nil && v > 0 && v <= 1:
					bn.Momentum = float32(v)
				case (key == "affine" || key == "track_running_stats") && val == "True":
				default:
					return nil, bad("module %d %s: %s is not supported (eps > 0, momentum in (0, 1], affine and running statistics on)", k, mod, kv)
				}
			}
			copy(bn.Gamma, l.w.Data)
			copy(bn.Beta, l.b.Data)
			copy(bn.RunMean, l.rm.Data)
			copy(bn.RunVar, l.rv.Data)
			ls = append(ls, bn)
			nbn++
			continue
		}
		m := moduleRE.FindStringSubmatch(mod)
		if m == nil {
			return nil, bad("module %d %q is not Linear, BatchNorm1d, ReLU or Dropout", k, mod)
		}
		switch {
		case strings.HasPrefix(mod, "Linear"):
			in, _ := strconv.Atoi(m[2])
			out, _ := strconv.Atoi(m[3])
			l := lin[k]
			if l == nil {
				return nil, bad("module %d is a Linear without weights in the file", k)
			}
			if w := l.w.Shape; w[0] != out || w[1] != in {
				return nil, bad("module %d is %s but its weight is %v", k, mod, w)
			}
			if in < 1 || out < 1 || in > MaxFeatures || out > MaxFeatures || int64(in)*int64(out) > MaxParams {
				return nil, bad("module %d %s is too large", k, mod)
			}
			if in != width {
				return nil, bad("module %d takes %d inputs after %d outputs", k, in, width)
			}
			d := NewDense(in, out, false)
			copy(d.W.Data, l.w.Data)
			if l.b != nil {
				copy(d.B, l.b.Data)
			}
			ls = append(ls, d)
			nlin++
			width = out
		case width < 1:
			return nil, bad("module %d %q: no Linear module gives the width", k, mod)
		case strings.HasPrefix(mod, "ReLU"):
			ls = append(ls, NewReLU(width))
		default:
			p := 0.5 // PyTorch's default
			if m[5] != "" {
				var err error
				if p, err = strconv.ParseFloat(m[5], 64); err != nil || !(p >= 0 && p < 1) {
					return nil, bad("module %d %q: probability outside [0, 1)", k, mod)
				}
			}
			ls = append(ls, NewDropout(width, float32(p), 0))
		}
	}
	if nlin != len(idx) || nbn != len(bns) {
		return nil, bad("the modules name %d Linear and %d BatchNorm1d layers, the file holds %d and %d", nlin, nbn, len(idx), len(bns))
	}
	net, err := NewNetwork(ls...)
	if err != nil {
		return nil, bad("%v", err)
	}
	return net, nil
}

// splitModules splits "Linear(2, 3), ReLU(), Dropout(p=0.5)" at the commas
// outside parentheses.
func splitModules(s string) []string {
	var out []string
	depth, start := 0, 0
	for i, c := range s {
		switch c {
		case '(':
			depth++
		case ')':
			depth--
		case ',':
			if depth == 0 {
				out = append(out, strings.TrimSpace(s[start:i]))
				start = i + 1
			}
		}
	}
	if t := strings.TrimSpace(s[start:]); t != "" {
		out = append(out, t)
	}
	return out
}
