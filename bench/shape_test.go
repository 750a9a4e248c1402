package bench

import "testing"

func TestParseShape(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shape
	}{
		{"1024", Shape{1024, 1024, 1024}},
		{"100x784x4000", Shape{100, 784, 4000}},
		{" 7x1x2 ", Shape{7, 1, 2}},
	} {
		got, err := ParseShape(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseShape(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if back, err := ParseShape(got.String()); err != nil || back != got {
			t.Errorf("ParseShape(%q.String()) = %v, %v", got, back, err)
		}
	}
	for _, bad := range []string{"", "0", "-3", "10x20", "1x2x3x4", "axbxc", "10x0x10", "1e3"} {
		if s, err := ParseShape(bad); err == nil {
			t.Errorf("ParseShape(%q) = %v, want an error", bad, s)
		}
	}
	if f := (Shape{2, 3, 4}).Flops(); f != 48 {
		t.Errorf("Flops = %v, want 48", f)
	}
}

func TestParsePrec(t *testing.T) {
	for in, want := range map[string]Prec{"s": Single, "d": Double, "float32": Single, "Double": Double} {
		if got, err := ParsePrec(in); err != nil || got != want {
			t.Errorf("ParsePrec(%q) = %v, %v", in, got, err)
		}
	}
	if _, err := ParsePrec("h"); err == nil {
		t.Error("ParsePrec(\"h\") succeeded")
	}
	if Single.String() != "s" || Double.String() != "d" {
		t.Errorf("String: %q %q", Single, Double)
	}
}
