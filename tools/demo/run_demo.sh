#!/usr/bin/env bash
# `make demo`: the whole path on the bundled sandbox banks, on loopback only.
#   1. makes a throwaway test PKI (CA, bank server certificate, the TPP's QWAC and QSealC);
#   2. starts three Berlin Group sandbox banks with different quirks, one UK Open Banking bank and one STET bank
#      (specs/sandbox/*.yaml), and registers with the UK bank (dynamic client registration, signed with the QSealC);
#   3. for a few customers: consent (redirect, OAuth2 pre-step, decoupled; the UK hybrid flow with its signed
#      request object and validated ID token; the STET code flow and PUT /consents), kept in an encrypted SQLite
#      store;
#   4. syncs every consent into the store and prints the feed;
#   5. moves the banks' simulated date on (pending rows book), syncs again and prints only what changed;
#   6. the same through bankfeedd, the gRPC daemon: bankfeedctl starts and completes consents, triggers a sync, pages
#      the feed and reads health and sync status over the daemon's Unix socket (bearer token, own store);
#   7. stops everything it started (also on failure or Ctrl-C).
set -euo pipefail
cli=$(realpath "${1:-build/default/tools/bankfeed}")
daemon_dir=$(realpath "${2:-$(dirname "$cli")/../daemon}")
root=$(cd "$(dirname "$0")/../.." && pwd)
today=2025-01-31  # the sandbox's simulated date, and the client's
later=2025-02-03  # the second sync's date: pending rows have booked, some at another amount

work=$(mktemp -d "${TMPDIR:-/tmp}/bankfeed-demo.XXXXXX")
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== test PKI (throwaway, FAKE identities)"
bash "$root/tests/pki/make-test-pki.sh" "$work/pki" >/dev/null 2>&1
pki=$work/pki

start_bank() {  # name [standard]
  local name=$1 standard=${2:-berlin-group}
  # --published-cert: what the TPP publishes at tpp.qseal_url, where a STET bank fetches the QSealC of a signature.
  "$cli" sandbox --standard "$standard" --scenario "$root/specs/sandbox/$name.yaml" --listen 127.0.0.1:0 \
    --cert "$pki/server.pem" --key "$pki/server.key" --client-ca "$pki/ca.pem" --today "$today" \
    --published-cert "$pki/qseal.pem" \
    --port-file "$work/$name.port" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=("$!")
}
wait_port() {  # name
  local name=$1
  for _ in $(seq 1 100); do
    [ -s "$work/$name.port" ] && { cat "$work/$name.port"; return 0; }
    sleep 0.1
  done
  echo "sandbox $name did not start:" >&2
  cat "$work/$name.err" >&2
  return 1
}

echo "== starting sandbox banks on 127.0.0.1"
banks=(alpha beta gamma delta epsilon)
for bank in alpha beta gamma; do start_bank "$bank"; done
start_bank delta uk-ob
start_bank epsilon stet
declare -A port
for bank in "${banks[@]}"; do
  port[$bank]=$(wait_port "$bank")
  echo "   sandbox-$bank  https://127.0.0.1:${port[$bank]}  ($(grep -m1 '^#' "$root/specs/sandbox/$bank.yaml" | sed 's/^# *//'))"
done

cat >"$work/bankfeed.yaml" <<YAML
tpp:
  qwac: {certificate_file: $pki/qwac.pem, key_file: $pki/qwac.key}
  qseal: {certificate_file: $pki/qseal.pem, key_file: $pki/qseal.key}
  ca_bundle_file: $pki/ca.pem
  qseal_url: https://tpp.example/qseal/   # STET banks fetch <sha-256 fingerprint>.pem from here
  redirect_uri: https://tpp.example/callback
profiles_dir: $root/specs/banks
store:
  path: $work/bankfeed.db
  key_file: $work/at-rest.keys
banks:
  sandbox-alpha: {base_url: "https://127.0.0.1:${port[alpha]}"}
  sandbox-beta: {base_url: "https://127.0.0.1:${port[beta]}"}
  sandbox-gamma: {base_url: "https://127.0.0.1:${port[gamma]}"}
  sandbox-delta: {base_url: "https://127.0.0.1:${port[delta]}/open-banking/v3.1/aisp"}
  sandbox-epsilon: {base_url: "https://127.0.0.1:${port[epsilon]}/stet/v1"}
YAML
config=$work/bankfeed.yaml
# The at-rest key (throwaway): one key id and 32 random bytes, mode 0600.
(umask 077 && printf 'demo-key-1 %s\n' "$(openssl rand -base64 32)" >"$work/at-rest.keys")

field() { sed -n "s/^$1: //p"; }

# The customer's browser: opens the SCA page (approved at once in sandbox mode) and returns where the bank sent it,
# fragment included (the UK hybrid flow answers in the fragment).
browser() {
  curl -sS --cacert "$pki/ca.pem" -o /dev/null -D - "$1" | tr -d '\r' | sed -n 's/^[Ll]ocation: //p'
}

# The software statement the TPP's directory would issue (here signed with the demo QSealC, its certificate in x5c).
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
software_statement() {
  local header claims input
  header=$(printf '{"alg":"PS256","kid":"bankfeed-test-qseal","typ":"JWT","x5c":["%s"]}' \
    "$(openssl x509 -in "$pki/qseal.pem" -outform DER | openssl base64 -A)" | b64url)
  claims=$(printf '{"iss":"OpenBanking Ltd","software_id":"bankfeed-demo","org_id":"0015800001041RHAAY","iat":%s}' \
    "$(date +%s)" | b64url)
  input="$header.$claims"
  printf '%s.%s' "$input" "$(printf '%s' "$input" | openssl dgst -sha256 -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:32 -sign "$pki/qseal.key" | b64url)"
}
echo
echo "== sandbox-delta (UK): dynamic client registration"
software_statement >"$work/ssa.jwt"
"$cli" register --config "$config" --bank sandbox-delta --ssa "$work/ssa.jwt" | sed 's/client id .*/client id kept in registrations\/sandbox-delta.json/; s/^/   /' 

consent() {  # bank psu approach
  local bank=$1 psu=$2 approach=$3 out handle url back
  out=$("$cli" consent start --config "$config" --bank "sandbox-$bank" --psu "$psu" --psu-ip 192.0.2.10 \
        --approach "$approach" --valid-until 2025-04-30)
  handle=$(printf '%s\n' "$out" | field consent)
  url=$(printf '%s\n' "$out" | field sca_url)
  if [ -n "$url" ]; then
    back=$(browser "$url")
    "$cli" consent complete --config "$config" --consent "$handle" --callback "$back" >/dev/null
  else
    "$cli" consent complete --config "$config" --consent "$handle" >/dev/null  # decoupled: waits for the app
  fi
  printf '%s' "$handle"
}

customers=0
run_customer() {  # bank psu approach
  local bank=$1 psu=$2 approach=$3 handle
  customers=$((customers + 1))
  echo
  # The PSU id is the customer's login at the bank: personal data, so the summary shows a number instead.
  echo "== sandbox-$bank, customer #$customers: consent by $approach"
  handle=$(consent "$bank" "$psu" "$approach")
  "$cli" consent status --config "$config" --consent "$handle" | sed 's/^/   /'
}

# The feed as a table: seq, change, transaction, pending it replaces, status, dates, amount. The columns after these
# hold names, IBANs and remittance texts, which a demo log has no business showing.
show_feed() {  # cursor
  "$cli" feed --config "$config" --all --format csv ${1:+--cursor "$1"} 2>"$work/cursor" |
    awk -F, '{ printf "   %-5s %-9s %-35s %-35s %-8s %-12s %10s %s\n", $1, $2, $5, ($6 == "" ? "-" : $6), $7, $8, $10, $11 }' \
    >"$work/feed.txt"
  local rows
  rows=$(wc -l <"$work/feed.txt")
  if [ "$rows" -le 19 ]; then
    cat "$work/feed.txt"
  else
    head -n 13 "$work/feed.txt"
    echo "   ... $((rows - 19)) more changes ..."
    tail -n 6 "$work/feed.txt"
  fi
  sed -n 's/^next_cursor: //p' "$work/cursor"
}

clock() {  # date: moves every sandbox's simulated date (admin endpoint, client certificate required)
  for bank in "${banks[@]}"; do
    curl -sS --cacert "$pki/ca.pem" --cert "$pki/qwac.pem" --key "$pki/qwac.key" -X POST \
      -H 'Content-Type: application/json' -d "{\"today\": \"$1\"}" "https://127.0.0.1:${port[$bank]}/sandbox/clock" >/dev/null
  done
}

run_customer alpha psu-anna redirect
run_customer alpha psu-ben decoupled
run_customer beta psu-dora oauth2
run_customer gamma psu-finn decoupled
run_customer delta psu-dan oauth2
run_customer epsilon psu-camille oauth2

echo
echo "== sync on $today into the encrypted store ($(basename "$work")/bankfeed.db)"
"$cli" sync --config "$config" --today "$today" | sed 's/^/   /'
echo
echo "== the feed from the start (first and last rows)"
cursor=$(show_feed "" | tee "$work/feed1" | tail -n 1)
head -n -1 "$work/feed1"
echo "   next cursor: $cursor"

echo
echo "== $later: the banks' date moves on; pending rows book (some at another amount); sync again"
clock "$later"
"$cli" sync --config "$config" --today "$later" | sed 's/^/   /'
echo
echo "== the feed after the cursor: only what changed"
show_feed "$cursor" | head -n -1
echo
echo "== the same day again: nothing changed, so nothing is added"
"$cli" sync --config "$config" --today "$later" | tail -n 1 | sed 's/^/   /'

echo
echo "== bankfeedd: the same banks through the gRPC daemon (Unix socket, bearer token, its own encrypted store)"
token=$(openssl rand -hex 32)
(umask 077 && printf '%s\n' "$token" >"$work/token")
(umask 077 && printf 'daemon-key-1 %s\n' "$(openssl rand -base64 32)" >"$work/daemon-at-rest.keys")
sed -e "s|$work/bankfeed.db|$work/daemon.db|" -e "s|$work/at-rest.keys|$work/daemon-at-rest.keys|" "$config" >"$work/daemon.yaml"
cat >>"$work/daemon.yaml" <<YAML
daemon:
  unix_socket: $work/bankfeedd.sock
  tenants:
    - id: demo
      token_sha256: [$(printf '%s' "$token" | "$daemon_dir/bankfeedd" hash-token)]
  scheduler: {enabled: false}
  log: {level: warn}
YAML
"$daemon_dir/bankfeedd" --config "$work/daemon.yaml" --today "$later" --ready-file "$work/bankfeedd.ready" \
  2>"$work/bankfeedd.err" &
daemon_pid=$!
pids+=("$daemon_pid")
for _ in $(seq 1 100); do [ -s "$work/bankfeedd.ready" ] && break; sleep 0.1; done
[ -s "$work/bankfeedd.ready" ] || { echo "bankfeedd did not start:" >&2; cat "$work/bankfeedd.err" >&2; exit 1; }
ctl() { "$daemon_dir/bankfeedctl" --socket "$work/bankfeedd.sock" --token-file "$work/token" "$@"; }
echo "   health: $(ctl health)"
out=$(ctl consent-start --bank sandbox-alpha --psu psu-anna --psu-ip 192.0.2.10 --approach redirect --valid-until 2025-04-30)
consent_id=$(printf '%s\n' "$out" | field consent)
customer_id=$(printf '%s\n' "$out" | field customer)
echo "   consent $consent_id for customer $customer_id: $(printf '%s\n' "$out" | field status), SCA in the browser"
back=$(browser "$(printf '%s\n' "$out" | field sca_url)")
echo "   after SCA: $(ctl consent-complete --consent "$consent_id" --callback "$back" | field status)"
out=$(ctl consent-start --bank sandbox-delta --psu psu-dan --psu-ip 192.0.2.10 --approach oauth2 --valid-until 2025-04-30)
uk_consent=$(printf '%s\n' "$out" | field consent)
uk_customer=$(printf '%s\n' "$out" | field customer)
echo "   UK consent $uk_consent: $(printf '%s\n' "$out" | field status), the hybrid flow in the browser"
back=$(browser "$(printf '%s\n' "$out" | field sca_url)")
echo "   after SCA (ID token validated): $(ctl consent-complete --consent "$uk_consent" --callback "$back" | field status)"
out=$(ctl consent-start --bank sandbox-epsilon --psu psu-julien --psu-ip 192.0.2.10 --approach oauth2 --valid-until 2025-04-30)
stet_consent=$(printf '%s\n' "$out" | field consent)
stet_customer=$(printf '%s\n' "$out" | field customer)
echo "   STET consent $stet_consent: $(printf '%s\n' "$out" | field status), the code flow in the browser"
back=$(browser "$(printf '%s\n' "$out" | field sca_url)")
echo "   after SCA (code redeemed, PUT /consents): $(ctl consent-complete --consent "$stet_consent" --callback "$back" | field status)"
echo "   Admin.TriggerSync, for each customer:"
ctl sync --customer "$customer_id" | sed 's/^/     /'
ctl sync --customer "$uk_customer" | sed 's/^/     /'
ctl sync --customer "$stet_customer" | sed 's/^/     /'
echo "   Feed.Sync from the start, 100 per page (first rows; personal columns left out):"
ctl feed --all --page-size 100 >"$work/daemon-feed.csv" 2>"$work/ctl-cursor"
head -n 6 "$work/daemon-feed.csv" | cut -d, -f1,2,5,7-11 | sed 's/^/     /'
echo "     ... $(($(wc -l <"$work/daemon-feed.csv") - 1)) changes in all; $(cat "$work/ctl-cursor")"
echo "   Admin.GetSyncStatus:"
ctl status --customer "$customer_id" | sed 's/^/     /'
ctl status --customer "$uk_customer" | sed 's/^/     /'
ctl status --customer "$stet_customer" | sed 's/^/     /'
echo "   a call without the token: $("$daemon_dir/bankfeedctl" --socket "$work/bankfeedd.sock" feed 2>&1 >/dev/null || true)"
kill -TERM "$daemon_pid"
wait "$daemon_pid" && echo "   bankfeedd stopped cleanly on SIGTERM"

echo
echo "== done: every bank and consent ran on loopback; stopping the sandboxes"
