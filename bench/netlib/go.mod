module github.com/fastpath-go/fastpath/bench/netlib

go 1.26.0

require (
	github.com/fastpath-go/fastpath v0.0.0
	gonum.org/v1/netlib v0.0.0-20190313105609-8cb42192e0e0
)

require (
	github.com/klauspost/cpuid/v2 v2.4.2 // indirect
	golang.org/x/exp v0.0.0-20261113113407-e3970619a1a4 // indirect
	golang.org/x/sys v0.50.0 // indirect
	gonum.org/v1/gonum v0.17.0 // indirect
)

replace github.com/fastpath-go/fastpath => ../..
