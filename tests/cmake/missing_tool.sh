#!/bin/sh
# Runs in place of a cross test whose tools were missing at configure time.
if [ "${ELFMOD_SKIP_CROSS:-}" = 1 ]; then
  echo "SKIP: missing $* (ELFMOD_SKIP_CROSS=1)"
  exit 77
fi
echo "FAIL: missing cross tool(s): $*. Run 'scripts/deps.sh test' as root," >&2
echo "      or set ELFMOD_SKIP_CROSS=1 to skip cross-architecture tests." >&2
exit 1
