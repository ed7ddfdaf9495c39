// What a Cavage-signed request says about the signing certificate: the keyId in "SN=...,CA=..." form and the
// TPP-Signature-Certificate header value.
#pragma once

#include <string>

#include <openssl/types.h>

#include "bankfeed/result.hpp"
#include "bankfeed/signing.hpp"

namespace bankfeed::signing {

// "SN=<serial>,CA=<issuer>" as in the Berlin Group implementation guide's example
// ("SN=9FA1,CA=CN=D-TRUST%20CA%202-1%202015,O=D-Trust%20GmbH,C=DE"):
// - serial: hex without leading zeros, upper- or lower-case (adorsys sends lower-case);
// - issuer: RFC 4514 string (last RDN first, "CN=...,O=...,C=DE"), with RFC 4514 escaping, then every space
//   written as %20. Attribute types outside RFC 4514's table (CN L ST O OU C STREET DC UID) are dotted OIDs with a
//   "#" + hex DER value, as RFC 4514 §2.4 says and Java's X500Principal.getName() does.
// kInvalidArgument for a null certificate; kConfig for an unusable one (negative serial, undecodable name).
Result<std::string> SerialIssuerKeyId(X509* cert, bool serial_uppercase);

// The TPP-Signature-Certificate value: base64 of the DER, or that between the PEM BEGIN/END lines on one line
// (a header value cannot hold line breaks).
Result<std::string> CertificateHeaderValue(X509* cert, CavageOptions::CertificateEncoding encoding);

// The lower-case hex SHA-256 of the certificate's DER (64 characters): how a STET bank finds a published QSealC and
// how a certificate-bound token names its certificate. "" for a null certificate or when the digest fails.
std::string CertificateSha256Hex(X509* cert);

// kConfig unless the certificate's public key is the key's: a signature the bank cannot check against the
// certificate we send would only fail at the bank, with a less helpful message.
Status CheckKeyMatchesCertificate(X509* cert, EVP_PKEY* key);

}  // namespace bankfeed::signing
