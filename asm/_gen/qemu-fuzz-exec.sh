#!/bin/sh
# go test -exec wrapper for fuzzing under qemu-user: the fuzz coordinator
# re-executes os.Args[0] for its workers, so make argv[0] a host script that
# re-enters qemu with the real arm64 test binary. Usage, from the repository
# root (bound minimization, which is slow under emulation):
#
#   GOARCH=arm64 go test -exec "$PWD/asm/_gen/qemu-fuzz-exec.sh" -run XXX \
#       -fuzz FuzzRelu -fuzztime 30s -fuzzminimizetime 10x ./asm
bin="$1"; shift
w="$(dirname "$bin")/fuzzworker.sh"
printf '#!/bin/sh\nexec qemu-aarch64-static "%s" "$@"\n' "$bin" > "$w"
chmod +x "$w"
exec qemu-aarch64-static -0 "$w" "$bin" "$@"
