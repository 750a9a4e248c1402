package experiment

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/internal/atomicfile"
)

// ParseList splits a comma-separated flag value into its trimmed, non-empty
// items.
func ParseList(s string) []string {
	var out []string
	for _, item := range strings.Split(s, ",") {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// ParseInts parses a comma-separated list of integers in [lo, hi]; name
// is the flag, for the error.
func ParseInts(s, name string, lo, hi int) ([]int, error) {
	var out []int
	for _, item := range ParseList(s) {
		n, err := strconv.Atoi(item)
		if err != nil || n < lo || n > hi {
			return nil, fmt.Errorf("bad value %q in %s (want integers from %d to %d)", item, name, lo, hi)
		}
		out = append(out, n)
	}
	return out, nil
}

// ParseFloats parses a comma-separated list of numbers accepted by ok;
// want describes them for the error.
func ParseFloats(s, name, want string, ok func(float64) bool) ([]float64, error) {
	var out []float64
	for _, item := range ParseList(s) {
		v, err := strconv.ParseFloat(item, 64)
		if err != nil || !ok(v) {
			return nil, fmt.Errorf("bad value %q in %s (want %s)", item, name, want)
		}
		out = append(out, v)
	}
	return out, nil
}

// Ftoa formats a table value: six significant digits, NaN and ±Inf as Go
// spells them.
func Ftoa(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// WriteCSV writes rows (the first the header) to path atomically.
func WriteCSV(path string, rows [][]string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.WriteAll(rows); err != nil {
			return err
		}
		return cw.Error()
	})
}

// WriteText writes s to path atomically (markdown tables).
func WriteText(path, s string) error {
	return atomicfile.Write(path, func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	})
}
