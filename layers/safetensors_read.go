package layers

import (
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/internal/modelio"
	"github.com/fastpath-go/fastpath/internal/safetensors"
)

var (
	tensorNameRE = regexp.MustCompile(`^(\d+)\.(weight|bias)$`)
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
// all) of a PyTorch torch.nn.Sequential of Linear, ReLU and Dropout
// modules: the file WriteSafetensors writes, or the one PyTorch writes with
// safetensors.torch.save_file(model.state_dict(), path). Tensors are named
// "k.weight" (out x in) and "k.bias" (out) after the Linear module's index
// k; dtypes F32 and F64 are read (F64 rounded to float32); a Linear
// without bias gets a zero one.
//
// The modules between the Linear layers are not in the state_dict: they
// come from the "torch_modules" metadata when the file has it (fastpath
// writes it), and are otherwise taken to be a ReLU, followed by Dropout
// (p = 0: the file cannot say) for any further module, with no module
// after the last Linear — the usual MLP; give the modules explicitly with
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
	// The Linear modules, by index.
	type linear struct{ w, b *safetensors.Tensor }
	lin := map[int]*linear{}
	for name := range tensors {
		t := tensors[name]
		m := tensorNameRE.FindStringSubmatch(name)
		if m == nil {
			return nil, bad("tensor %q is not the weight or bias of a Linear module of a Sequential", name)
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
		if m[2] == "bias" {
			if len(t.Shape) != 1 {
				return nil, bad("bias %q has shape %v", name, t.Shape)
			}
			l.b = &t
		} else {
			if len(t.Shape) != 2 || t.Shape[0] < 1 || t.Shape[1] < 1 {
				return nil, bad("weight %q has shape %v", name, t.Shape)
			}
			l.w = &t
		}
	}
	idx := make([]int, 0, len(lin))
	for k, l := range lin {
		if l.w == nil {
			return nil, bad("module %d has a bias and no weight", k)
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
				for g := k + 1; g < idx[i+1]; g++ {
					if g == k+1 {
						mods = append(mods, "ReLU()")
					} else {
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
	for k, mod := range mods {
		m := moduleRE.FindStringSubmatch(mod)
		if m == nil {
			return nil, bad("module %d %q is not Linear, ReLU or Dropout", k, mod)
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
	if nlin != len(idx) {
		return nil, bad("the modules name %d Linear layers, the file holds %d", nlin, len(idx))
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
