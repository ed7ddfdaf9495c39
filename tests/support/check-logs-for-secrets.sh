#!/usr/bin/env bash
# ctest fixture `test_env` (cleanup): runs after every test of the suite and greps everything the suite logged —
# the bankfeed log files and ctest's captured output — for the secrets the tests handled:
#   - every private key's base64 lines (test PKI and signing vectors),
#   - the PKCS#12 and key passwords,
#   - the tokens, client secrets and PSU ids listed in tests/support/test-secrets.txt.
# It fails if any appears. (http.Logging.SuiteLogsLandWhereThisCheckLooks proves that test processes do log here.)
set -euo pipefail
env_dir="$1"
ctest_tmp="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

patterns="$(mktemp)"
trap 'rm -f "$patterns"' EXIT
# Key material: each base64 line of each PEM private key (long enough to never match by chance).
for key in "$env_dir"/pki/*.key "$root"/tests/vectors/signing/*/key*.pem "$root"/tests/vectors/signing/*/*.key; do
  [[ -f "$key" ]] || continue
  grep -v -- '-----' "$key" | awk 'length($0) >= 40' >>"$patterns" || true
done
for pass in "$env_dir"/pki/*.pass; do
  [[ -f "$pass" ]] && { cat "$pass"; echo; } >>"$patterns"
done
grep -v '^#' "$root/tests/support/test-secrets.txt" | sed '/^$/d' >>"$patterns"
[[ -s "$patterns" ]] || { echo "no secrets to look for: is the test PKI there?" >&2; exit 1; }

logs=()
for f in "$env_dir"/logs/*.log; do [[ -f "$f" ]] && logs+=("$f"); done
lines=0
(( ${#logs[@]} == 0 )) || lines="$(cat "${logs[@]}" | wc -l)"
captured=()
# While ctest runs it writes this run's output to LastTest*.log.tmp; LastTest*.log is the previous run's. Scan the
# current run's when there is one, so a stale file neither hides nor invents a finding.
for f in "$ctest_tmp"/LastTest*.log.tmp; do [[ -f "$f" ]] && captured+=("$f"); done
if (( ${#captured[@]} == 0 )); then
  for f in "$ctest_tmp"/LastTest*.log; do [[ -f "$f" ]] && captured+=("$f"); done
fi

if (( ${#logs[@]} + ${#captured[@]} > 0 )) &&
   hits="$(grep -F -f "$patterns" -l "${logs[@]}" "${captured[@]}" 2>/dev/null)"; then
  echo "secrets found in logs:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "checked $(wc -l <"$patterns") secrets against ${#logs[@]} log files ($lines lines) and ${#captured[@]} ctest logs: none found"
