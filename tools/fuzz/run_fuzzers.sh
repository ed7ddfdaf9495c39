#!/usr/bin/env bash
# Builds the `fuzz` preset (clang with libFuzzer, ASan and UBSan) and runs every fuzz target, or the ones named, for
# SECONDS each (default 300). At most two targets run at once.
#
#   tools/fuzz/run_fuzzers.sh                     # all targets, 5 minutes each
#   tools/fuzz/run_fuzzers.sh 60 decimal date     # two targets, 1 minute each ("fuzz_decimal" works too)
#
# Each target fuzzes a scratch corpus, .fuzz-work/<target>/, seeded from fuzz/corpus/<target>/, so the committed
# corpus stays small. The scratch corpus grows from run to run; delete it to start again from the seeds. Copy the
# inputs worth keeping back by hand. Seeds named crash-* are left out: they reproduce
# known bugs that ctest replays, and seeding them would stop the campaign at its first input. Crash, leak, timeout
# and OOM inputs go to .fuzz-work/artifacts/<target>/, and libFuzzer's output goes to .fuzz-work/logs/<target>.log.
#
# The script prints one line per target and exits non-zero if any target failed.
# Environment: FUZZ_JOBS (default 2) runs that many targets at once. FUZZ_SKIP_BUILD=1 reuses build/fuzz as it is.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"

seconds=300
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then
  seconds="$1"
  shift
fi
jobs="${FUZZ_JOBS:-2}"

targets=()
if [[ $# -gt 0 ]]; then
  for t in "$@"; do targets+=("${t#fuzz_}"); done
else
  for src in fuzz/fuzz_*.cpp; do
    name="$(basename "$src" .cpp)"
    targets+=("${name#fuzz_}")
  done
fi
for t in "${targets[@]}"; do
  if [[ ! -f "fuzz/fuzz_$t.cpp" ]]; then
    echo "run_fuzzers: unknown target '$t' (no fuzz/fuzz_$t.cpp)" >&2
    exit 2
  fi
done

if [[ "${FUZZ_SKIP_BUILD:-0}" != 1 ]]; then
  cmake --preset fuzz >/dev/null
  cmake --build --preset fuzz
fi
bin_dir="$root/build/fuzz/fuzz"
work="$root/.fuzz-work"
mkdir -p "$work/logs"

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

# run_one TARGET: fuzzes one target. Its exit status is libFuzzer's.
run_one() {
  local t="$1"
  local corpus="$work/$t" artifacts="$work/artifacts/$t" log="$work/logs/$t.log"
  mkdir -p "$corpus" "$artifacts"
  # Seed without overwriting what earlier runs found. Known crash reproducers stay out (see above).
  find "fuzz/corpus/$t" -maxdepth 1 -type f ! -name 'crash-*' -exec cp -n -t "$corpus" {} +
  local dict=()
  local d
  for d in "fuzz/dict/$t.dict" "fuzz/dict/${t%_*}.dict"; do
    if [[ -f "$d" ]]; then
      dict=("-dict=$d")
      break
    fi
  done
  "$bin_dir/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
    -artifact_prefix="$artifacts/" "${dict[@]}" "$corpus" >"$log" 2>&1
}

# summarize TARGET STATUS: prints the target's line and returns 1 if it failed.
summarize() {
  local t="$1" status="$2"
  local log="$work/logs/$t.log" artifacts="$work/artifacts/$t"
  local execs cov corpus_size found
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
  if [[ -z "$execs" ]]; then  # no final stats (the run died): the last "#N ..." status line
    execs="$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')"
  fi
  cov="$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | awk '{print $2}')"
  corpus_size="$(find "$work/$t" -type f | wc -l)"
  found="$(find "$artifacts" -type f -newer "$work/.started" | wc -l)"
  local verdict=ok
  if [[ "$status" != 0 || "$found" != 0 ]]; then verdict=FAILED; fi
  printf '%-28s %-6s execs=%-10s cov=%-6s corpus=%-5s exit=%-3s artifacts=%s log=%s\n' "$t" "$verdict" \
    "${execs:-?}" "${cov:-?}" "$corpus_size" "$status" "$found" "${log#"$root"/}"
  if [[ "$verdict" != ok ]]; then
    find "$artifacts" -type f -newer "$work/.started" -printf '    %p\n'
    grep -m 3 -E 'ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|SUMMARY' "$log" | sed 's/^/    /' || true
    return 1
  fi
  return 0
}

touch "$work/.started"
echo "fuzzing ${#targets[@]} target(s) for ${seconds}s each, $jobs at a time"

declare -A pid_of=()
failed=0
finish_one() {
  # Waits for whichever running target finishes first, then summarizes it.
  local done_pid status=0 t
  wait -n -p done_pid "${pid_of[@]}" || status=$?
  for t in "${!pid_of[@]}"; do
    if [[ "${pid_of[$t]}" == "$done_pid" ]]; then
      unset "pid_of[$t]"
      summarize "$t" "$status" || failed=1
      return
    fi
  done
}

for t in "${targets[@]}"; do
  while [[ ${#pid_of[@]} -ge $jobs ]]; do finish_one; done
  run_one "$t" &
  pid_of[$t]=$!
done
while [[ ${#pid_of[@]} -gt 0 ]]; do finish_one; done

exit "$failed"
