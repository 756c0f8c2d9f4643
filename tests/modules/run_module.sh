#!/bin/sh
# run_module.sh EXPECTED ELFMOD [run arguments...]: runs `ELFMOD run ...` and passes
# when it exits 0 and its standard output is exactly EXPECTED (or, for an EXPECTED
# file named *.re, when every line of it is an extended regex some output line matches).
set -u
expected=$1
shift
out=$("$@")
rc=$?
if [ $rc -ne 0 ]; then
  echo "FAIL: exit code $rc from: $*"
  printf '%s\n' "$out"
  exit 1
fi
case $expected in
*.re)
  while IFS= read -r re; do
    if ! printf '%s\n' "$out" | grep -qE -- "$re"; then
      echo "FAIL: no output line matches /$re/"
      printf '%s\n' "$out"
      exit 1
    fi
  done < "$expected"
  printf '%s\n' "$out"
  echo "PASS"
  exit 0 ;;
esac
if [ "$out" != "$(cat "$expected")" ]; then
  echo "FAIL: output differs from $expected"
  printf '%s\n' "$out" | diff -u "$expected" - 
  exit 1
fi
printf '%s\n' "$out"
echo "PASS"
