// Package layers holds fastpath's feedforward networks: dense, ReLU and
// dropout layers, a softmax cross-entropy loss, sequential networks, weight
// initialisers, optimizers (SGD with momentum and schedules, AdaGrad), model
// files and the training loop. Training is float32 on the GEMM engine of
// package blas and the kernels of package asm.
//
// # Storage
//
// A mini-batch is a row-major blas32.General with one example per row
// (batch x features, any Stride >= Cols). Dense layer i (Network.Dense()[i],
// W_(i+1) in the thesis's 1-based notation) stores W as an Out x In
// row-major blas32.General with Stride In: row v holds the weights of the
// edges into unit v, exactly torch.nn.Linear's weight. B has Out elements.
// DW and DB, the gradients, have the same shapes. Network.Params lists the
// same storage as flat tensors ("W", then "b", per layer). The slices are
// owned by the layers: read and write them in place, never replace them.
//
// Activations, their gradients and the dropout masks live in buffers owned
// by the layers, contiguous (Stride = Cols), sized for the largest batch
// seen (NewMLP reserves MaxBatch rows, default 100; Network.Reserve grows
// them): a smaller batch, such as the last of an epoch, uses a view of the
// first rows. Matrices returned by Forward are views into these buffers,
// valid until the next call.
//
// # The mathematics
//
// For a batch A_0 (rows = examples), layer by layer:
//
//	Dense:   Z = A W^T + 1 b^T,  A' = Z, or A' = relu(Z) with a fused ReLU
//	ReLU:    A' = relu(A),  relu(x) = x > 0 ? x : 0  (NaN and -0 give +0)
//	Dropout: A' = A ∘ M,  M[r][j] = 0 with probability p, else 1/(1-p)
//	         (inverted dropout; in inference A' = A)
//
// The loss of logits Z (rows x classes) and labels y is the mean softmax
// cross-entropy, computed stably with the row maximum m_r:
//
//	lse_r = m_r + log sum_j exp(Z[r][j] - m_r)
//	L = (1/rows) sum_r (lse_r - Z[r][y_r])
//	dL/dZ[r][j] = (exp(Z[r][j] - lse_r) - [j == y_r]) / rows
//
// Backward, from dA' = dL/dA' (the ReLU mask uses A' > 0, equivalent to
// Z > 0):
//
//	Dense:   dZ = dA' ∘ [A' > 0] (fused ReLU) or dA'
//	         dW = dZ^T A,  db = column sums of dZ,  dA = dZ W
//	ReLU:    dA = dA' ∘ [A' > 0]
//	Dropout: dA = dA' ∘ M
//
// The GEMM shapes are Z = A W^T (NoTrans, Trans) with the bias and the ReLU
// fused into the GEMM's epilogue (blas.Affine32), dW = dZ^T A (Trans,
// NoTrans, beta = 0) and dA = dZ W (NoTrans, NoTrans); the input gradient
// of the first dense layer is not computed.
//
// # Optimizers
//
// An Optimizer sees the whole network at each Step, so that methods whose
// update of one layer depends on all the weights fit the same interface:
// Path-SGD (package pathsgd) computes its per-layer scaling
// kappa_i = g_i f_(i-1)^T from every W_i and b_i (Network.Dense), then
// divides DW_i and DB_i by it inside its update kernel. SGD and AdaGrad
// here update each tensor of Network.Params in one pass of an asm kernel
// (asm.SGD, asm.SGDMomentum, asm.AdaGrad; the exact formulas are in their
// documentation), split across the GEMM thread count for large networks.
// Hyper-parameters follow Schedules of the epoch: the thesis's SGD
// (ThesisSGD) decays the learning rate by 0.99 per epoch and raises the
// momentum from 0.5 by 0.02 per epoch up to 0.9.
//
// # Initialisation and reproducibility
//
// InitBalanced draws W ~ N(0, 1/fan_in) (the thesis's balanced
// initialisation), InitHe N(0, 2/fan_in), InitZeros zeros; biases start at
// zero. Layer i draws from a PCG generator seeded with (seed, i); dropout
// layers and Train's shuffling have their own seeded PCG streams. The GEMM's
// results do not depend on the thread count and the elementwise passes are
// exact per element, so the same seeds give bit-identical training runs, on
// any thread count. Different asm implementations (avx2, generic, neon)
// round GEMM sums differently.
//
// # Fused updates
//
// Network.TrainStep is Gradient followed by Step, with fused forms.
// For SGD with momentum and no weight decay (FuseVelocity, on by default)
// the weight gradients of the Dense layers of at least 512 Ki weights
// are computed into the velocity itself (V = mu*V + dZᵀX on the GEMM's
// beta) and W takes its step w -= lr*V in the same product
// (blas.Descent32: in the kernels' epilogue, tile by tile, where they
// have one; in a pass after the product elsewhere): V and W are each read
// and written once (784-4000-4000-10 at batch 100: about 7% less time
// per step than Gradient and Step on two threads). Plain SGD steps W in
// the product that stores DW the same way. An optimizer whose weight step
// is SGD's on the gradient scaled by a rank-one factor fixed before the
// backward pass (ScaledSGD: package pathsgd's Path-SGD with momentum) takes
// it in the same products, their operands' columns scaled (within a
// float32 product's rounding of the unfused step; see scaled.go). With
// FuseUpdates set (off by default: not faster on Zen 5), SGD's and
// AdaGrad's weight updates are applied to blocks of each weight gradient
// that stay in the L2 cache. Either way the parameters are those of the
// unfused step (bit for bit, up to the sign of zeros and, for the
// velocity, while the batch is one depth block of the product: see
// velocity.go; ScaledSGD's within rounding) and the fused layers' DW is
// not filled. Train uses
// TrainStep.
//
// # Allocation
//
// After the first batch of the largest size, Network.Forward,
// Network.Gradient, Optimizer.Step and Network.TrainStep perform no heap
// allocation, and
// neither does Train per step, TrainConfig.OnStep's call included (tests
// check both with testing.AllocsPerRun).
//
// # Errors and panics
//
// Programmer errors (mismatched shapes, a label outside [0, classes),
// invalid layer arguments) panic with the constant "layers: ..." messages
// of errors.go, checked before any work. Bad data (non-finite features,
// labels out of range in a Examples), bad configuration (NewMLP, NewNetwork,
// TrainConfig) and bad files return errors saying what and where. A model
// file that is truncated returns an error wrapping io.ErrUnexpectedEOF, a
// malformed one an error wrapping ErrFormat, with the byte offset; Load
// never panics on any input (fuzzed).
//
// # Files
//
// Network.Save writes fastpath's own format (magic "FPNN", version, the
// layer table, CRC-32 of the header, the parameters, CRC-32 of the
// parameters; see serialize.go), which Load reads back bit for bit.
// Network.WriteSafetensors exports the parameters for PyTorch, named as in
// the equivalent torch.nn.Sequential. SaveFile writes through a temporary
// file in the same directory, fsync and rename, so the file is either the
// old or the new one.
//
// A training checkpoint (SaveCheckpoint, or Train with
// TrainConfig.Checkpoint) is one file in package checkpoint's container
// format holding the model, the optimizer's state, the dropout generators'
// states and the progress, replaced in one atomic rename; LoadCheckpoint
// reads it whole or refuses it, and Train with TrainConfig.Resume continues
// the run bit for bit. LoadFile reads the model of a checkpoint as of a
// model file.
package layers
