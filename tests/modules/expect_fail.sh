#!/bin/sh
# expect_fail.sh CODE PATTERN COMMAND...: passes when COMMAND exits with CODE and its
# standard error matches the extended regex PATTERN.
set -u
code=$1 pattern=$2
shift 2
err=$("$@" 2>&1 >/dev/null)
rc=$?
printf '%s\n' "$err"
[ $rc -eq "$code" ] || { echo "FAIL: exit code $rc, want $code"; exit 1; }
printf '%s\n' "$err" | grep -qE -- "$pattern" || { echo "FAIL: stderr does not match /$pattern/"; exit 1; }
echo PASS
