package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"

	"github.com/fastpath-go/fastpath/experiment"
	"github.com/fastpath-go/fastpath/rnn/tasks"
)

// goRoot finds the Go installation on this machine (not the one the binary
// was built on, which runtime.GOROOT would report): $GOROOT, else what
// 'go env GOROOT' says.
func goRoot() (string, error) {
	if r := os.Getenv("GOROOT"); r != "" {
		return r, nil
	}
	out, err := exec.Command("go", "env", "GOROOT").Output()
	if r := strings.TrimSpace(string(out)); err == nil && r != "" {
		return r, nil
	}
	return "", errors.New("no -corpus given and no Go installation found to read sources from (set GOROOT or give -corpus FILE)")
}

// rnnParseInts parses a comma-separated list of positive integers.
func rnnParseInts(s, flagName string) ([]int, error) {
	var out []int
	for _, item := range experiment.ParseList(s) {
		var v int
		if _, err := fmt.Sscan(item, &v); err != nil || v <= 0 {
			return nil, fmt.Errorf("bad value %q in -%s (want positive integers)", item, flagName)
		}
		out = append(out, v)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("-%s is empty", flagName)
	}
	sort.Ints(out)
	return out, nil
}

// loadCorpus reads -corpus (split by position), or without it the Go
// sources of the Go installation on this machine (split by file).
func loadCorpus(path string, maxBytes int) (tasks.Corpus, error) {
	if path != "" {
		return tasks.LoadCorpus(path, maxBytes)
	}
	goroot, err := goRoot()
	if err != nil {
		return tasks.Corpus{}, err
	}
	return tasks.GoSources(goroot, maxBytes)
}
