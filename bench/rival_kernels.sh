# Sourced by the comparison scripts: picks the rivals' best kernels for this
# CPU, because kernel selection decides these comparisons (see the header of
# ../shared/baselines/build.sh). Some machines set OPENBLAS_CORETYPE=Haswell
# in the environment, which pins OpenBLAS (and PyTorch, which links it) to
# its AVX2 kernels on CPUs with AVX-512; BLIS 0.9 may run generic C code on
# CPUs newer than it.
#
# Sets and exports OPENBLAS_CORETYPE (Cooperlake, i.e. the AVX-512 kernels,
# where the CPU has AVX-512F; Haswell otherwise) and sets blis_arch, the
# BLIS_ARCH_TYPE number (0 = skx with AVX-512, else 6 = zen3 on AMD, 3 =
# haswell on Intel). ISA=avx2 pins both to AVX2 (Haswell, zen3), sets
# onednn_isa=AVX2 and fp_impl=avx2 (fastpath -impl). OPENBLAS_CORE and
# BLIS_ARCH override the choices. Prints one "# kernels: ..." line.
isa=${ISA:-best}
cpu_avx512=no
grep -qw avx512f /proc/cpuinfo 2>/dev/null && cpu_avx512=yes
cpu_vendor=$(awk -F': ' '/^vendor_id/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
fp_impl=""
onednn_isa=""
if [ "$isa" = avx2 ]; then
  ob_core=Haswell
  blis_arch=6
  fp_impl=avx2
  onednn_isa=AVX2
elif [ "$cpu_avx512" = yes ]; then
  ob_core=Cooperlake
  blis_arch=0
else
  ob_core=Haswell
  blis_arch=3
  [ "$cpu_vendor" = AuthenticAMD ] && blis_arch=6
fi
OPENBLAS_CORETYPE=${OPENBLAS_CORE:-$ob_core}
export OPENBLAS_CORETYPE
blis_arch=${BLIS_ARCH:-$blis_arch}
echo "# kernels: isa=$isa cpu_avx512=$cpu_avx512 vendor=$cpu_vendor OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE BLIS_ARCH_TYPE=$blis_arch ONEDNN_MAX_CPU_ISA=${onednn_isa:-auto} fastpath-impl=${fp_impl:-best}"
