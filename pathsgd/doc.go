// Package pathsgd implements the path geometry of layered ReLU networks
// (package layers).
package pathsgd
