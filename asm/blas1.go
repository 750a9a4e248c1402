package asm

// SDotGeneric is the reference float32 dot product:
//
//	var s float32
//	for i := range x { s += x[i] * y[i] }
//	return s
func SDotGeneric(x, y []float32) float32 {
	if len(x) != len(y) {
		panic(errLength)
	}
	var s float32
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

// DDotGeneric is SDotGeneric on float64.
func DDotGeneric(x, y []float64) float64 {
	if len(x) != len(y) {
		panic(errLength)
	}
	var s float64
	for i, v := range x {
		s += v * y[i]
	}
	return s
}

// SAxpyGeneric is the reference float32 axpy:
//
//	for i := range x { y[i] += alpha * x[i] }
func SAxpyGeneric(alpha float32, x, y []float32) {
	if len(x) != len(y) {
		panic(errLength)
	}
	for i, v := range x {
		y[i] += alpha * v
	}
}

// DAxpyGeneric is SAxpyGeneric on float64.
func DAxpyGeneric(alpha float64, x, y []float64) {
	if len(x) != len(y) {
		panic(errLength)
	}
	for i, v := range x {
		y[i] += alpha * v
	}
}

// SDot returns the dot product of x and y with the selected implementation.
func SDot(x, y []float32) float32 { return Current().SDot(x, y) }

// DDot returns the dot product of x and y with the selected implementation.
func DDot(x, y []float64) float64 { return Current().DDot(x, y) }

// SAxpy sets y += alpha*x with the selected implementation.
func SAxpy(alpha float32, x, y []float32) { Current().SAxpy(alpha, x, y) }

// DAxpy sets y += alpha*x with the selected implementation.
func DAxpy(alpha float64, x, y []float64) { Current().DAxpy(alpha, x, y) }
