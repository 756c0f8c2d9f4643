#!/bin/sh
# fuzz_smoke: runs the libFuzzer harness for a bounded time on a COPY of the seed corpus
# (libFuzzer adds what it finds to its corpus directory; the source tree stays as it is).
# Any crash, sanitizer report, leak or slow input makes libFuzzer exit non-zero.
#   run_fuzz.sh FUZZER SEED_DIR WORK_DIR SECONDS
set -eu
fuzzer=$1 seeds=$2 work=$3 secs=$4
rm -rf "$work"
mkdir -p "$work/corpus" "$work/artifacts"
cp "$seeds"/* "$work/corpus/"
echo "fuzz_smoke: $(ls "$work/corpus" | wc -l) seeds, ${secs}s"
exec "$fuzzer" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 -max_len=65536 \
	-print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus"
