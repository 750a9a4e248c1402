package rnn_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"

	"github.com/fastpath-go/fastpath/rnn"
)

// addition returns a batch of the addition problem: at each step a U(0,1)
// value and a marker; the target is the sum of the two marked values.
func addition(r *rand.Rand, steps, rows int) *rnn.Batch {
	b := &rnn.Batch{Steps: steps, Rows: rows, X: make([]float32, steps*rows*2),
		Outputs: rnn.LastStep(steps), Targets: make([]float32, rows)}
	for row := 0; row < rows; row++ {
		i, j := r.IntN(steps/2), steps/2+r.IntN(steps/2)
		for t := 0; t < steps; t++ {
			v := float32(r.Float64())
			b.X[(t*rows+row)*2] = v
			if t == i || t == j {
				b.X[(t*rows+row)*2+1] = 1
				b.Targets[row] += v
			}
		}
	}
	return b
}

// Training on the addition problem with RNN-Path: Gradient (forward and
// BPTT), then an optimizer step.
func ExampleModel_Gradient() {
	m, err := rnn.New(rnn.Config{In: 2, Hidden: 16, Out: 1, Loss: rnn.Squared})
	if err != nil {
		panic(err)
	}
	m.InitNormal(1)
	r := rand.New(rand.NewPCG(1, 2))
	test := addition(r, 10, 500)
	opt := &rnn.PathSGD{LR: 1e-2, Momentum: 0.9}
	before := m.Loss(test)
	for range 1000 {
		m.Gradient(addition(r, 10, 16))
		opt.Step(m)
	}
	after := m.Loss(test)
	fmt.Println(m)
	fmt.Printf("test MSE %.2f before training, below 0.1 after: %v\n", before, after < 0.1)
	// Output:
	// rnn(in=2, hidden=16, out=1, squared)
	// test MSE 1.86 before training, below 0.1 after: true
}

// kappa1 of a 2-unit IRNN unrolled over 3 steps with one output at the end.
func ExampleModel_Kappa1() {
	m, _ := rnn.New(rnn.Config{In: 1, Hidden: 2, Out: 1})
	m.InitIRNN(1, 0)
	copy(m.W.Data, []float32{1, 1, 0, 1, 0, 1}) // W_in = [1 1]^T, W_rec = I
	copy(m.Wout.Data, []float32{1, 2})
	var k rnn.Kappa
	m.Kappa1(&k, 3, rnn.LastStep(3))
	fmt.Println("W_rec:", k.Rec)
	fmt.Println("W_in and b:", k.In)
	fmt.Println("W_out:", k.Out)
	fmt.Println("c:", k.C, "path norm^2:", k.PathNorm2)
	// Output:
	// W_rec: [3 3 12 12]
	// W_in and b: [3 12]
	// W_out: [3 3]
	// c: 1 path norm^2: 15
}

// A model file round trip.
func ExampleLoad() {
	m, _ := rnn.New(rnn.Config{In: 1, Hidden: 100, Out: 10})
	m.InitNormal(1)
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		panic(err)
	}
	n := buf.Len()
	loaded, err := rnn.Load(&buf)
	if err != nil {
		panic(err)
	}
	fmt.Println(loaded, n, "bytes")
	_, err = rnn.Load(bytes.NewReader([]byte("FPRN\x01\x00")))
	fmt.Println(err)
	// Output:
	// rnn(in=1, hidden=100, out=10, softmax) 44872 bytes
	// rnn: model truncated at offset 6 while reading the header: unexpected EOF
}
