// Package pathsgd implements the path geometry of layered ReLU networks
// (package layers) from B. Neyshabur's thesis "Implicit Regularization in
// Deep Learning" (2017): path norms and their dynamic program, Path-SGD,
// the balanced and unbalanced initialisations, node rescaling, and
// data-dependent path normalization (DDP-SGD).
//
// # Notation
//
// A network of depth d has input size h_0, hidden widths h_1..h_(d-1) and
// h_d outputs. Layer i (i = 1..d) is Network.Dense()[i-1]: W_i is
// h_i x h_(i-1), row v holding the edges into unit v, and b_i has h_i
// elements. z_i = W_i a_(i-1) + b_i, a_i = relu(z_i) for hidden layers,
// the output z_d goes to the softmax cross-entropy. A path runs from an
// input unit, or from the constant source (value 1) of a bias, to an output
// unit, through one edge per layer after its start.
//
// # Path norms and the dynamic program
//
// phi_p(w) = (sum over paths of prod over the path's edges of |w_e|^p)^(1/p).
// Two passes over the weights, O(#weights) and independent of the data:
//
//	forward:  f_0 = 1,  f_i = |W_i|^p f_(i-1) + |b_i|^p        (i = 1..d)
//	backward: g_d = 1,  g_(i-1) = (|W_i|^p)^T g_i              (i = d..1)
//	phi_p^p = sum_v f_d[v]
//	pi(W_i[v,u]) = f_(i-1)[u] g_i[v],  pi(b_i[v]) = g_i[v]
//
// f_i[v] sums over the paths from the sources to v, g_i[v] over the paths
// from v to the outputs, so pi_e is the sum over the paths through e of the
// product of |w|^p over the path's other edges. Without biases every path
// has d edges, so sum_e |w_e|^p pi_e = d phi_p^p. For p = 2 each pass is
// asm.PathMV or asm.PathMTV (squares formed inside the kernel, float64
// sums); other p use a Go loop over |w|^p. Both passes split their rows or
// columns across blas.Run.
//
// Range: each vector is kept as float64 mantissas scaled by a power of two
// so that its largest element is in [0.5, 1) (Sums.F, Sums.FExp). Powers of
// two scale exactly, so phi_p^p can exceed the float64 range (LogPhiP stays
// exact) and a depth-10 network whose units are rescaled by up to 10^±3
// keeps phi_p to the float32 rounding of its weights (tests).
//
// Node rescaling: multiplying unit v's incoming weights and bias by c > 0
// and dividing its outgoing weights by c leaves the function of a ReLU
// network and every path product unchanged, so phi_p is invariant, while
// norms of the weights (and MaxNorm, the per-unit max-norm product) are
// not. Under such a rescaling T with unit scales c, f_i[v] -> c_v^p f_i[v]
// and g_i[v] -> g_i[v] / c_v^p (inputs and outputs have c = 1).
//
// # Path-SGD (p = 2)
//
// Path-SGD is steepest descent with respect to phi_2^2, approximated by
// its diagonal: kappa_e = pi_e (p = 2) and
//
//	w_e <- w_e - eta (dL/dw_e) / kappa_e
//	(momentum: v_e <- mu v_e + (dL/dw_e)/kappa_e,  w_e <- w_e - eta v_e)
//
// Exact invariance. Write w'_(u->v) = (c_v/c_u) w_(u->v) for T(w). The
// loss is the same function of the network's output, so
// dL/dw' = (c_u/c_v) dL/dw, and kappa' = f'_u g'_v = (c_u^2/c_v^2) kappa.
// The step on T(w) is therefore
// eta (c_u/c_v)(dL/dw) (c_v^2/c_u^2)/kappa = (c_v/c_u) eta (dL/dw)/kappa:
// the rescaled step, so Path-SGD from T(w) visits T(w_t) for every t; the
// velocity transforms like the step, so momentum keeps the property. SGD's
// step (c_u/c_v) eta dL/dw and AdaGrad's do not. Dropout multiplies
// activations by masks that are the same in both runs, so the argument is
// unchanged; kappa is computed from the whole, unmasked network.
//
// Implementation: kappa for layer i is the rank-one outer product
// g_i f_(i-1)^T and is never formed. The layers are updated with
// asm.PathSGD (or asm.PathSGDMomentum): the kernel divides by kappa through
// reciprocal factors rs[v] = 1/g_i[v] (times eta without momentum) and
// cs[u] = 1/f_(i-1)[u], whose powers of two are balanced between the two
// so that both stay in the float32 range, and in the same pass computes
// f_i = W_i^2 f_(i-1) from the old weights for the next layer. The two
// directions of the dynamic program meet at the layer m with the most
// weights: Step runs the backward passes for g_(d-1)..g_m and the forward
// passes for f_1..f_(m-1) over the other layers, updates layer m (computing
// both f_m and g_(m-1) = (W_m^2)^T g_m in the kernel, from the old weights
// it reads for the update), then the layers above m in forward order
// (each yielding the next f) and those below m in backward order (each
// yielding the next g); the first layer, when it is below m and so yields
// neither, is updated without the sums (the kernel's y = nil case, at the
// cost of an SGD update). A step reads every weight once, plus every layer
// but the largest once more (SGD reads every weight once). The column sums
// are kept per fixed row chunk and added in chunk order, so a step's result
// does not depend on the thread count.
//
// Guard for kappa = 0. All terms are non-negative, so f_(i-1)[u] = 0 means
// every path into u has a zero edge: by induction on the layers, every
// in-neighbour u' with W[u,u'] != 0 has f = 0 and hence a_u' = 0 for every
// input, and b_u = 0, so z_u = 0 and a_u = relu(0) = 0 for every input (and
// under any dropout mask). Then dL/dW_i[v,u] = E[dL/dz_v a_u] = 0.
// Likewise g_i[v] = 0 means every path out of v has a zero edge, so
// dz_o/dz_v = 0 for every output o and dL/dW_i[v,u] = dL/db_i[v] = 0. The
// update is 0/0 and PathSGD defines it as 0 (the factor of a zero sum is
// 0). Zeros map to zeros under rescaling, so the guard keeps the
// invariance. (A sum that is tiny but not zero gives a huge step, as the
// method prescribes; factors saturate at math.MaxFloat32.)
//
// # Initialisations
//
// InitBalanced: W_i ~ N(0, 1/fan_in), biases zero. InitUnbalanced: the
// balanced network, then in each hidden layer of width h, h/4 times, a
// uniformly drawn unit (with replacement) is rescaled by
// s = 10 exp(N(0,1)). It computes the same function, so Path-SGD's
// trajectory from it is the balanced one rescaled (exactly in real
// arithmetic; in float32 to about 1e-6 after 50 steps, see the tests),
// while SGD and AdaGrad see very different gradients.
//
// # Data-dependent path normalization (DDP)
//
// For a unit v of layer i with incoming weights w_v over the in-neighbours
// u of layer i-1, and the bias as an edge from a source with a = 1 and
// gamma = 1 (inputs have gamma = 1 too):
//
//	gamma_v^2 = alpha E[z_v^2] + (1-alpha) (sum_u W_i[v,u]^2 gamma_u^2 + b_i[v]^2)
//	gamma_net^2 = sum over outputs o of gamma_o^2
//
// with E the mini-batch mean. This is w~_v^T R_v w~_v with
// R_v = alpha C_v + (1-alpha) diag(gamma_u^2) over the extended
// activations a~ = (a, 1), because w~_v^T C_v w~_v = E[(w_v.a + b_v)^2]
// = E[z_v^2]. alpha = 0 gives the l2 path-norm recursion (gamma^2 = f with
// p = 2, so gamma_net^2 = phi_2^2); alpha = 1 gives E[z_v^2], the
// (uncentred) batch-norm statistic. Under node rescaling z_v, E[z_v^2] and
// gamma_v^2 scale by c_v^2, so every term of the next layer's recursion is
// unchanged and gamma_net is invariant, for every alpha.
//
// # DDP-SGD: the derivation of kappa (general alpha)
//
// DDP-SGD is w_e <- w_e - eta (dL/dw_e)/kappa_e with
// kappa_e = 1/2 d^2(gamma_net^2)/d(w_e)^2. Fix one weight w = W_i[v,u]
// (or the bias b_i[v], with a_u = 1 and gamma_u = 1 below) and vary it
// alone.
//
//  1. For each example, z_v is affine in w with dz_v/dw = a_u (a_u comes
//     from layers below i and does not depend on w). Every later
//     pre-activation z_y is a composition of affine maps and ReLUs of z_v,
//     so it is continuous and piecewise linear in w, with
//     dz_y/dw = (dz_y/dz_v) a_u between kinks, dz_y/dz_v being the
//     per-example Jacobian (through the ReLU masks) of the current
//     network. Units of layers up to i other than v do not depend on w.
//
//  2. Hence E[z_y^2] is piecewise quadratic in w with
//     1/2 d^2 E[z_y^2]/dw^2 = E[a_u^2 (dz_y/dz_v)^2] (and E[z_v^2] gives
//     E[a_u^2]); gamma_u^2 of layer i-1 does not depend on w.
//
// Let D_y = 1/2 d^2(gamma_y^2)/dw^2 for every unit y of layers >= i.
// Differentiating the recursion twice, with the W_j and the gamma of layer
// i-1 constant in w (vectors over layer j, squares elementwise):
//
//	D_v = alpha E[a_u^2] + (1-alpha) gamma_u^2,   D_x = 0 for the other units x of layer i
//	D_j = alpha E[a_u^2 (dz_j/dz_v)^2] + (1-alpha) (W_j^2) D_(j-1)   (j > i)
//
// and kappa = 1^T D_d. Unrolling the linear recursion with the damped
// backward vectors gt_d = 1, gt_(j-1) = (1-alpha) (W_j^2)^T gt_j gives
//
//	kappa(W_i[v,u]) = alpha E[a_u^2 S_v] + (1-alpha) gamma_u^2 gt_i[v]
//	kappa(b_i[v])   = alpha E[S_v]       + (1-alpha) gt_i[v]
//	S_v(x) = sum_(j >= i) sum_(y in layer j) gt_j[y] (dz_y/dz_v)^2   (the j = i term is gt_i[v])
//
// Endpoints: at alpha = 0 only the second term remains, and there
// gamma_u^2 = f_(i-1)[u] and gt_i = g_i (p = 2), so kappa is Path-SGD's
// f_(i-1)[u] g_i[v] (tested to 1e-14, and DDPSGD then runs PathSGD's code,
// bit for bit). At alpha = 1, gt_j = 0 for j < d, so
// kappa(u->v) = sum_o E[a_u^2 (dz_o/dz_v)^2], a diagonal Gauss-Newton
// (Fisher-like) preconditioner. The tests check kappa against central
// second differences of gamma_net^2 (exact for a piecewise quadratic away
// from kinks) for alpha in {0, 0.3, 0.7, 1} on nets of depth 1, 3 and 4,
// and against an independent forward-mode evaluation of the formula.
//
// Invariance: dz_y/dz_v scales by c_y/c_v, gt_j[y] by 1/c_y^2, a_u by c_u
// and gamma_u by c_u, so kappa(W_i[v,u]) scales by c_u^2/c_v^2, exactly as
// Path-SGD's, and the argument above applies: DDP-SGD follows the rescaled
// trajectory for every alpha (tested to 1e-9 in float64).
//
// Computation. S has one value per example and unit:
//
//   - the term j = i is gt_i[v];
//   - the term j = i+1 is linear: dz_y/dz_v = W_(i+1)[y,v] m_v (m_v the ReLU
//     mask of v for the example), so it is m_v q_i[v] with
//     q_i = (W_(i+1)^2)^T gt_(i+1) (one asm.PathMTV);
//   - the terms j >= i+2 square sums of products through two or more
//     layers, so the per-example Jacobians are needed: for each such layer
//     j, DDPSGD backpropagates one seed per (example, unit of layer j)
//     through the masked layers below (GEMMs on batch*h_j rows, in chunks),
//     accumulating gt_j[y] (dz_y/dz_v)^2. At alpha = 1 only j = d remains.
//
// kappa for alpha > 0 is a sum of batch-many rank-one terms, formed per
// layer by one GEMM: (alpha/n) S_i^T (A_(i-1) o A_(i-1)) plus the rank-one
// (1-alpha) gt_i (gamma_(i-1)^2)^T. For the thesis's 784-h-h-10 networks the
// seeds are the 10 outputs only (j = 3 for i = 1), a GEMM of
// (batch*10) x h x h; deeper networks add batch*h_j seeds per hidden layer
// j, which is expensive for wide layers (the cost of exactness).
//
// # DDP-Normalization
//
// DDPNet reparametrizes the network so that every hidden unit has
// gamma_v = 1: each hidden pre-activation is divided by
// gamma_v = sqrt(alpha E[z_v^2] + (1-alpha) (||W_i[v,:]||^2 + b_i[v]^2)),
// the normalized outputs having gamma = 1 themselves (so the recursion
// reduces to the unit's own weights). alpha = 1 is batch normalization
// without centring, alpha = 0 weight normalization of (W_i[v,:], b_i[v]).
// In training the mini-batch mean gives E[z_v^2] and the gradient flows
// through it: with n_v = z_v / gamma_v and
// dL/dgamma_v = -sum_e (dL/dn_(e,v)) z_(e,v) / gamma_v^2,
//
//	dL/dz_(e,v) = (dL/dn_(e,v)) / gamma_v + (dL/dgamma_v) alpha z_(e,v) / (B gamma_v)
//	dL/dW_i[v,u] += (dL/dgamma_v) (1-alpha) W_i[v,u] / gamma_v   (b_i[v] alike)
//
// (checked against finite differences). Inference uses running averages
// of E[z_v^2]. Scaling a unit's incoming weights and bias by c > 0 scales
// z_v, gamma_v and the running average's square root by c, so the
// normalized network's function is unchanged (tested for several alpha).
// DDPNet is a float64 model for small networks; DDP-SGD above is the
// optimizer for package layers' float32 networks.
//
// # Float32 tolerances
//
// Path-SGD's updates run in float32 on the asm kernels; the dynamic program
// runs in float64. Each step rounds the weights of a run and of its
// rescaled copy independently, so the copies drift apart by a few float32
// ulps per step: the tests require 1e-5 relative on the logits after 50
// steps (measured about 5e-7, with and without momentum and dropout, and at
// depth 10 with unit scales 10^±3), while SGD and AdaGrad end about 100%
// apart. DDP-SGD meets the same 1e-5 for alpha < 1; at alpha = 1 its kappa
// for edges out of barely active units inherits the cancellation error of
// z = Wa + b in float32 and the runs agree to 5e-3 (measured 9e-4).
//
// # Panics
//
// Programmer errors (a nil network, p not positive and finite, an optimizer
// reused on a network of another shape, scales of the wrong shape or not
// positive, alpha outside [0, 1], DDP-SGD without a mini-batch) panic with
// the constant "pathsgd: ..." messages of errors.go before any work.
package pathsgd
