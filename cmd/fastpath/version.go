package main

import (
	"flag"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/fastpath-go/fastpath/asm"
)

func versionUsage(w io.Writer) {
	fmt.Fprintf(w, "Usage: fastpath version\n\nPrints the module version and VCS revision, the Go version and platform,\nthe detected CPU and the selected kernels, and the dependencies.\n")
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			versionUsage(stdout)
			return 0
		}
		fmt.Fprintf(stderr, "fastpath version: %v (run 'fastpath help version')\n", err)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "fastpath version: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	writeVersion(stdout)
	return 0
}

func writeVersion(w io.Writer) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		fmt.Fprintf(w, "fastpath (no build information)\n")
	} else {
		path, version := info.Main.Path, info.Main.Version
		if path == "" {
			path = "github.com/fastpath-go/fastpath"
		}
		if version == "" {
			version = "(unknown)"
		}
		fmt.Fprintf(w, "fastpath %s %s\n", path, version)
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if rev := settings["vcs.revision"]; rev != "" {
			line := fmt.Sprintf("%s %s", settings["vcs"], rev)
			if t := settings["vcs.time"]; t != "" {
				line += " " + t
			}
			if settings["vcs.modified"] == "true" {
				line += " (modified)"
			}
			fmt.Fprintf(w, "vcs      %s\n", line)
		}
		if tags := settings["-tags"]; tags != "" {
			fmt.Fprintf(w, "tags     %s\n", tags)
		}
		var deps []string
		for _, d := range info.Deps {
			deps = append(deps, d.Path+" "+d.Version)
		}
		if len(deps) > 0 {
			fmt.Fprintf(w, "deps     %s\n", strings.Join(deps, ", "))
		}
	}
	fmt.Fprintf(w, "go       %s %s/%s GOMAXPROCS=%d\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0))
	fmt.Fprintf(w, "kernels  %s\n", asm.Describe())
}
