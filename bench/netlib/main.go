// Command netlib runs fastpath's linear-algebra study (bench.RunLinalg)
// with three BLAS implementations under gonum's LAPACK: gonum's native
// code, OpenBLAS through gonum.org/v1/netlib (cgo), and fastpath. It is a
// module of its own so that fastpath itself stays free of cgo; run it with
// ../compare_linalg.sh, which selects OpenBLAS's best kernels for the CPU.
package main

/*
#cgo LDFLAGS: -lopenblas
extern void openblas_set_num_threads(int);
extern char* openblas_get_corename(void);
extern char* openblas_get_config(void);
*/
import "C"

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"

	"github.com/fastpath-go/fastpath/bench"
	"gonum.org/v1/netlib/blas/netlib"
)

func main() {
	ops := flag.String("ops", "", "comma-separated operations (default all: "+strings.Join(bench.LinalgOps, ",")+")")
	sizes := flag.String("sizes", "", "comma-separated matrix orders (default 100,300,1000,2000)")
	threads := flag.String("threads", "", "comma-separated thread counts (default 1 and GOMAXPROCS)")
	samples := flag.Int("samples", 3, "samples per figure (median reported)")
	native := flag.Bool("native", true, "time gonum's native BLAS as well (false: OpenBLAS and fastpath only; gonum's native code takes minutes at n >= 2000)")
	flag.Parse()
	opts := bench.LinalgOptions{Samples: *samples, Progress: os.Stderr}
	var err error
	if *ops != "" {
		opts.Ops = strings.Split(*ops, ",")
	}
	if opts.Sizes, err = ints(*sizes); err == nil {
		opts.Threads, err = ints(*threads)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "netlib:", err)
		os.Exit(2)
	}
	openblas := bench.LinalgBackend{Name: "openblas", BLAS: netlib.Implementation{},
		SetThreads: func(n int) { C.openblas_set_num_threads(C.int(n)) }}
	opts.Backends = []bench.LinalgBackend{bench.NativeBackend, openblas, bench.FastpathBackend}
	if !*native {
		opts.Backends = opts.Backends[1:]
	}
	fmt.Printf("# OpenBLAS core=%s (%s)\n", C.GoString(C.openblas_get_corename()), C.GoString(C.openblas_get_config()))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep, err := bench.RunLinalg(ctx, opts)
	rep.WriteTable(os.Stdout)
	if err != nil {
		fmt.Fprintln(os.Stderr, "netlib:", err)
		os.Exit(1)
	}
}

func ints(s string) ([]int, error) {
	if s == "" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil {
			return nil, fmt.Errorf("bad number %q", f)
		}
		out = append(out, n)
	}
	return out, nil
}
