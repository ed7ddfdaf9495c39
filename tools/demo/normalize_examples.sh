#!/usr/bin/env bash
# The demo until the sandbox banks exist: normalize the bundled official examples of all three standards and
# print a readable summary per standard, with a few canonical rows.
set -euo pipefail
cli=${1:-build/default/tools/bankfeed}
root=$(cd "$(dirname "$0")/../.." && pwd)

run() {  # standard-name standard-flag kind file
  local std=$1 flag=$2 kind=$3 file=$4
  local out
  if out=$("$cli" normalize --standard "$flag" --kind "$kind" "$root/specs/openapi/$std/examples/$file" 2>&1); then
    printf '  %-12s %-72s %3d rows\n' "$kind" "$file" "$(printf '%s\n' "$out" | grep -c '^{')"
  else
    printf '  %-12s %-72s rejected: %s\n' "$kind" "$file" "$out"
  fi
}

echo "bankfeed demo: normalizing the official examples bundled under specs/openapi"
echo
echo "Berlin Group NextGenPSD2 1.3.11"
run berlin-group berlin-group accounts getAccountList__200-example-2.json
run berlin-group berlin-group balances getBalances__200-example-2-multicurrency-account.json
run berlin-group berlin-group transactions getTransactionList__200-example-3.json
run berlin-group berlin-group transactions getTransactionList__200-example-2.json
echo
echo "UK Open Banking v3.1.11 and v4.0"
run uk-openbanking uk-ob accounts GetAccounts__v3-1-11-200-bulk-detail-permission.json
run uk-openbanking uk-ob balances GetBalances__v4-0-200-bulk.json
run uk-openbanking uk-ob transactions GetTransactions__v3-1-11-200-bulk.json
echo
echo "STET 1.4.0.47"
run stet stet accounts accountsGet__200-composed-from-schema-examples.json
run stet stet balances accountsBalancesGet__200-composed-from-schema-examples.json
run stet stet transactions accountsTransactionsGet__200-composed-from-schema-examples.json
echo
echo "A few canonical rows (Berlin Group transactions, --timezone Europe/Berlin):"
"$cli" normalize --standard berlin-group --kind transactions --account-id demo-account --timezone Europe/Berlin \
  "$root/specs/openapi/berlin-group/examples/getTransactionList__200-example-3.json" | head -n 3
