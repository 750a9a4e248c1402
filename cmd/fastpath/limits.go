package main

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/layers"
)

// The command line's bounds, checked before any work starts, so that an
// absurd flag value is a one-line error instead of an out-of-memory crash
// or thread exhaustion.

// maxThreads is the largest -threads accepted: oversubscribing the CPUs
// fourfold is allowed (for tests of the scheduling), more is a mistake.
func maxThreads() int { return max(4*runtime.NumCPU(), 8) }

// checkThreads checks a -threads value (0 means GOMAXPROCS).
func checkThreads(n int) error {
	if n < 0 || n > maxThreads() {
		return fmt.Errorf("-threads %d outside [0, %d] (0: GOMAXPROCS; at most 4x the %d CPUs)", n, maxThreads(), runtime.NumCPU())
	}
	return nil
}

// checkBatch checks a -batch value.
func checkBatch(n int) error {
	if n < 1 || n > layers.MaxBatch {
		return fmt.Errorf("-batch %d outside [1, %d]", n, layers.MaxBatch)
	}
	return nil
}

// maxClassesWithoutFlag is the most classes a data set may imply (one
// more than its largest label) without -classes saying so: a larger label
// is far more often a stray number than a real class.
const maxClassesWithoutFlag = 1 << 16

// checkMemory refuses to train a network the machine cannot hold: the
// estimate of layers.TrainingMemory against the memory the system reports
// available (Linux's MemAvailable; elsewhere the check is skipped).
func checkMemory(sizes []int, batch, stateBuffers int, dropout bool) error {
	if err := layers.CheckSizes(sizes); err != nil {
		return err
	}
	need := layers.TrainingMemory(sizes, batch, stateBuffers, dropout)
	avail, ok := memAvailable()
	if ok && need > float64(avail) {
		return fmt.Errorf("training %s with batch %d needs about %s of memory (parameters, gradients, optimizer state, activations), %s available: reduce -hidden or -batch",
			sizesString(sizes), batch, layers.FormatBytes(need), layers.FormatBytes(float64(avail)))
	}
	return nil
}

// sizesString is "784-1000-10".
func sizesString(sizes []int) string {
	s := make([]string, len(sizes))
	for i, n := range sizes {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, "-")
}

// memAvailable returns the bytes of memory available to new allocations
// (a variable so that tests can pretend a small machine).
var memAvailable = systemMemAvailable

// systemMemAvailable returns MemAvailable from Linux's /proc/meminfo.
func systemMemAvailable() (uint64, bool) {
	f, err := os.Open("/proc/meminfo")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == "MemAvailable:" {
			kb, err := strconv.ParseUint(fields[1], 10, 64)
			if err != nil {
				return 0, false
			}
			return kb << 10, true
		}
	}
	return 0, false
}
