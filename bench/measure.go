package bench

import (
	"context"
	"math"
	"slices"
	"time"
)

// median returns the median of xs (the mean of the two middle values for
// an even count), or NaN for none. xs is not modified.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	h := len(s) / 2
	if len(s)%2 == 1 {
		return s[h]
	}
	return (s[h-1] + s[h]) / 2
}

// timing says how to sample an operation.
type timing struct {
	samples    int
	sampleTime time.Duration
}

// secondsPerCall runs f once to warm up (and to choose how many calls make
// a sample of at least sampleTime), then takes the samples and returns the
// median time of one call. It stops early, returning ctx's error, if ctx is
// done between samples.
func (tm timing) secondsPerCall(ctx context.Context, f func()) (float64, error) {
	start := time.Now()
	f()
	first := time.Since(start)
	reps := 1
	if first < tm.sampleTime {
		reps = int(tm.sampleTime/max(first, time.Microsecond)) + 1
	}
	per := make([]float64, tm.samples)
	for s := range per {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		start := time.Now()
		for range reps {
			f()
		}
		per[s] = time.Since(start).Seconds() / float64(reps)
	}
	return median(per), nil
}
