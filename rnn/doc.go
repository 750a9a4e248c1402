// Package rnn holds fastpath's recurrent networks: a single-layer ReLU RNN
// trained by backpropagation through time (full or truncated) on
// mini-batches of sequences, the IRNN and N(0, 1/fan_in) initialisations,
// and RNN-Path (Neyshabur, Wu, Salakhutdinov and Srebro, "Path-Normalized
// Optimization of Recurrent Neural Networks with ReLU Activations", NIPS
// 2016; chapter 5 of Neyshabur's thesis), the rescaling-invariant optimizer
// derived from the path regularizer of the unrolled network. Training is
// float32 on the GEMM engine of package blas and the kernels of package
// asm; the path-norm sums are float64.
//
// # Model and storage
//
// For an input sequence x_0 .. x_(T-1) (T = Batch.Steps):
//
//	h_(-1) = H0 (zero by default)
//	h_t    = relu(W_in x_t + W_rec h_(t-1) + b)
//	y_t    = W_out h_t + c          for t in S (Batch.Outputs)
//
// with relu(z) = z > 0 ? z : 0. The loss is the mean over the |S|*Rows
// output rows of the softmax cross-entropy of y_t against a label, or of
// sum_k (y_t[k] - target[k])^2 (Config.Loss).
//
// W = [W_in | W_rec] is one Hidden x (In+Hidden) row-major matrix: row v
// holds every weight into hidden unit v. A batch is time-major: the Rows
// inputs of step t are consecutive. The model keeps the activations in
// Steps+1 blocks of Rows x (In+Hidden): block t is [x_t | h_(t-1)], so
// step t is one matrix product for the whole batch, [x_t | h_(t-1)] W^T,
// with the bias and the ReLU fused into the epilogue of package asm's GEMM
// micro-kernel, writing h_t into block t+1. The weights are packed into
// the micro-kernel's panel layout once per pass rather than at every step
// (gemm.go); threads split the batch's sequences, which are independent,
// and run all the steps of their rows without synchronising, or, when the
// packed weights exceed a core's L2 cache, split each step's columns.
// Every element is computed by the same kernel call whatever the split,
// so results do not depend on the thread count. Outputs, output
// gradients and weight gradients are large GEMMs of package blas over
// many steps at once. Buffers are sized for the largest batch seen (or
// Reserve'd) and reused: Gradient, Forward, Loss, ClipGradNorm and the
// optimizers' Step allocate nothing in steady state (tested with
// testing.AllocsPerRun).
//
// # Backpropagation through time
//
// With dy_t = dL/dy_t (zero for t not in S) and z_t the pre-activation:
//
//	dL/dh_t = W_out^T dy_t + W_rec^T dL/dz_(t+1)     (dL/dz_T = 0)
//	dL/dz_t = dL/dh_t ∘ [h_t > 0]
//	dL/dW   = sum_t dL/dz_t [x_t | h_(t-1)]^T       (W = [W_in | W_rec])
//	dL/db   = sum_t dL/dz_t
//	dL/dW_out = sum_(t in S) dy_t h_t^T,   dL/dc = sum_(t in S) dy_t
//
// summed over the batch's rows. The recursion runs from t = T-1 down to 0,
// one product per step over the batch (dL/dZ_(t+1) W_rec, W_rec packed
// once per pass); the output terms and the weight gradients are large
// GEMMs over many steps at once. The
// steps are processed in chunks of about 4096 (step, sequence) rows, so
// that memory for dL/dz is bounded whatever T, and each chunk's
// contribution to dL/dW is one GEMM of that depth. With Batch.Truncate =
// k > 0 the term W_rec^T dL/dz_(t+1) is dropped whenever t+1 is a multiple
// of k: the gradient of running the chunks [0, k), [k, 2k), ... in turn
// with the hidden state carried forward as a constant (truncated BPTT).
// FinalState and Batch.H0 carry the state across batches of one long
// sequence. ClipGradNorm rescales all gradients together to a maximum
// Euclidean norm (customary for RNNs).
//
// # RNN-Path
//
// Unrolled over T steps the network is a feedforward DAG whose edges are
// copies of the shared weights. Its squared l2 path norm is
//
//	gamma(w) = sum over paths p from a source to an output of prod_(e in p) w_e^2
//
// where a source is an input unit x_t[j] (value 1: the norm does not
// depend on the data) or the bias source of b or c at a step. A path
// enters the hidden layer once (one W_in or b edge), walks W_rec edges
// forward in time and leaves once (one W_out edge at an output step); or
// it is a single c edge.
//
// RNN-Path is steepest descent in the geometry of gamma, approximated by
// the diagonal kappa_e = (1/2) d^2 gamma / d w_e^2 of its Hessian:
// w_e <- w_e - eta (dL/dw_e) / kappa_e. A weight occurring m times on a
// path contributes (1/2) d^2(w^(2m) R)/dw^2 = m(2m-1) w^(2m-2) R, which
// splits into kappa = kappa1 + kappa2:
//
//	kappa1_e = sum_p sum_(copies i of e on p)  prod_(j on p, j != i) w_j^2
//	kappa2_e = sum_p sum_(copies i != j of e on p)  2 w_i w_j prod_(l != i, j) w_l^2
//
// (m w^(2m-2) R and 2m(m-1) w^(2m-2) R). Only W_rec has kappa2 != 0, and
// only for T >= 3 (a path holds at most one W_in, b, W_out or c edge).
// RNN-Path uses kappa1 alone, computed with two recursions. Let fa_t[v]
// be the sum over paths from any source into h_t[v] of the product of
// squared weights, and gb_t[v] the same sum over paths from h_t[v] to any
// output (squares elementwise, 1 a vector of ones, [t in S] 1 or 0):
//
//	fa_t = (W_in^2 1 + b^2) + W_rec^2 fa_(t-1),       fa_(-1) = 0
//	gb_t = [t in S] (W_out^2)^T 1 + (W_rec^2)^T gb_(t+1),   gb_T = 0
//
// Every (path, copy of e) pair factors at the copy into a prefix counted by
// fa and a suffix counted by gb, so
//
//	kappa1(W_rec[v,u]) = sum_(t=1)^(T-1) fa_(t-1)[u] gb_t[v]
//	kappa1(W_in[v,j])  = kappa1(b[v]) = sum_t gb_t[v]
//	kappa1(W_out[k,v]) = sum_(t in S) fa_t[v]
//	kappa1(c[k])       = |S|
//	gamma              = sum_(t in S) (W_out^2 fa_t) . 1 + |S| |c|^2
//
// Model.Kappa1 runs the recursions with the path-norm kernels asm.PathMV
// and asm.PathMTV (float32 weights squared exactly in float64, float64
// sums) and forms kappa1(W_rec) = GB^T FA as one float64 GEMM of depth
// T-1: O(T * #params) work, independent of the batch size (for T = 784
// and 100 hidden units about a millisecond). A weight with kappa1 = 0 lies
// on no path and has zero gradient; its step is set to zero.
//
// For kappa2 the pair of copies of W_rec[v,u] at steps t1 < t2 splits a
// path into a prefix into h_(t1-1)[u], a middle from h_t1[v] to
// h_(t2-1)[u] and a suffix out of h_t2[v]:
//
//	kappa2(W_rec[v,u]) = 4 W_rec[v,u]^2 sum_(1 <= t1 < t2 <= T-1) fa_(t1-1)[u] (P^(t2-1-t1))[u,v] gb_t2[v]
//
// with P = W_rec^2 (elementwise) and P^0 = I. Model.Kappa2 evaluates it in
// O(T H^3 + T^2 H^2) as a reference; the tests check kappa1, kappa2 and
// gamma against the enumeration of every path for T <= 4, and
// kappa1 + kappa2 against second differences of gamma.
//
// # Rescaling invariance
//
// Rescaling hidden unit v by s > 0 multiplies row v of W_in and W_rec and
// b[v] by s and divides column v of W_rec and W_out by s (Model.Rescale);
// h_t[v] is multiplied by s and the outputs are unchanged. A weight
// w_e -> s_e w_e has gradient g_e -> g_e / s_e, fa and gb scale like the
// squares of the units they end or start at, so kappa1_e -> kappa1_e / s_e^2
// and the step g_e / kappa1_e -> s_e g_e / kappa1_e scales like w_e: from a
// rescaled model, RNN-Path (with or without momentum) follows the rescaled
// trajectory exactly. The tests run 50 steps (momentum 0.9) from a model
// and a copy whose units are rescaled by exp(N(0,1)), a quarter of them
// 10 times more: the float64 reference's outputs agree to about 1e-15
// relative (the test requires 1e-9); the float32 model's are bit-identical
// when the factors are powers of two, and within 1e-5 relative otherwise
// (measured 2e-7: the rescaled weights are rounded to float32 once). SGD's
// two trajectories differ by 30 to 40 percent. Gradient clipping and a nonzero
// H0 (unless rescaled too) break the invariance.
//
// # Errors and panics
//
// Programmer errors (malformed batches, mismatched shapes, labels out of
// range) panic with the constant "rnn: ..." messages of errors.go, checked
// before any work. Bad configurations and bad files return errors. Load
// never panics: a truncated file returns an error wrapping
// io.ErrUnexpectedEOF, a malformed one an error wrapping ErrFormat, with
// the byte offset.
//
// # Files
//
// Model.Save writes magic "FPRN", a version, the sizes and the loss, a
// CRC-32 of that header, the parameters (W, b, W_out, c as float32) and a
// CRC-32 of the parameters (see serialize.go); Load reads them back bit for
// bit. SaveFile writes atomically.
package rnn
