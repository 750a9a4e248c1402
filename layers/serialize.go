package layers

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"

	"github.com/fastpath-go/fastpath/checkpoint"
	"github.com/fastpath-go/fastpath/internal/atomicfile"
	"github.com/fastpath-go/fastpath/internal/modelio"
)

// Model file format, version 1. All integers and floats are little-endian.
//
//	header  "FPNN"                       magic
//	        uint32 version               1
//	        uint32 L                     number of layers
//	        L records of 16 bytes:
//	          uint8  kind                1 dense, 2 relu, 3 dropout,
//	                                     4 batchnorm, 5 ddpnorm
//	          uint8  flags               dense, batchnorm, ddpnorm: bit 0 =
//	                                     fused ReLU; else 0
//	          uint16 reserved            0
//	          uint32 in, out             feature counts (in = out but for dense)
//	          float32 p                  dropout probability, batchnorm eps,
//	                                     ddpnorm alpha; else 0
//	        uint32 CRC-32 (IEEE) of the header bytes above
//	data    for each layer with data, in order (float32 throughout):
//	          dense      W (out*in, row-major), then b (out)
//	          batchnorm  momentum, then gamma, beta, running mean,
//	                     running variance (out each)
//	          ddpnorm    momentum, tracked (0 or 1), then the running
//	                     average of E[z^2] (out)
//	        uint32 CRC-32 (IEEE) of the data bytes
//
// A file with only dense, relu and dropout layers is byte for byte what
// the first release wrote.
//
// The header has its own checksum so that a corrupted shape is reported
// before anything is allocated for it. Load reads exactly one model and
// nothing after it.
const (
	modelMagic   = "FPNN"
	modelVersion = 1
	recordSize   = 16

	kindDense     = 1
	kindReLU      = 2
	kindDropout   = 3
	kindBatchNorm = 4
	kindDDPNorm   = 5
)

var crcTable = crc32.MakeTable(crc32.IEEE)

// Save writes the network's architecture and parameters to w in fastpath's
// model format (see serialize.go: magic, version, shapes, CRC-32 checksums).
// Gradients, optimizer state and dropout generator states are not saved.
func (n *Network) Save(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	h := crc32.New(crcTable)
	head := make([]byte, 12, 12+recordSize*len(n.layers)+4)
	copy(head, modelMagic)
	binary.LittleEndian.PutUint32(head[4:], modelVersion)
	binary.LittleEndian.PutUint32(head[8:], uint32(len(n.layers)))
	for _, l := range n.layers {
		var rec [recordSize]byte
		switch l := l.(type) {
		case *Dense:
			rec[0] = kindDense
			if l.ReLU {
				rec[1] = 1
			}
		case *ReLU:
			rec[0] = kindReLU
		case *Dropout:
			rec[0] = kindDropout
			binary.LittleEndian.PutUint32(rec[12:], math.Float32bits(l.P))
		case *BatchNorm:
			rec[0] = kindBatchNorm
			if l.ReLU {
				rec[1] = 1
			}
			binary.LittleEndian.PutUint32(rec[12:], math.Float32bits(l.Eps))
		case *DDPNorm:
			rec[0] = kindDDPNorm
			if l.ReLU {
				rec[1] = 1
			}
			binary.LittleEndian.PutUint32(rec[12:], math.Float32bits(l.Alpha))
		}
		binary.LittleEndian.PutUint32(rec[4:], uint32(l.InSize()))
		binary.LittleEndian.PutUint32(rec[8:], uint32(l.OutSize()))
		head = append(head, rec[:]...)
	}
	head = binary.LittleEndian.AppendUint32(head, crc32.Checksum(head, crcTable))
	if _, err := bw.Write(head); err != nil {
		return err
	}
	buf := make([]byte, 0, 1<<16)
	for _, l := range n.layers {
		for _, s := range layerData(l) {
			if err := modelio.WriteFloats(bw, h, buf, s); err != nil {
				return err
			}
		}
	}
	var sum [4]byte
	binary.LittleEndian.PutUint32(sum[:], h.Sum32())
	if _, err := bw.Write(sum[:]); err != nil {
		return err
	}
	return bw.Flush()
}

// layerData returns the arrays a layer keeps in the model file's data
// section, in order; the scalars of normalization layers are in a one-
// element array that loadLayerData moves back into the layer.
func layerData(l Layer) [][]float32 {
	switch l := l.(type) {
	case *Dense:
		return [][]float32{l.W.Data[:l.W.Rows*l.W.Cols], l.B}
	case *BatchNorm:
		return [][]float32{{l.Momentum}, l.Gamma, l.Beta, l.RunMean, l.RunVar}
	case *DDPNorm:
		tracked := float32(0)
		if l.Tracked {
			tracked = 1
		}
		return [][]float32{{l.Momentum, tracked}, l.RunSq}
	}
	return nil
}

// Load reads a network written by Save. A truncated input returns an error
// wrapping io.ErrUnexpectedEOF; a malformed one (bad magic, unsupported
// version, impossible shapes, checksum mismatch) an error wrapping
// ErrFormat. Loaded dropout layers are seeded with 0 (see Dropout.Seed).
func Load(r io.Reader) (*Network, error) {
	limit := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		limit = int64(l.Len())
	}
	return load(r, limit)
}

// load reads a model from r, which holds limit bytes (-1: unknown).
func load(r io.Reader, limit int64) (*Network, error) {
	m := &modelio.Reader{R: r, Prefix: "layers"}
	var head [12]byte
	if err := m.Read(head[:], "the header"); err != nil {
		return nil, err
	}
	if string(head[:4]) != modelMagic {
		return nil, fmt.Errorf("%w: bad magic %q at offset 0 (want %q): not a fastpath model", ErrFormat, head[:4], modelMagic)
	}
	if v := binary.LittleEndian.Uint32(head[4:]); v != modelVersion {
		return nil, fmt.Errorf("%w: unsupported version %d at offset 4 (want %d)", ErrFormat, v, modelVersion)
	}
	count := binary.LittleEndian.Uint32(head[8:])
	if count == 0 || count > MaxLayers {
		return nil, fmt.Errorf("%w: %d layers at offset 8 (want 1 to %d)", ErrFormat, count, MaxLayers)
	}
	recs := make([]byte, recordSize*int(count)+4)
	if err := m.Read(recs, "the layer table"); err != nil {
		return nil, err
	}
	h := crc32.New(crcTable)
	h.Write(head[:])
	h.Write(recs[:len(recs)-4])
	if stored, sum := binary.LittleEndian.Uint32(recs[len(recs)-4:]), h.Sum32(); stored != sum {
		return nil, fmt.Errorf("%w: header checksum mismatch at offset %d (stored %08x, computed %08x)", ErrFormat, m.Off-4, stored, sum)
	}
	ls := make([]Layer, count)
	params := 0
	for i := range ls {
		rec := recs[recordSize*i : recordSize*(i+1)]
		off := 12 + recordSize*i
		kind, flags, reserved := rec[0], rec[1], binary.LittleEndian.Uint16(rec[2:])
		in, out := binary.LittleEndian.Uint32(rec[4:]), binary.LittleEndian.Uint32(rec[8:])
		p := math.Float32frombits(binary.LittleEndian.Uint32(rec[12:]))
		bad := func(why string) error {
			return fmt.Errorf("%w: layer %d (offset %d): %s", ErrFormat, i, off, why)
		}
		if reserved != 0 {
			return nil, bad("reserved bytes are not zero")
		}
		if in == 0 || out == 0 || in > MaxFeatures || out > MaxFeatures {
			return nil, bad(fmt.Sprintf("sizes %d->%d outside [1, %d]", in, out, MaxFeatures))
		}
		switch kind {
		case kindDense:
			if flags > 1 || p != 0 {
				return nil, bad("bad dense flags or parameter")
			}
			params += int(in)*int(out) + int(out)
			if params > MaxParams {
				return nil, bad(fmt.Sprintf("more than %d parameters", MaxParams))
			}
			if limit >= 0 && int64(12+len(recs))+4*int64(params)+4 > limit {
				return nil, fmt.Errorf("layers: the model header describes at least %d parameters, more than the input holds (it ends at offset %d: truncated, or a corrupted header): %w", params, limit, io.ErrUnexpectedEOF)
			}
			ls[i] = NewDense(int(in), int(out), flags == 1)
		case kindReLU:
			if flags != 0 || p != 0 || in != out {
				return nil, bad("bad relu record")
			}
			ls[i] = NewReLU(int(in))
		case kindDropout:
			if flags != 0 || in != out || !(p >= 0 && p < 1) {
				return nil, bad(fmt.Sprintf("bad dropout record (p = %g)", p))
			}
			ls[i] = NewDropout(int(in), p, 0)
		case kindBatchNorm, kindDDPNorm:
			if flags > 1 || in != out {
				return nil, bad("bad normalization record")
			}
			if kind == kindBatchNorm {
				if !(p > 0 && p < float32(math.Inf(1))) {
					return nil, bad(fmt.Sprintf("batchnorm eps %g (want > 0)", p))
				}
				params += 4*int(in) + 1
				l := NewBatchNorm(int(in), flags == 1)
				l.Eps = p
				ls[i] = l
			} else {
				if !(p >= 0 && p <= 1) {
					return nil, bad(fmt.Sprintf("ddpnorm alpha %g outside [0, 1]", p))
				}
				params += int(in) + 2
				ls[i] = NewDDPNorm(int(in), p, flags == 1)
			}
			if params > MaxParams+4*MaxLayers*MaxFeatures {
				return nil, bad("too many values")
			}
		default:
			return nil, bad(fmt.Sprintf("unknown layer kind %d", kind))
		}
		if i > 0 && ls[i].InSize() != ls[i-1].OutSize() {
			return nil, bad(fmt.Sprintf("input size %d differs from the previous output size %d", in, ls[i-1].OutSize()))
		}
	}
	n, err := NewNetwork(ls...)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	h.Reset()
	buf := make([]byte, 1<<16)
	for i, l := range n.layers {
		data := layerData(l)
		for _, s := range data {
			if err := m.ReadFloats(h, buf, s, "parameters"); err != nil {
				return nil, fmt.Errorf("%w (layer %d, %v)", err, i, l)
			}
		}
		switch l := l.(type) {
		case *BatchNorm:
			l.Momentum = data[0][0]
		case *DDPNorm:
			l.Momentum, l.Tracked = data[0][0], data[0][1] == 1
			if t := data[0][1]; t != 0 && t != 1 {
				return nil, fmt.Errorf("%w: layer %d: ddpnorm tracked flag %g (want 0 or 1)", ErrFormat, i, t)
			}
		}
	}
	var sum [4]byte
	if err := m.Read(sum[:], "the data checksum"); err != nil {
		return nil, err
	}
	if stored, got := binary.LittleEndian.Uint32(sum[:]), h.Sum32(); stored != got {
		return nil, fmt.Errorf("%w: data checksum mismatch at offset %d (stored %08x, computed %08x)", ErrFormat, m.Off-4, stored, got)
	}
	for i, l := range n.layers {
		var mom float32 = DefaultNormMomentum
		switch l := l.(type) {
		case *BatchNorm:
			mom = l.Momentum
		case *DDPNorm:
			mom = l.Momentum
		}
		if !(mom > 0 && mom <= 1) {
			return nil, fmt.Errorf("%w: layer %d: normalization momentum %g outside (0, 1]", ErrFormat, i, mom)
		}
	}
	return n, nil
}

// SaveFile writes the network to path atomically: a crash leaves either
// the previous file or the new one, never a mix. A symbolic link at path is
// written through; a directory or device there is refused.
func (n *Network) SaveFile(path string) error { return atomicfile.Write(path, n.Save) }

// LoadFile reads a network from path: a model file written by Save or
// SaveFile, or the model section of a training checkpoint (SaveCheckpoint).
// The whole file must be one model: trailing bytes are an error, and the
// shapes in the header are checked against the file's length before
// anything is allocated for them. Errors name the file.
func LoadFile(path string) (*Network, error) {
	if checkpoint.IsCheckpoint(path) {
		c, err := LoadCheckpoint(path)
		if err != nil {
			return nil, err
		}
		return c.Net, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	limit := int64(-1)
	if st.Mode().IsRegular() {
		limit = st.Size()
	}
	br := bufio.NewReaderSize(f, 1<<16)
	n, err := load(br, limit)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%s: %w: bytes after the end of the model", path, ErrFormat)
	}
	return n, nil
}

// isModelFile reports whether path starts with the model magic.
func isModelFile(path string) bool { return modelio.HasMagic(path, modelMagic) }
