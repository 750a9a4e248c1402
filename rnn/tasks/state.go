package tasks

import (
	"bytes"
	"encoding/gob"
	"fmt"

	"github.com/fastpath-go/fastpath/rnn"
)

// Resumable is a Task whose training stream can be saved and restored, so
// that a run interrupted between iterations continues with exactly the
// batches (and, for the text task, the carried state) it would have had.
// Every task of this package is Resumable.
type Resumable interface {
	Task
	// StreamState encodes the stream's position after the last Next; m is
	// the model trained on that batch (the text task carries its final
	// state into the next chunk). It does not change the task.
	StreamState(m *rnn.Model) ([]byte, error)
	// RestoreStream sets the position from StreamState's bytes, on a task
	// made with the same arguments.
	RestoreStream(b []byte) error
}

func encodeState(v any) ([]byte, error) {
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func decodeState(b []byte, v any) error {
	if err := gob.NewDecoder(bytes.NewReader(b)).Decode(v); err != nil {
		return fmt.Errorf("tasks: bad stream state: %w", err)
	}
	return nil
}

type additionState struct{ PCG []byte }

// StreamState encodes the generator of the training sequences.
func (a *Addition) StreamState(*rnn.Model) ([]byte, error) {
	p, err := a.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return encodeState(additionState{p})
}

// RestoreStream restores the generator of the training sequences.
func (a *Addition) RestoreStream(b []byte) error {
	var s additionState
	if err := decodeState(b, &s); err != nil {
		return err
	}
	return a.pcg.UnmarshalBinary(s.PCG)
}

type seqMNISTState struct {
	PCG   []byte
	Order []int
}

// StreamState encodes the shuffling generator and the epoch's order.
func (t *SeqMNIST) StreamState(*rnn.Model) ([]byte, error) {
	p, err := t.pcg.MarshalBinary()
	if err != nil {
		return nil, err
	}
	return encodeState(seqMNISTState{p, t.order})
}

// RestoreStream restores the shuffling generator and the epoch's order.
func (t *SeqMNIST) RestoreStream(b []byte) error {
	var s seqMNISTState
	if err := decodeState(b, &s); err != nil {
		return err
	}
	if len(s.Order) != 0 && len(s.Order) != t.train.Len() {
		return fmt.Errorf("tasks: stream state orders %d images, the task has %d", len(s.Order), t.train.Len())
	}
	for _, i := range s.Order {
		if i < 0 || i >= t.train.Len() {
			return fmt.Errorf("tasks: stream state holds image %d of %d", i, t.train.Len())
		}
	}
	t.order = append(t.order[:0], s.Order...)
	return t.pcg.UnmarshalBinary(s.PCG)
}

type textState struct {
	Pos   int
	Carry []float32 // the streams' state for the next chunk (nil at a stream start)
}

// StreamState encodes the streams' position and the state the next chunk
// starts from (the carried one, or m's final state after the last chunk).
func (t *Text) StreamState(m *rnn.Model) ([]byte, error) {
	s := textState{Pos: t.pos}
	if t.pos > 0 {
		if t.saved {
			s.Carry = t.carry
		} else {
			st := m.FinalState()
			for r := 0; r < st.Rows; r++ {
				s.Carry = append(s.Carry, st.Data[r*st.Stride:r*st.Stride+st.Cols]...)
			}
		}
	}
	return encodeState(s)
}

// RestoreStream restores the streams' position and carried state.
func (t *Text) RestoreStream(b []byte) error {
	var s textState
	if err := decodeState(b, &s); err != nil {
		return err
	}
	if s.Pos < 0 || s.Pos > len(t.train)/t.batch || (s.Pos > 0 && len(s.Carry)%t.batch != 0) || (s.Pos > 0 && len(s.Carry) == 0) {
		return fmt.Errorf("tasks: bad text stream state (position %d, %d carried values)", s.Pos, len(s.Carry))
	}
	t.pos = s.Pos
	t.carry = append(t.carry[:0], s.Carry...)
	t.saved = s.Pos > 0
	return nil
}
