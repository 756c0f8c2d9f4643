#!/bin/sh
# Installs the Debian packages a make target needs and that are missing.
#   scripts/deps.sh demo   - C toolchain, CMake and libsodium (module signatures)
#   scripts/deps.sh test   - also clang/libFuzzer, python3 and (unless ELFMOD_SKIP_CROSS=1)
#                            the cross compilers and QEMU
#   scripts/deps.sh bench  - demo's, plus Debian's zlib (a module the benchmarks load) and
#                            the Cortex-M compiler (code sizes)
# Runs apt only when something is missing, so a prepared machine pays nothing.
set -eu

demo_pkgs="gcc libc6-dev make cmake libsodium-dev"
host_test_pkgs="$demo_pkgs binutils python3 file clang lld libclang-rt-14-dev zlib1g-dev g++ doxygen pkgconf gdb"
cross_pkgs="qemu-user qemu-system-arm qemu-system-misc gdb-multiarch
 gcc-arm-none-eabi libnewlib-arm-none-eabi
 gcc-riscv64-unknown-elf
 gcc-aarch64-linux-gnu gcc-arm-linux-gnueabihf gcc-riscv64-linux-gnu gcc-i686-linux-gnu
 gcc-mips-linux-gnu gcc-mipsel-linux-gnu
 g++-aarch64-linux-gnu g++-arm-linux-gnueabihf g++-riscv64-linux-gnu g++-i686-linux-gnu
 g++-mips-linux-gnu g++-mipsel-linux-gnu
 libc6-dev-arm64-cross libc6-dev-armhf-cross libc6-dev-riscv64-cross libc6-dev-i386-cross
 libc6-dev-mips-cross libc6-dev-mipsel-cross
 gcc-xtensa-lx106 binutils-xtensa-lx106"

case "${1:-}" in
  demo) want=$demo_pkgs ;;
  bench) want="$demo_pkgs binutils zlib1g-dev gcc-arm-none-eabi" ;;
  test)
    want=$host_test_pkgs
    # With ELFMOD_SKIP_CROSS=1 the cross tests report themselves skipped, so their
    # tools are not required; otherwise a failed install fails the run loudly.
    [ "${ELFMOD_SKIP_CROSS:-}" = 1 ] || want="$want $cross_pkgs" ;;
  *) echo "usage: $0 demo|test|bench" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in
    *"install ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done
[ -z "$missing" ] && exit 0

echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
    echo "deps: need root to install:$missing" >&2; exit 1; fi
else SUDO=""; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "deps: done"
