package pathsgd_test

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/pathsgd"
	"gonum.org/v1/gonum/blas/blas32"
)

// A 2-2-1 network with hand-set weights: its four paths have weight
// products 1*3, 2*3, 0.5*(-1) and 1*(-1), so phi_1 = 3+6+0.5+1 and
// phi_2^2 = 9+36+0.25+1.
func ExamplePhi() {
	net, _ := layers.NewMLP([]int{2, 2, 1}, layers.MLPOptions{Init: layers.InitZeros})
	l1, l2 := net.Dense()[0], net.Dense()[1]
	copy(l1.W.Data, []float32{1, 2, 0.5, 1}) // W_1 = [[1 2] [0.5 1]]
	copy(l2.W.Data, []float32{3, -1})        // W_2 = [[3 -1]]
	fmt.Printf("phi_1 = %.4f\n", pathsgd.Phi(net, 1))
	fmt.Printf("phi_2 = %.4f\n", pathsgd.Phi(net, 2))

	// Node rescaling changes the weights, not the path norm.
	pathsgd.Rescale(net, [][]float64{{4, 0.25}})
	fmt.Printf("after rescaling: W_1 = %v, W_2 = %v, phi_2 = %.4f\n", l1.W.Data, l2.W.Data, pathsgd.Phi(net, 2))
	// Output:
	// phi_1 = 10.5000
	// phi_2 = 6.8007
	// after rescaling: W_1 = [4 8 0.125 0.25], W_2 = [0.75 -4], phi_2 = 6.8007
}

// Sums exposes the dynamic program: pi of every edge, from the rank-one
// factors f and g. With b_1[1] = 2 the bias path adds 2^2 * 1^2 to the
// 46.25 of the paths from the inputs; pi(W_2[0,1]) = f_1[1] =
// 0.25 + 1 + 4.
func ExampleSums() {
	net, _ := layers.NewMLP([]int{2, 2, 1}, layers.MLPOptions{Init: layers.InitZeros})
	copy(net.Dense()[0].W.Data, []float32{1, 2, 0.5, 1})
	copy(net.Dense()[1].W.Data, []float32{3, -1})
	net.Dense()[0].B[1] = 2
	var s pathsgd.Sums
	s.Compute(net, 2)
	fmt.Printf("phi_2^2 = %.4f\n", math.Exp(s.LogPhiP()))
	fmt.Printf("pi(W_1[0,1]) = %.4f, pi(b_1[1]) = %.4f, pi(W_2[0,1]) = %.4f\n", s.Pi(0, 0, 1), s.PiBias(0, 1), s.Pi(1, 0, 1))
	// Output:
	// phi_2^2 = 50.2500
	// pi(W_1[0,1]) = 9.0000, pi(b_1[1]) = 1.0000, pi(W_2[0,1]) = 5.2500
}

// Path-SGD from the balanced and the unbalanced initialisation of the same
// network: the unbalanced start computes the same function with weights up
// to hundreds of times larger, and Path-SGD's trajectories from the two
// coincide.
func ExamplePathSGD() {
	sizes := []int{20, 64, 64, 3}
	r := rand.New(rand.NewPCG(1, 2))
	x := blas32.General{Rows: 50, Cols: 20, Stride: 20, Data: make([]float32, 1000)}
	y := make([]int, 50)
	for i := range x.Data {
		x.Data[i] = float32(r.NormFloat64())
	}
	for i := range y { // three classes from the first two features
		switch s := x.Data[20*i] + x.Data[20*i+1]; {
		case s > 1:
			y[i] = 2
		case s > -1:
			y[i] = 1
		}
	}
	var losses [2][2]float64
	var phis [2]float64
	for k, unbalanced := range []bool{false, true} {
		net, _ := layers.NewMLP(sizes, layers.MLPOptions{})
		if unbalanced {
			pathsgd.Unbalanced(net, 7)
		} else {
			pathsgd.Balanced(net, 7)
		}
		opt := &pathsgd.PathSGD{LR: layers.Constant(0.05)}
		losses[k][0] = net.Loss(x, y)
		for range 100 {
			net.Gradient(x, y)
			opt.Step(net)
		}
		losses[k][1] = net.Loss(x, y)
		phis[k] = pathsgd.Phi(net, 2)
	}
	fmt.Printf("loss %.2f -> %.2f (balanced), %.2f -> %.2f (unbalanced)\n", losses[0][0], losses[0][1], losses[1][0], losses[1][1])
	fmt.Printf("same trajectory: %v, same path norm: %v\n",
		math.Abs(losses[0][1]-losses[1][1]) < 1e-4, math.Abs(phis[0]-phis[1]) < 1e-4*phis[0])
	// Output:
	// loss 1.25 -> 0.01 (balanced), 1.25 -> 0.01 (unbalanced)
	// same trajectory: true, same path norm: true
}

// DDP-SGD's kappa at alpha = 0 is Path-SGD's pi; at alpha = 1 it is the
// batch's diagonal Gauss-Newton preconditioner, here (an output-layer
// weight) E[a_0^2] of the hidden unit 0.
func ExampleDDPSGD() {
	net, _ := layers.NewMLP([]int{4, 8, 3}, layers.MLPOptions{Seed: 3})
	r := rand.New(rand.NewPCG(4, 5))
	x := blas32.General{Rows: 16, Cols: 4, Stride: 4, Data: make([]float32, 64)}
	for i := range x.Data {
		x.Data[i] = float32(r.NormFloat64())
	}
	net.Forward(x) // DDP-SGD reads the last batch (Network.LastInput)
	var s pathsgd.Sums
	s.Compute(net, 2)
	for _, alpha := range []float64{0, 1} {
		opt := &pathsgd.DDPSGD{Alpha: alpha, LR: layers.Constant(0.1)}
		kw, _ := opt.Kappa(net)
		fmt.Printf("alpha=%g: kappa(W_2[0,0]) = %.4f, pi = %.4f\n", alpha, kw[1][0], s.Pi(1, 0, 0))
	}
	// Output:
	// alpha=0: kappa(W_2[0,0]) = 0.3783, pi = 0.3783
	// alpha=1: kappa(W_2[0,0]) = 0.1766, pi = 0.3783
}
