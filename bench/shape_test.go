package bench

import "testing"

func TestParseShape(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shape
	}{
		{"1024", Shape{M: 1024, K: 1024, N: 1024}},
		{"100x784x4000", Shape{M: 100, K: 784, N: 4000}},
		{" 7x1x2 ", Shape{M: 7, K: 1, N: 2}},
		{"100x784x4000:NT", Shape{M: 100, K: 784, N: 4000, TB: true}},
		{"4000x100x784:TN", Shape{M: 4000, K: 100, N: 784, TA: true}},
		{"64:TT", Shape{M: 64, K: 64, N: 64, TA: true, TB: true}},
		{"5x6x7:NN", Shape{M: 5, K: 6, N: 7}},
	} {
		got, err := ParseShape(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("ParseShape(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if back, err := ParseShape(got.String()); err != nil || back != got {
			t.Errorf("ParseShape(%q.String()) = %v, %v", got, back, err)
		}
	}
	for _, bad := range []string{"", "0", "-3", "10x20", "1x2x3x4", "axbxc", "10x0x10", "1e3", "5x6x7:", "5x6x7:N", "5x6x7:NTN", "5x6x7:nt", "5x6x7:XN", ":NN"} {
		if s, err := ParseShape(bad); err == nil {
			t.Errorf("ParseShape(%q) = %v, want an error", bad, s)
		}
	}
	if f := (Shape{M: 2, K: 3, N: 4}).Flops(); f != 48 {
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
