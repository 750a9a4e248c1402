package layers

import (
	"fmt"
	"math"
)

// The limits of what a Network may be: every network NewMLP or NewNetwork
// builds can be saved and loaded again (the model format's reader enforces
// the same bounds against hostile files), and nothing is allocated for a
// network beyond them.
const (
	// MaxLayers is the most layers (dense, ReLU, dropout) of a network.
	MaxLayers = 1 << 12
	// MaxFeatures is the most inputs or outputs of one layer.
	MaxFeatures = 1 << 24
	// MaxParams is the most parameters (weights and biases) of a network:
	// 1 GiB of float32.
	MaxParams = 1 << 28
	// MaxBatch is the most rows of one mini-batch.
	MaxBatch = 1 << 24
)

// CheckSizes reports whether an MLP of the given layer sizes (input,
// hidden..., output) is within the limits, before anything is allocated.
func CheckSizes(sizes []int) error {
	if len(sizes) < 2 {
		return fmt.Errorf("layers: an MLP needs at least two sizes (input and output), got %v", sizes)
	}
	if 3*(len(sizes)-1) > MaxLayers {
		return fmt.Errorf("layers: %d layer sizes: more than the %d layers a network may have", len(sizes), MaxLayers)
	}
	params := 0
	for i, s := range sizes {
		if s <= 0 || s > MaxFeatures {
			return fmt.Errorf("layers: layer size %d outside [1, %d] in %v", s, MaxFeatures, sizes)
		}
		if i > 0 {
			params += sizes[i-1]*s + s
			if params > MaxParams {
				return fmt.Errorf("layers: layer sizes %v make more than %d parameters (the most a model file holds)", sizes, MaxParams)
			}
		}
	}
	return nil
}

// TrainingMemory estimates the bytes of memory that training an MLP of
// the given sizes with mini-batches of batch rows takes: the parameters
// and their gradients, stateBuffers more copies of them for the optimizer
// (1 for SGD with momentum or AdaGrad, 0 for plain SGD), and the
// activation and backward buffers of batch rows (dropout adds two per
// dropped layer). It is exact for those buffers and leaves out what is
// small beside them (the GEMM's packing buffers, the data set itself).
// It is meant for refusing, before allocating, a run the machine cannot
// hold.
func TrainingMemory(sizes []int, batch, stateBuffers int, dropout bool) float64 {
	var params, acts float64
	for i := 1; i < len(sizes); i++ {
		in, out := float64(sizes[i-1]), float64(sizes[i])
		params += in*out + out
		acts += out // Dense output (fused ReLU)
		if i > 1 {
			acts += in // dx of every dense layer but the first
		}
		if dropout && i < len(sizes)-1 {
			acts += 2 * out // dropout output and mask
		}
	}
	acts += 2 * float64(sizes[len(sizes)-1]) // logits gradient and softmax
	acts += float64(sizes[0])                // the batch buffer
	return 4 * (params*float64(2+stateBuffers) + acts*float64(max(batch, 1)))
}

// FormatBytes writes a byte count for messages: "1.5 GiB".
func FormatBytes(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	if i == 0 || math.IsInf(b, 0) {
		return fmt.Sprintf("%.0f %s", b, units[i])
	}
	return fmt.Sprintf("%.1f %s", b, units[i])
}
