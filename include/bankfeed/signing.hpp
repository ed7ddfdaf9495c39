// bankfeed/signing.hpp: how a bank wants its requests signed.
//
// These are the per-bank signing options that a bank profile carries. The signing itself (Digest, the Cavage
// `Signature` header of Berlin Group and STET, the UK Open Banking `x-jws-signature`) is internal to bankfeed: the
// HTTP layer applies it with these options and the bank's key.
//
//   bankfeed::CavageOptions cavage;                       // Berlin Group defaults
//   cavage.serial_uppercase = false;                      // this bank wants "SN=8e5c...", as adorsys sends
//   if (auto ok = cavage.Validate(); !ok) std::cerr << ok.error().ToString() << "\n";
#pragma once

#include <string>
#include <vector>

#include "bankfeed/export.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed {

// The hash in the `Digest` request header: "SHA-256=<base64>" or "SHA-512=<base64>".
enum class DigestAlgorithm { kSha256, kSha512 };

// draft-cavage-http-signatures-10, as Berlin Group NextGenPSD2 and STET use it.
struct BANKFEED_EXPORT CavageOptions {
  // The token written into algorithm="...". Banks disagree on the spelling ("rsa-sha256" in the draft and the
  // Berlin Group guide, "SHA256withRSA" at adorsys-based banks), never on the algorithm: RSASSA-PKCS1-v1_5 with
  // SHA-256 for every accepted token. Validate() rejects any other token rather than sign with a guess.
  std::string algorithm = "rsa-sha256";

  // The signed headers, in signing order: lower-case names, or "(request-target)". The default is the Berlin Group
  // set, in the order of its implementation guide.
  std::vector<std::string> headers = {"digest",           "x-request-id",     "psu-id",
                                      "psu-corporate-id", "tpp-redirect-uri", "date"};
  // Entries of `headers` that are signed only when the request has them (Berlin Group: "PSU-ID, if present"). Any
  // other listed header missing from a request is an error, never silently left unsigned.
  std::vector<std::string> headers_if_present = {"psu-id", "psu-corporate-id", "tpp-redirect-uri", "date"};

  enum class KeyIdFormat {
    kSerialIssuer,  // keyId="SN=<serial hex>,CA=<issuer DN, RFC 4514, spaces as %20>" (Berlin Group)
    kUrl,           // keyId="<key_id_url>": where the bank fetches the certificate (STET)
  };
  KeyIdFormat key_id_format = KeyIdFormat::kSerialIssuer;
  bool serial_uppercase = true;  // "SN=9FA1" as the Berlin Group example; false gives "SN=9fa1"
  // For kUrl: an http(s) URL. "{fingerprint}" in it stands for the lower-case hex SHA-256 of the QSealC's DER, and
  // a URL ending in '/' names a directory that gets "<fingerprint>.pem" appended (a TPP that publishes its QSealC
  // as a file named by its fingerprint, as STET banks expect). Empty in a profile: the TPP's own publication URL
  // (bankfeed.yaml tpp.qseal_url) is used.
  std::string key_id_url;

  // The TPP-Signature-Certificate value: base64 of the DER (Berlin Group), or the same between the PEM
  // BEGIN/END lines on one line, for banks that ask for "PEM".
  enum class CertificateEncoding { kBase64Der, kPem };
  CertificateEncoding certificate_encoding = CertificateEncoding::kBase64Der;

  DigestAlgorithm digest = DigestAlgorithm::kSha256;

  // The draft requires lower-case names in headers="..." and real verifiers (adorsys, Tomitribe) lower-case the
  // list anyway. The Berlin Group example shows "Digest X-Request-ID ..."; for a bank that compares that text
  // literally, true writes each name as the request spells it. The signing string stays lower-case either way.
  bool headers_capitalised_in_list = false;

  // kConfig errors that name the option, e.g. "cavage.headers[2]: not a lower-case header name".
  Status Validate() const;

  // The STET defaults: (request-target), Digest and X-Request-ID always signed, the PSU context headers, Date and
  // Content-Type when the request has them; keyId the URL of the published QSealC.
  static CavageOptions StetDefaults();
};

// UK Open Banking x-jws-signature: a detached JWS, PS256 (RSASSA-PSS, SHA-256, MGF1-SHA-256, 32-byte salt).
struct BANKFEED_EXPORT JwsOptions {
  enum class Form {
    kV314Plus,      // v3.1.4 and later: no "b64"; the signing input holds base64url(body)
    kV313b64False,  // v3.1.3 and earlier: "b64": false, "b64" in crit; the signing input holds the raw body
  };
  Form form = Form::kV314Plus;
  std::string kid;                                  // the signing key's id in the OB directory's JWKS
  std::string issuer;                               // "http://openbanking.org.uk/iss": "<org-id>/<software-id>"
  std::string trust_anchor = "openbanking.org.uk";  // "http://openbanking.org.uk/tan"
  std::string content_type = "application/json";    // "cty"

  // kConfig errors that name the option, e.g. "jws.kid: empty".
  Status Validate() const;
};

}  // namespace bankfeed
