package bench

import (
	"context"
	"errors"
	"math"
	"slices"
	"testing"
	"time"
)

func TestMedian(t *testing.T) {
	for _, tc := range []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2.5},
		{[]float64{9, 9, 1, 9, 1}, 9},
		{[]float64{-1, 7, 100, 2, 3, 2}, 2.5},
		{[]float64{1e9, 1, 2, 3, 4, 5, 6}, 4}, // one outlier does not move it
	} {
		in := slices.Clone(tc.in)
		if got := median(in); got != tc.want {
			t.Errorf("median(%v) = %v, want %v", tc.in, got, tc.want)
		}
		if !slices.Equal(in, tc.in) {
			t.Errorf("median(%v) reordered its input to %v", tc.in, in)
		}
	}
	if got := median(nil); !math.IsNaN(got) {
		t.Errorf("median(nil) = %v, want NaN", got)
	}
}

// TestSecondsPerCall checks the sampling logic, not the clock: one warm-up
// call, then enough calls per sample to fill the sample time, and an early
// stop when the context is done.
func TestSecondsPerCall(t *testing.T) {
	calls := 0
	tm := timing{samples: 3, sampleTime: time.Millisecond}
	sec, err := tm.secondsPerCall(context.Background(), func() {
		calls++
		time.Sleep(2 * time.Millisecond)
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 1+3 {
		t.Errorf("%d calls of an operation longer than a sample, want 4 (warm-up and 3 samples)", calls)
	}
	if sec <= 0 {
		t.Errorf("seconds per call = %v", sec)
	}

	calls = 0
	tm = timing{samples: 2, sampleTime: 20 * time.Millisecond}
	if _, err := tm.secondsPerCall(context.Background(), func() { calls++ }); err != nil {
		t.Fatal(err)
	}
	if calls < 5 {
		t.Errorf("only %d calls of a fast operation: samples should repeat it", calls)
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tm.secondsPerCall(ctx, func() {}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: err = %v", err)
	}
}
