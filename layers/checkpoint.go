package layers

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/fastpath-go/fastpath/checkpoint"
)

// Progress is how far a training run has got: what a checkpoint records,
// beside the model and the optimizer's state, so that Train continues
// exactly where it stopped (TrainConfig.Resume).
type Progress struct {
	// Epoch is the number of complete epochs.
	Epoch int `json:"epochs_completed"`
	// Step is the number of mini-batches of epoch Epoch+1 already trained
	// (0 at an epoch boundary), and LossSum the sum of their losses, each
	// times its batch's example count.
	Step    int     `json:"step"`
	LossSum float64 `json:"loss_sum"`
	// The settings that fix the order of the examples within an epoch: a
	// run resumed in the middle of an epoch must use the same ones.
	Seed      uint64 `json:"seed"`
	BatchSize int    `json:"batch_size"`
	NoShuffle bool   `json:"no_shuffle"`
	Examples  int    `json:"examples"`
	// Optimizer is the Go type of the optimizer the run used; a checkpoint
	// restores only into an optimizer of the same type.
	Optimizer string `json:"optimizer"`
}

// Section names of a training checkpoint (see package checkpoint).
const (
	sectionModel     = "model"
	sectionOptimizer = "optimizer"
	sectionDropout   = "dropout"
	sectionProgress  = "progress"
	sectionMeta      = "meta"
)

// SaveCheckpoint writes a training checkpoint to path in one atomic step:
// the network (in the model format of Save), the optimizer's state when opt
// is a StateSaver, the dropout layers' generator states, p (its Optimizer
// field is filled in from opt) and the caller's meta bytes (nil for none;
// the command-line tool records its arguments there). A crash at any
// moment leaves the previous checkpoint or this one, whole. LoadFile reads
// the network from a checkpoint as from a model file.
func SaveCheckpoint(path string, net *Network, opt Optimizer, p Progress, meta []byte) error {
	if net == nil {
		panic(errNilNetwork)
	}
	if opt == nil {
		panic(errNilOptimizer)
	}
	p.Optimizer = optimizerType(opt)
	pj, err := json.Marshal(p)
	if err != nil {
		return err
	}
	rng, err := dropoutStates(net)
	if err != nil {
		return err
	}
	secs := []checkpoint.Section{{Name: sectionModel, Write: net.Save}}
	if s, ok := opt.(StateSaver); ok {
		secs = append(secs, checkpoint.Section{Name: sectionOptimizer, Write: s.SaveState})
	}
	secs = append(secs, checkpoint.Bytes(sectionDropout, rng), checkpoint.Bytes(sectionProgress, pj))
	if meta != nil {
		secs = append(secs, checkpoint.Bytes(sectionMeta, meta))
	}
	return checkpoint.Save(path, secs...)
}

func optimizerType(opt Optimizer) string { return fmt.Sprintf("%T", opt) }

// dropoutStates encodes each dropout layer's generator state: per layer a
// uint32 length and the state bytes.
func dropoutStates(net *Network) ([]byte, error) {
	var b []byte
	for _, l := range net.layers {
		if d, ok := l.(*Dropout); ok {
			s, err := d.pcg.MarshalBinary()
			if err != nil {
				return nil, err
			}
			b = binary.LittleEndian.AppendUint32(b, uint32(len(s)))
			b = append(b, s...)
		}
	}
	return b, nil
}

// Checkpoint is a training checkpoint read by LoadCheckpoint.
type Checkpoint struct {
	// Net is the network, its dropout generators where the run left them.
	Net *Network
	// Progress says where training continues (TrainConfig.Resume).
	Progress Progress
	// Meta is the caller's record given to SaveCheckpoint (nil if none).
	Meta []byte

	path     string
	optState []byte // nil when the optimizer had no saved state
}

// LoadCheckpoint reads a checkpoint written by SaveCheckpoint (or by Train
// with TrainConfig.Checkpoint). It loads the whole checkpoint or nothing:
// a damaged file, a missing section or an inconsistent one is an error
// (wrapping checkpoint.ErrFormat or ErrFormat). A model file written by
// Save holds no training state and is refused with a message saying so.
func LoadCheckpoint(path string) (*Checkpoint, error) {
	f, err := checkpoint.Open(path)
	if err != nil {
		if !errors.Is(err, checkpoint.ErrFormat) {
			return nil, err
		}
		if isModelFile(path) {
			return nil, fmt.Errorf("%s is a model file, not a training checkpoint (it holds no optimizer state or progress): %w", path, ErrFormat)
		}
		return nil, err
	}
	defer f.Close()
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%s: %w: "+format, append([]any{path, ErrFormat}, a...)...)
	}
	r, _, ok := f.Section(sectionModel)
	if !ok {
		return nil, bad("no model section")
	}
	net, err := Load(r)
	if err != nil {
		return nil, fmt.Errorf("%s: model section: %w", path, err)
	}
	c := &Checkpoint{Net: net, path: path}
	pj, ok, err := f.ReadAll(sectionProgress)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, bad("no progress section")
	}
	if err := json.Unmarshal(pj, &c.Progress); err != nil {
		return nil, bad("progress section: %v", err)
	}
	if p := c.Progress; p.Epoch < 0 || p.Step < 0 || p.BatchSize < 0 || p.Examples < 0 || p.Optimizer == "" {
		return nil, bad("progress section out of range")
	}
	rng, ok, err := f.ReadAll(sectionDropout)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, bad("no dropout section")
	}
	for _, l := range net.layers {
		d, isDrop := l.(*Dropout)
		if !isDrop {
			continue
		}
		if len(rng) < 4 || uint64(len(rng)-4) < uint64(binary.LittleEndian.Uint32(rng)) {
			return nil, bad("dropout section too short")
		}
		n := binary.LittleEndian.Uint32(rng)
		if err := d.pcg.UnmarshalBinary(rng[4 : 4+n]); err != nil {
			return nil, bad("dropout generator state: %v", err)
		}
		rng = rng[4+n:]
	}
	if len(rng) != 0 {
		return nil, bad("dropout section longer than the network's dropout layers")
	}
	if c.optState, _, err = f.ReadAll(sectionOptimizer); err != nil {
		return nil, err
	}
	if c.Meta, _, err = f.ReadAll(sectionMeta); err != nil {
		return nil, err
	}
	return c, nil
}

// RestoreOptimizer loads the checkpoint's optimizer state into opt, which
// must be an optimizer of the type that wrote the checkpoint (for example
// built with the same constructor for c.Net). It refuses — returning an
// error and leaving opt unchanged — an optimizer of another type, and a
// StateSaver when the checkpoint holds no state or the state does not fit
// c.Net.
func (c *Checkpoint) RestoreOptimizer(opt Optimizer) error {
	if opt == nil {
		panic(errNilOptimizer)
	}
	if got := optimizerType(opt); got != c.Progress.Optimizer {
		return fmt.Errorf("%s: the checkpoint was trained with a %s, not a %s: %w", c.path, c.Progress.Optimizer, got, ErrStateMismatch)
	}
	s, ok := opt.(StateSaver)
	if !ok {
		return nil
	}
	if c.optState == nil {
		return fmt.Errorf("%s: %w: the checkpoint holds no optimizer state", c.path, ErrFormat)
	}
	if err := s.LoadState(bytes.NewReader(c.optState), c.Net); err != nil {
		return fmt.Errorf("%s: %w", c.path, err)
	}
	return nil
}
