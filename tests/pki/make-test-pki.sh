#!/usr/bin/env bash
# Creates bankfeed's throwaway test PKI in OUTDIR (all identities FAKE; never use outside tests).
#
#   tests/pki/make-test-pki.sh OUTDIR
#
# OUTDIR's contents are deleted and recreated, so every run gives the same file names with fresh keys. Other tests
# code against these names (see the list at the end). Plain OpenSSL 3.0 CLI; the chain is checked before it exits.
#
# Speed: EC P-256 keys for the CAs and the TLS server/client certificates (key generation is instant). The QWAC and
# QSealC, and the mismatch key, are RSA 2048 because request signing uses RSA (rsa-sha256 / PS256).
# Serial numbers are fixed, so tests can expect them (0A... keeps a leading zero nibble to print).
set -Eeuo pipefail
trap 'echo "make-test-pki.sh: FAILED at line $LINENO: $BASH_COMMAND" >&2' ERR

if [[ $# -ne 1 || -z "$1" || "$1" == "/" ]]; then
  echo "usage: $0 OUTDIR" >&2
  exit 2
fi
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CNF="$HERE/psd2-ext.cnf"
OUT="$1"

umask 077  # every file starts 0600; certificates are opened up to 0644 at the end
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
find "$OUT" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
export PKI_WORK
PKI_WORK=$(mktemp -d)
trap 'rm -rf "$PKI_WORK"' EXIT
cd "$OUT"

# The QWAC/QSealC identity: ETSI TS 119 495 5.2.1 organizationIdentifier = PSD + CC + '-' + NCA + '-' + number.
export NCA_NAME="Federal Financial Supervisory Authority"
export NCA_ID="DE-BAFIN"
ORGID="PSDDE-BAFIN-123456"
export OPENSSL_CONF="$CNF"  # no host openssl.cnf influence

ec_key() { openssl genpkey -quiet -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"; }
rsa_key() { openssl genpkey -quiet -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1"; }

# ca NAME SUBJECT SERIAL
make_ca() {
  ec_key "$1.key"
  openssl req -new -x509 -config "$CNF" -key "$1.key" -sha256 -days 3650 -subj "$2" \
    -extensions v3_ca -set_serial "$3" -out "$1.pem"
}

# leaf NAME KEYTYPE(ec|rsa) SUBJECT EXTENSIONS ISSUER SERIAL
make_leaf() {
  "$2_key" "$1.key"
  openssl req -new -config "$CNF" -key "$1.key" -subj "$3" -out "$PKI_WORK/$1.csr"
  openssl x509 -req -in "$PKI_WORK/$1.csr" -CA "$5.pem" -CAkey "$5.key" -set_serial "$6" -days 825 -sha256 \
    -extfile "$CNF" -extensions "$4" -out "$1.pem"
}

make_ca ca "/C=DE/O=bankfeed Test QTSP (NOT QUALIFIED)/CN=bankfeed Test QTSP Root CA" 0x01
make_ca other-ca "/C=DE/O=Unrelated Test CA/CN=Unrelated Test Root CA" 0x02

make_leaf server ec "/CN=localhost" v3_server ca 0x1001
make_leaf server-wronghost ec "/CN=wrong.example" v3_server_wronghost ca 0x1002
make_leaf server-other-ca ec "/CN=localhost" v3_server other-ca 0x2001
make_leaf client-other-ca ec "/O=Unrelated Client/CN=client.example.test" v3_client other-ca 0x2002

# Expired: valid 2020-01-01 .. 2021-01-01 only. `openssl ca` is the 3.0 command that takes explicit dates.
ec_key server-expired.key
openssl req -new -config "$CNF" -key server-expired.key -subj "/CN=localhost" -out "$PKI_WORK/server-expired.csr"
: > "$PKI_WORK/index.txt"
echo 1003 > "$PKI_WORK/serial"
openssl ca -batch -notext -config "$CNF" -name test_ca -cert ca.pem -keyfile ca.key \
  -startdate 20200101000000Z -enddate 20210101000000Z -extensions v3_server \
  -in "$PKI_WORK/server-expired.csr" -out server-expired.pem

make_leaf qwac rsa "/C=DE/O=Test TPP Ltd/organizationIdentifier=$ORGID/CN=tpp.example.test" v3_qwac ca \
  0x0A1B2C3D4E5F6071
make_leaf qseal rsa "/C=DE/O=Test TPP Ltd/organizationIdentifier=$ORGID/CN=Test TPP Ltd QSeal" v3_qseal ca \
  0x0B1B2C3D4E5F6072

# PKCS#12 bundles (OpenSSL 3 defaults: AES-256-CBC + PBKDF2, SHA-256 MAC). Password files have no newline.
printf '%s' 'test-p12-password' > qwac.p12.pass
printf '%s' 'test-p12-password' > qseal.p12.pass
openssl pkcs12 -export -name qwac -inkey qwac.key -in qwac.pem -certfile ca.pem -passout file:qwac.p12.pass \
  -out qwac.p12
openssl pkcs12 -export -name qseal -inkey qseal.key -in qseal.pem -certfile ca.pem -passout file:qseal.p12.pass \
  -out qseal.p12

# The QWAC key again, encrypted (PKCS#8, AES-256-CBC); and an unrelated RSA key for cert/key mismatch tests.
printf '%s' 'test-key-password' > qwac-key.pass
openssl pkey -in qwac.key -aes256 -passout file:qwac-key.pass -out qwac-key-encrypted.key
rsa_key qwac-mismatch.key

chmod 0644 ./*.pem

# ---- checks: fail loudly rather than hand broken material to the tests ----
fail() { echo "make-test-pki.sh: CHECK FAILED: $*" >&2; exit 1; }
openssl verify -CAfile ca.pem -purpose sslserver server.pem server-wronghost.pem >/dev/null
openssl verify -CAfile ca.pem -purpose sslclient qwac.pem >/dev/null
openssl verify -CAfile ca.pem qseal.pem >/dev/null
openssl verify -CAfile other-ca.pem -purpose sslserver server-other-ca.pem >/dev/null
openssl verify -CAfile other-ca.pem -purpose sslclient client-other-ca.pem >/dev/null
openssl verify -CAfile ca.pem -no_check_time -purpose sslserver server-expired.pem >/dev/null
if openssl verify -CAfile ca.pem server-expired.pem >/dev/null 2>&1; then fail "server-expired.pem verifies"; fi
if openssl verify -CAfile ca.pem server-other-ca.pem >/dev/null 2>&1; then fail "server-other-ca.pem verifies"; fi

pub() { openssl pkey -pubout "$@"; }
for n in ca other-ca server server-expired server-wronghost server-other-ca client-other-ca qwac qseal; do
  [[ "$(openssl x509 -in "$n.pem" -noout -pubkey)" == "$(pub -in "$n.key")" ]] || fail "$n.key does not match $n.pem"
done
[[ "$(pub -in qwac-key-encrypted.key -passin file:qwac-key.pass)" == "$(pub -in qwac.key)" ]] ||
  fail "qwac-key-encrypted.key is not the QWAC key"
[[ "$(pub -in qwac-mismatch.key)" != "$(pub -in qwac.key)" ]] || fail "qwac-mismatch.key equals the QWAC key"
for n in qwac qseal; do
  openssl pkcs12 -in "$n.p12" -passin "file:$n.p12.pass" -nokeys -clcerts 2>/dev/null |
    openssl x509 -noout -fingerprint -sha256 |
    cmp -s - <(openssl x509 -in "$n.pem" -noout -fingerprint -sha256) || fail "$n.p12 does not hold $n.pem"
  openssl x509 -in "$n.pem" -noout -subject -nameopt RFC2253 | grep -q "$ORGID" || fail "$n.pem lacks $ORGID"
done

expected=(ca.key ca.pem client-other-ca.key client-other-ca.pem other-ca.key other-ca.pem qseal.key qseal.p12
  qseal.p12.pass qseal.pem qwac-key-encrypted.key qwac-key.pass qwac-mismatch.key qwac.key qwac.p12 qwac.p12.pass
  qwac.pem server-expired.key server-expired.pem server-other-ca.key server-other-ca.pem server-wronghost.key
  server-wronghost.pem server.key server.pem)
actual=$(find . -mindepth 1 -printf '%P\n' | LC_ALL=C sort | tr '\n' ' ')
[[ "$actual" == "$(printf '%s\n' "${expected[@]}" | LC_ALL=C sort | tr '\n' ' ')" ]] ||
  fail "unexpected file set: $actual"
for f in *.key *.pass *.p12; do
  [[ "$(stat -c %a "$f")" == 600 ]] || fail "$f is not mode 0600"
done
echo "test PKI ready in $OUT"
