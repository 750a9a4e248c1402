package bench

import (
	"context"
	"strings"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/blas/gonum"
)

// TestRunLinalg runs the study on tiny matrices: every operation, both
// backends, the table's columns, the restored BLAS, and the errors for an
// unknown operation and a bad order.
func TestRunLinalg(t *testing.T) {
	before := blas64.Implementation()
	rep, err := RunLinalg(context.Background(), LinalgOptions{Sizes: []int{12}, Threads: []int{1},
		Samples: 1, SampleTime: time.Millisecond, Settle: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(rep.Results), 2*len(LinalgOps); got != want {
		t.Fatalf("%d results, want %d", got, want)
	}
	for _, r := range rep.Results {
		if !(r.Seconds > 0) || r.N != 12 || r.Threads != 1 {
			t.Errorf("bad result %+v", r)
		}
	}
	if blas64.Implementation() != before {
		t.Errorf("blas64 implementation not restored")
	}
	var sb strings.Builder
	if err := rep.WriteTable(&sb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gonum s", "fastpath s", "fastpath/gonum", "eigsym", "inv"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, sb.String())
		}
	}
	if _, err := RunLinalg(context.Background(), LinalgOptions{Ops: []string{"nope"}}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown operation: err = %v", err)
	}
	if _, err := RunLinalg(context.Background(), LinalgOptions{Sizes: []int{0}}); err == nil {
		t.Errorf("order 0 accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := RunLinalg(ctx, LinalgOptions{Ops: []string{"mul"}, Sizes: []int{8}, Threads: []int{1}, Backends: []LinalgBackend{{Name: "g", BLAS: gonum.Implementation{}}}}); err == nil {
		t.Errorf("cancelled context: no error")
	}
}
