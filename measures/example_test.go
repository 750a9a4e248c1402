package measures_test

import (
	"context"
	"fmt"

	"github.com/fastpath-go/fastpath/layers"
	"github.com/fastpath-go/fastpath/measures"
	"gonum.org/v1/gonum/blas/blas32"
)

// tinyNet returns the 2-2-2 ReLU network W1 = [[1, -2], [3, 0.5]],
// W2 = [[2, -1], [0.5, 4]] without biases, and two examples of class 1.
func tinyNet() (*layers.Network, layers.InMemory) {
	net, err := layers.NewMLP([]int{2, 2, 2}, layers.MLPOptions{Init: layers.InitZeros})
	if err != nil {
		panic(err)
	}
	copy(net.Dense()[0].W.Data, []float32{1, -2, 3, 0.5})
	copy(net.Dense()[1].W.Data, []float32{2, -1, 0.5, 4})
	d := layers.InMemory{
		X: blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: []float32{1, 1, 0, 1}},
		Y: []int{1, 1},
	}
	return net, d
}

func ExampleCompute() {
	net, train := tinyNet()
	r, err := measures.Compute(context.Background(), net, train, measures.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println("margins:", r.Margins, "gamma:", r.Gamma)
	fmt.Println("path norms:", r.PathNorm1, fmt.Sprintf("%.4f", r.PathNorm2))
	names := r.Raw.Names()
	for i, v := range r.Normalized.Values() {
		fmt.Printf("%-9s / gamma^2 = %.4g\n", names[i], v)
	}
	// Output:
	// margins: [17.5 2.5] gamma: 3.25
	// path norms: 25 13.3604
	// l2        / gamma^2 = 458.7
	// l1-path   / gamma^2 = 946.7
	// l2-path   / gamma^2 = 1082
	// spectral  / gamma^2 = 64.66
	// bartlett  / gamma^2 = 327.8
	// pac-bayes / gamma^2 = 956.9
}

func ExampleSpectralNorm() {
	w := blas32.General{Rows: 2, Cols: 2, Stride: 2, Data: []float32{2, 1, 1, 2}}
	s, err := measures.SpectralNorm(w, measures.PowerOptions{})
	if err != nil {
		panic(err)
	}
	fmt.Printf("||W||_2 = %.5f, converged: %v\n", s.Sigma, s.Converged)
	// Output:
	// ||W||_2 = 3.00000, converged: true
}

func ExamplePathNorm() {
	net, _ := tinyNet()
	// Node rescaling leaves the path norm unchanged: multiply hidden unit
	// 0's incoming weights by 4 and divide its outgoing weights by 4.
	before := measures.PathNorm(net, 2)
	w1, w2 := net.Dense()[0].W, net.Dense()[1].W
	w1.Data[0], w1.Data[1] = 4*w1.Data[0], 4*w1.Data[1]
	w2.Data[0], w2.Data[2] = w2.Data[0]/4, w2.Data[2]/4
	fmt.Println(before*before, measures.PathNorm(net, 2)*measures.PathNorm(net, 2))
	// Output:
	// 178.5 178.5
}

func ExampleWorstCaseSharpness() {
	net, train := tinyNet()
	s, err := measures.WorstCaseSharpness(context.Background(), net, train, measures.SharpnessOptions{Alpha: 0.01})
	if err != nil {
		panic(err)
	}
	fmt.Printf("L(w) = %.3f, max L(w+nu) = %.3f, sharpness = %.4f\n", s.Loss, s.PerturbedLoss, s.Value)
	// Output:
	// L(w) = 0.039, max L(w+nu) = 0.047, sharpness = 0.0071
}

// ExampleConditions computes the perturbation bound's conditions on the
// tiny network: C1's mu for each triple a <= c <= b-1 of the first
// example (both examples switch off hidden unit 1), C2's flip fraction at
// two perturbation sizes, and C3's row-norm ratios of the hidden layer.
// By hand: D_1 W_1 = [[0, 0], [3, 0.5]], so ||J^(0,1)|| = sqrt(9.25),
// ||W_1|| = 3.1691 and mu(0, 0, 1) = 3.0414 / 3.1691; J^(0,2) = W_2 D_1 W_1
// has rank one and ||W_2 e_2|| = ||W_2|| = sqrt(17), so mu(0, 1, 2) = 1.
func ExampleConditions() {
	net, d := tinyNet()
	r, err := measures.Conditions(context.Background(), net, d, measures.ConditionOptions{
		Power: measures.PowerOptions{Tol: 1e-9, MaxIter: 1000}, Sigmas: []float64{0, 1}, Draws: 4})
	if err != nil {
		panic(err)
	}
	for _, s := range r.Mu {
		if s.Example == 0 {
			fmt.Printf("mu(a=%d, c=%d, b=%d) = %.3f\n", s.A, s.C, s.B, s.Mu)
		}
	}
	fmt.Printf("flips at sigma 0: %.2f\n", r.FlipTotal[0])
	fmt.Printf("C3: %.3f %.3f\n", r.RowRatios[0][0], r.RowRatios[0][1])
	// Output:
	// mu(a=0, c=0, b=1) = 0.960
	// mu(a=0, c=0, b=2) = 0.960
	// mu(a=0, c=1, b=2) = 1.000
	// mu(a=1, c=1, b=2) = 1.000
	// flips at sigma 0: 0.00
	// C3: 0.838 1.139
}
