package layers

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Init is a weight initialisation. Biases always start at zero.
type Init int

const (
	// InitBalanced draws W_i[v,u] ~ N(0, 1/fan_in): the thesis's
	// "balanced" initialisation.
	InitBalanced Init = iota
	// InitHe draws W_i[v,u] ~ N(0, 2/fan_in) (He et al., 2015).
	InitHe
	// InitZeros sets every weight to zero.
	InitZeros
)

var initNames = [...]string{InitBalanced: "balanced", InitHe: "he", InitZeros: "zeros"}

// String returns the initialisation's name: "balanced", "he" or "zeros".
func (i Init) String() string {
	if i >= 0 && int(i) < len(initNames) {
		return initNames[i]
	}
	return fmt.Sprintf("Init(%d)", int(i))
}

// ParseInit returns the initialisation named s (as String spells it).
func ParseInit(s string) (Init, error) {
	for i, name := range initNames {
		if s == name {
			return Init(i), nil
		}
	}
	return 0, fmt.Errorf("layers: unknown initialisation %q (want balanced, he or zeros)", s)
}

func (i Init) check() error {
	if i < 0 || int(i) >= len(initNames) {
		return fmt.Errorf("layers: unknown initialisation %d", int(i))
	}
	return nil
}

// Initialize sets every dense layer's weights with the initialisation kind
// and its biases to zero, and resets the normalization layers (BatchNorm:
// Gamma 1, Beta 0; running averages at their starting values). Layer i draws from its own PCG stream seeded with
// (seed, i), so a layer's weights depend only on the seed, its index and its
// shape, and the same seed always gives the same bits. It panics on an
// unknown kind.
func (n *Network) Initialize(kind Init, seed uint64) {
	if kind.check() != nil {
		panic(errUnknownInit)
	}
	for _, l := range n.layers {
		switch l := l.(type) {
		case *BatchNorm:
			l.Reset()
		case *DDPNorm:
			l.Reset()
		}
	}
	for i, d := range n.dense {
		clear(d.B)
		w := d.W.Data
		var std float64
		switch kind {
		case InitZeros:
			clear(w)
			continue
		case InitBalanced:
			std = math.Sqrt(1 / float64(d.InSize()))
		case InitHe:
			std = math.Sqrt(2 / float64(d.InSize()))
		}
		r := rand.New(rand.NewPCG(seed, uint64(i)))
		for j := range w {
			w[j] = float32(r.NormFloat64() * std)
		}
	}
}
