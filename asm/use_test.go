package asm

import (
	"strings"
	"testing"
)

// TestUseUnavailable: selecting an implementation this CPU lacks fails and
// leaves the selection unchanged (a fake one is registered, since on a CPU
// with every real implementation no other test reaches this path); a name
// of another architecture says so, and a typo lists the names.
func TestUseUnavailable(t *testing.T) {
	before := Current()
	fake := &Impl{Name: "fake-unavailable", Available: false}
	registry = append(registry, fake)
	defer func() { registry = registry[:len(registry)-1] }()
	prev, err := Use("fake-unavailable")
	if err == nil || !strings.Contains(err.Error(), errNotAvail) || prev != before || Current() != before {
		t.Errorf("Use of an unavailable implementation: err %v, previous %v, current %v (was %v)", err, prev.Name, Current().Name, before.Name)
	}
	other := "neon"
	if Lookup("neon") != nil {
		other = "avx512"
	}
	if Lookup(other) == nil {
		if _, err := Use(other); err == nil || !strings.Contains(err.Error(), "not built for") {
			t.Errorf("Use(%q) on this architecture: %v", other, err)
		}
	}
	if _, err := Use("avx3"); err == nil || !strings.Contains(err.Error(), errUnknown) || !strings.Contains(err.Error(), "neon") || Current() != before {
		t.Errorf("Use of an unknown name: %v", err)
	}
}
