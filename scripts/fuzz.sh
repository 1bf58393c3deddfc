#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/fuzz-*.cpp) with clang, ASan and
# UBSan, and runs each for a bounded time; fails on any crash, sanitizer
# report, violated invariant, timeout or out-of-memory.
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s, all targets)
#   e.g. scripts/fuzz.sh 30             the CI budget (scripts/test.sh)
#        scripts/fuzz.sh 3600 gguf hf   a longer run of two targets
# Targets: gguf hf tokenize vocab dequant compare.
# Build dir: $GC_BUILD_DIR/fuzz (default build/fuzz). The growing working
# corpus lives in $GC_BUILD_DIR/fuzz/corpus/<target> (not committed); the
# committed seeds in tests/fuzz/corpus/<target> are only read. A crashing
# input is written to $GC_BUILD_DIR/fuzz/artifacts/<target>/: copy it to
# tests/fuzz/regressions/<target>/ (test-fuzz-regressions replays it), fix
# the bug, and rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(gguf hf tokenize vocab dequant compare)
jobs=${JOBS:-2}
B=${GC_BUILD_DIR:-build}/fuzz

cxx=${FUZZ_CXX:-}
if [ -z "$cxx" ]; then
    for c in clang++-14 clang++; do command -v "$c" >/dev/null && { cxx=$c; break; }; done
fi
[ -n "$cxx" ] || { echo "fuzz.sh: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 1; }

if [ ! -f "$B/build.ninja" ]; then
    CXX=$cxx cmake -S . -B "$B" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGC_FUZZ=ON >/dev/null
fi
cmake --build "$B" -j "$jobs" --target "${targets[@]/#/fuzz-}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
root=$PWD
failed=()
printf '\n%-9s %8s %9s %6s %7s %6s\n' target runs exec/s cov ft corpus
for t in "${targets[@]}"; do
    work=$B/corpus/$t art=$B/artifacts/$t/ log=$B/fuzz-$t.log
    mkdir -p "$work" "$art"
    # -timeout: one input may take at most 10 s; -rss_limit_mb: a giant
    # allocation from a crafted length is a finding, not a machine hang.
    if "$B/fuzz-$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$art" "$work" "$root/tests/fuzz/corpus/$t" >"$log" 2>&1; then
        status=ok
    else
        status=FAILED
        failed+=("$t")
    fi
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$done_line")
    printf '%-9s %8s %9s %6s %7s %6s  %s\n' "$t" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$status"
    if [ "$status" != ok ]; then
        grep -E 'ERROR|SUMMARY|runtime error|invariant violated|Test unit written' "$log" | head -8 | sed 's/^/    /'
        echo "    full log: $log"
    fi
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz.sh: failures in: ${failed[*]} (inputs under $B/artifacts/<target>/)" >&2
    exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, ${secs} s each, no findings"
