package tasks

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/fastpath-go/fastpath/rnn"
)

// TestAddition: every sequence has exactly two markers, one in each half,
// and its target is the sum of the two marked values; the test set is the
// same for the same seed, the training batches differ from step to step.
func TestAddition(t *testing.T) {
	const steps, batch = 20, 8
	a := NewAddition(steps, batch, 30, 5)
	if c := a.Config(7); c.In != 2 || c.Out != 1 || c.Hidden != 7 || c.Loss != rnn.Squared {
		t.Errorf("config %+v", c)
	}
	b := a.Next(0, nil)
	first := append([]float32(nil), b.X...)
	for r := range batch {
		var sum float64
		var marks []int
		for s := range steps {
			x := b.X[(s*batch+r)*2:]
			if x[1] == 1 {
				marks = append(marks, s)
				sum += float64(x[0])
			} else if x[1] != 0 {
				t.Fatalf("marker %v", x[1])
			}
		}
		if len(marks) != 2 || marks[0] >= steps/2 || marks[1] < steps/2 {
			t.Fatalf("row %d: markers at %v", r, marks)
		}
		if math.Abs(sum-float64(b.Targets[r])) > 1e-6 {
			t.Fatalf("row %d: target %v, marked sum %v", r, b.Targets[r], sum)
		}
	}
	if b = a.Next(1, nil); b.X[0] == first[0] && b.X[2] == first[2] {
		t.Error("the next batch repeats the first")
	}
	a2 := NewAddition(steps, batch, 30, 5)
	if a.test[0].X[5] != a2.test[0].X[5] || len(a.test) != 1 || a.test[0].Rows != 30 {
		t.Error("the test set depends on more than the seed")
	}
}

// TestText: the 90/5/5 split, one-hot inputs and next-character labels.
func TestText(t *testing.T) {
	text := []byte(strings.Repeat("abcdefghij", 200))
	tk, err := NewText("t", text, 5, 2, 0)
	if err != nil {
		t.Fatal(err)
	}
	v, tr, va, te := tk.Sizes()
	if v != 10 || tr+va+te != len(text) || tr < 17*va {
		t.Fatalf("sizes %d %d %d %d", v, tr, va, te)
	}
	b := tk.Next(0, nil)
	for r := range b.Rows {
		for s := range b.Steps {
			x := b.X[(s*b.Rows+r)*v : (s*b.Rows+r+1)*v]
			cur := -1
			for j, e := range x {
				if e == 1 {
					cur = j
				}
			}
			if cur < 0 || b.Labels[s*b.Rows+r] != (cur+1)%10 {
				t.Fatalf("stream %d step %d: input %d, label %d", r, s, cur, b.Labels[s*b.Rows+r])
			}
		}
	}
}

// TestTextStreamState: the text task's state saved between two training
// chunks (no evaluation in between: the carried state is the model's final
// state) and restored into a fresh task gives the same next batches, the
// carried H0 included; a bad state is an error.
func TestTextStreamState(t *testing.T) {
	text := []byte(strings.Repeat("the quick brown fox jumps over the lazy dog ", 40))
	a, err := NewText("t", text, 6, 3, 0)
	if err != nil {
		t.Fatal(err)
	}
	m, err := rnn.New(a.Config(5))
	if err != nil {
		t.Fatal(err)
	}
	m.InitNormal(1)
	for it := range 3 {
		m.Gradient(a.Next(it, m))
	}
	st, err := a.StreamState(m)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := NewText("t", text, 6, 3, 0)
	if err := b.RestoreStream(st); err != nil {
		t.Fatal(err)
	}
	fresh, _ := rnn.New(a.Config(5)) // a resumed run's model has run no forward pass
	fresh.CopyFrom(m)
	for it := 3; it < 6; it++ {
		ba, bb := a.Next(it, m), b.Next(it, fresh)
		if fmt.Sprint(ba.X, ba.Labels) != fmt.Sprint(bb.X, bb.Labels) {
			t.Fatalf("iteration %d: batches differ", it)
		}
		ha, hb := ba.H0, bb.H0
		if ha.Rows != hb.Rows || ha.Cols != hb.Cols {
			t.Fatalf("iteration %d: H0 %dx%d vs %dx%d", it, ha.Rows, ha.Cols, hb.Rows, hb.Cols)
		}
		for r := range ha.Rows {
			for j := range ha.Cols {
				if ha.Data[r*ha.Stride+j] != hb.Data[r*hb.Stride+j] {
					t.Fatalf("iteration %d: H0[%d][%d] differs", it, r, j)
				}
			}
		}
		la, lb := m.Gradient(ba), fresh.Gradient(bb)
		if la != lb {
			t.Fatalf("iteration %d: loss %v vs %v", it, la, lb)
		}
	}
	if err := b.RestoreStream([]byte("junk")); err == nil {
		t.Error("junk state accepted")
	}
}

// TestAdditionValidate: the validation sequences are neither the test
// sequences nor a perturbation of the training stream (a task validated
// between batches draws the same training batches as one never
// validated), and are the same on every call.
func TestAdditionValidate(t *testing.T) {
	a, b := NewAddition(12, 4, 30, 3), NewAddition(12, 4, 30, 3)
	m, err := rnn.New(a.Config(6))
	if err != nil {
		t.Fatal(err)
	}
	m.InitNormal(2)
	v1 := a.Validate(m)
	if v2 := a.Validate(m); v1 != v2 {
		t.Fatalf("validation MSE %v then %v", v1, v2)
	}
	if e := a.Evaluate(m); e == v1 || math.IsNaN(v1) {
		t.Fatalf("validation MSE %v equals the test MSE %v (or is NaN)", v1, e)
	}
	for it := range 3 {
		x, y := a.Next(it, nil), b.Next(it, nil)
		if fmt.Sprint(x.X, x.Targets) != fmt.Sprint(y.X, y.Targets) {
			t.Fatalf("batch %d differs after Validate", it)
		}
	}
	for i, vb := range a.val {
		if fmt.Sprint(vb.X) == fmt.Sprint(a.test[i].X) {
			t.Fatal("validation batch equals a test batch")
		}
	}
}

// TestSeqMNISTHoldOut: HoldOut moves the last images of the training set
// into the validation set, Validate is the accuracy on exactly those (the
// model's predictions counted here), and holding out too many is an error.
func TestSeqMNISTHoldOut(t *testing.T) {
	task, err := NewSeqMNIST("../../testdata/mnist", 300, 100, 10, 7, false, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := task.HoldOut(295); err == nil {
		t.Error("holding out all but 5 images (batch 10) accepted")
	}
	if err := task.HoldOut(60); err != nil {
		t.Fatal(err)
	}
	tr, te := task.Sizes()
	if tr != 240 || te != 100 || task.val.Len() != 60 {
		t.Fatalf("sizes after HoldOut: train %d, test %d, validation %d", tr, te, task.val.Len())
	}
	m, err := rnn.New(task.Config(8))
	if err != nil {
		t.Fatal(err)
	}
	m.InitNormal(3)
	correct := 0
	b := task.newBatch(1)
	for i := range task.val.Len() {
		task.fill(b, task.val, []int{i})
		y := m.Forward(b)
		best := 0
		for j, v := range y.Data[:y.Cols] {
			if v > y.Data[best] {
				best = j
			}
		}
		if best == task.val.Y[i] {
			correct++
		}
	}
	if got, want := task.Validate(m), float64(correct)/60; got != want {
		t.Fatalf("Validate %v, want %v", got, want)
	}
}
