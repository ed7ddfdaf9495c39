#!/usr/bin/env bash
# ctest fixture `test_env` (setup): a fresh scratch directory for one run of the suite.
#   <dir>/pki   the test PKI (tests/pki/make-test-pki.sh)
#   <dir>/logs  every test process's bankfeed log, one file per process (BANKFEED_LOG_DIR)
set -euo pipefail
dir="$1"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
rm -rf "$dir"
mkdir -p "$dir/logs"
chmod 700 "$dir" "$dir/logs"
bash "$root/tests/pki/make-test-pki.sh" "$dir/pki"
