// Package measures computes the capacity measures, generalization bounds
// and sharpness of trained layered ReLU networks (package layers) that the
// thesis (B. Neyshabur, Implicit Regularization in Deep Learning, 2017,
// chapter "Exploring generalization"; Neyshabur, Bhojanapalli, McAllester
// and Srebro, NIPS 2017; Neyshabur, Bhojanapalli and Srebro, ICLR 2018)
// compares on true and random labels and across widths.
//
// # Notation
//
// A network has d dense layers (Network.Dense()[i-1] holds W_i, h_i x
// h_(i-1), and b_i); h_0 is the input size and h_d the number of classes.
// Hidden layers apply ReLU; dropout layers are off (inference mode). A
// path runs from an input unit, or from the constant unit-valued bias
// source of a layer, through one edge per later layer to an output unit.
//
// # Margins
//
// margin(x, y) = f(x)[y] - max_(j != y) f(x)[j]; gamma is the 5th
// percentile (Options.Percentile) of the training margins, by linear
// interpolation between order statistics (Percentile). The empirical
// margin loss L_gamma is the fraction of training margins <= gamma.
//
// # Measures
//
// Raw measures (Measures, Capacities), each also divided by gamma^2
// (Measures.Normalize; +Inf when gamma <= 0):
//
//	l2        prod_i 4 ||W_i||_F^2
//	l1-path   (sum over paths of prod over edges e of 2 |w_e|)^2
//	l2-path   sum over paths of prod over edges e (in layer i) of 4 h_i w_e^2
//	spectral  prod_i h_i ||W_i||_2^2
//	bartlett  prod_i ||W_i||_2^2 (sum_i (||W_i^T||_(2,1) / ||W_i||_2)^(2/3))^3
//	pac-bayes B^2 d^2 h ln(d h) prod_i ||W_i||_2^2 sum_i ||W_i||_F^2 / ||W_i||_2^2
//
// with h = max_i h_i (input included) and B the largest input norm.
// ||A^T||_(2,1) = sum over rows v of A of ||A[v,:]||_2 (Bartlett, Foster
// and Telgarsky, 2017, with reference matrices 0; the square of their
// spectral complexity). The path measures count bias paths (as package
// pathsgd's path norm does); the matrix measures read the weights only, as
// the papers state them for bias-free networks. The path sums are the
// forward pass of the path-norm dynamic program,
//
//	f_0 = 1,  f_i = c_i (|W_i|^p f_(i-1) + |b_i|^p),  sum = 1^T f_d,
//
// with c_i = 2 and p = 1 for l1-path, c_i = 4 h_i and p = 2 for l2-path,
// in float64 (p = 2 on asm.PathMV). This package keeps a private copy of
// that program until package pathsgd is on main.
//
// # Invariances
//
// Node rescaling (a hidden unit's incoming weights and bias times c > 0,
// its outgoing weights divided by c) leaves the function, the margins, the
// path norms and the path measures unchanged, raw and normalized; it
// changes the l2, spectral, bartlett and pac-bayes measures. Layer
// rescaling (W_i times c_i with prod_i c_i = 1, b_i times c_1 ... c_i)
// leaves every measure unchanged, and the bound of a bias-free network.
// Scaling the outputs by c
// multiplies every raw measure and gamma^2 by c^2, so the normalized
// measures are unchanged. Sharpness has none of these invariances.
//
// # Spectral norms
//
// SpectralNorm runs power iteration on W^T W with two calls of blas.Sgemv
// per iteration from a seeded Gaussian start, stopping when successive
// estimates agree to a relative tolerance (PowerOptions); the estimates
// increase towards ||W||_2 from below.
//
// # The PAC-Bayes bound, with constants
//
// SpectralBound proves, for a bias-free network, with probability at least
// 1 - delta over m training examples, simultaneously for all weights and
// margins gamma > 0:
//
//	L_0(f_w) <= L_gamma'(f_w) + 4 sqrt((KL + ln(6 m / delta_jk)) / (m - 1))
//
// where the pieces are derived as follows (the ICLR 2018 proof, with the
// grid made explicit and finer).
//
//  1. PAC-Bayes margin lemma (ICLR 2018, Lemma 1): for a prior P fixed in
//     advance and a fixed gamma, with probability 1 - delta, for all w and
//     all random u with P[max_x |f_(w+u)(x) - f_w(x)|_inf < gamma/4] >= 1/2,
//     L_0(f_w) <= L_gamma(f_w) + 4 sqrt((KL(w+u || P) + ln(6m/delta)) / (m-1)).
//  2. Perturbation (Lemma 2, re-derived): if ||U_i||_2 <= ||W_i||_2 / d for
//     every i, then for ||x|| <= B, |f_(w+u)(x) - f_w(x)|_2 <=
//     e B prod_i ||W_i||_2 sum_i ||U_i||_2 / ||W_i||_2. (Induction: with
//     Delta_i the change after layer i and ReLU 1-Lipschitz, Delta_i <=
//     ||W_i + U_i|| Delta_(i-1) + ||U_i|| B prod_(j<i) ||W_j||, and
//     (1 + 1/d)^(d-1) <= e.)
//  3. Balance: with beta = (prod_i ||W_i||_2)^(1/d), the weights w~ with
//     W~_i = beta W_i / ||W_i||_2 compute the same function (ReLU is
//     positively homogeneous) and ||w~||^2 = beta^2 sum_i ||W_i||_F^2 /
//     ||W_i||_2^2.
//  4. Gaussian matrices (Tropp 2012): U in R^(a x b) with N(0, sigma^2)
//     entries has P[||U||_2 >= t] <= (a + b) exp(-t^2 / (2 sigma^2 max(a,
//     b))). With h >= every a and b and t = sigma sqrt(2 h ln(4 d h)), each
//     layer fails with probability <= 1/(2d), all d together <= 1/2.
//  5. Choice of sigma: on that event, by 2 and 3 the outputs move by at
//     most e B d beta^(d-1) t, which is <= gamma/4 when sigma <= sigma* =
//     gamma / (4 e B d beta^(d-1) sqrt(2 h ln(4 d h))). (Then t <= beta/d
//     as 2 requires whenever gamma <= 4 e B beta^d; otherwise gamma exceeds
//     every possible margin, sqrt(2) B beta^d, L_gamma = 1 and the bound is
//     trivial.) KL(N(w~, sigma^2 I) || N(0, sigma^2 I)) = ||w~||^2 /
//     (2 sigma^2).
//  6. Union over a grid, since P and the lemma's gamma must not depend on
//     the data: for all integers j, k apply 1 with gamma_j = r^j, sigma_k =
//     r^k and delta_jk = delta / (c^2 (|j|+1)^2 (|k|+1)^2), r = 1.1, c =
//     sum_k (|k|+1)^-2 = pi^2/3 - 1; all hold together with probability
//     1 - delta. Given gamma, take gamma' = r^j <= gamma < r^(j+1) (L_gamma'
//     <= L_gamma) and sigma = r^k <= sigma*(gamma') < r^(k+1).
//
// Bound reports every piece. Compared with the paper's statement
// (KL = O(B^2 d^2 h ln(dh) prod ||W_i||_2^2 sum ||W_i||_F^2/||W_i||_2^2 /
// gamma^2)), the explicit KL is at most 16 e^2 r^4 B^2 d^2 h ln(4dh)
// prod_i ||W_i||_2^2 sum_i ||W_i||_F^2/||W_i||_2^2 / gamma^2. A network
// with biases is bounded as the bias-free network computing the same
// function on (x, 1): hidden matrices [[W_i, b_i], [0, 1]], last [W_d,
// b_d], B^2 + 1 and widths + 1. B must bound every input of the
// distribution for the statement to be a theorem; Compute uses the largest
// training input norm unless Options.InputNorm says otherwise.
//
// # Sharpness
//
// Worst-case sharpness (WorstCaseSharpness, Keskar et al. 2017):
//
//	(max_(|nu_i| <= alpha (|w_i| + 1)) L(w + nu) - L(w)) / (1 + L(w))
//
// over every weight and bias, L the training cross-entropy, approached by
// projected signed gradient ascent (a lower bound on the maximum). Expected
// sharpness (ExpectedSharpness): E_(nu ~ N(0, sigma^2 I)) L(w + nu) - L(w)
// over seeded draws, with the PAC-Bayes term KL = ||w||^2 / (2 sigma^2).
//
// # Conditions of the perturbation bound
//
// Conditions computes, for a plain ReLU network on a set of examples, the
// three conditions C1-C3 of the thesis's perturbation bound for deep
// networks (its Figures 3-5): C1, mu(a, c, b) = ||J^(a,b)|| /
// (||J^(c+1,b)|| ||W_(c+1)|| ||J^(a,c)||) over triples a <= c <= b-1 with
// J^(a,b) the Jacobian between layers a and b at the example; C2, the
// fraction of hidden ReLU states a relative Gaussian weight perturbation
// of size sigma flips; C3, each hidden unit's incoming-weight norm over
// its layer's root-mean-square row norm. These definitions are a
// reconstruction (the theorem's text could not be consulted); conditions.go
// says what each is meant to capture and how it is computed.
//
// # Errors and panics
//
// A nil network, an inconsistent matrix view or an invalid percentile
// argument panic with the constant "measures: ..." messages of errors.go.
// Bad options, datasets that do not fit the network, labels out of range
// and cancelled contexts return errors. The network passed in is never
// modified (sharpness works on a Clone), but its activation buffers are
// used, so it must not be used concurrently.
package measures
