// The STET bank's check of a request's Cavage signature (draft-10; README "STET"): Signature and Digest present,
// the Digest that of the body (also the empty body), every required header signed (behaviour.stet.signed_headers
// and each PSU context header the request carries), the signer's certificate found through the keyId and chained
// to the trust store, and the signature valid with its key.
//
// keyId per behaviour.stet.key_id: url, an https URL ending in "<lower-case hex SHA-256 of the DER>.pem" that
// names a published certificate (SandboxOptions.published_certificates); or serial-issuer, Berlin Group's
// "SN=..,CA=.." with a TPP-Signature-Certificate header.
#pragma once

#include <string>
#include <vector>

#include "signing/cavage.hpp"
#include "tools/sandbox/published_certs.hpp"
#include "tools/sandbox/request_auth.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox::stet {

// The PSU context headers STET defines; each one a request carries must be signed.
inline const std::vector<std::string>& PsuContextHeaders() {
  static const std::vector<std::string> kHeaders = {
      "psu-ip-address",     "psu-ip-port",   "psu-http-method",      "psu-date",
      "psu-user-agent",     "psu-referer",   "psu-accept",           "psu-accept-charset",
      "psu-accept-encoding", "psu-accept-language", "psu-geo-location", "psu-device-id"};
  return kHeaders;
}

// The lower-case hex SHA-256 a url keyId names ("https://host/path/<64 hex>.pem"), or "" when it names none.
std::string FingerprintOfKeyIdUrl(std::string_view key_id);

// The verdict; reasons name the header or step ("Signature: psu-ip-address present but not signed"), never a
// value.
SignatureCheck VerifyStetSignature(const signing::RequestView& request, const StetOptions& options,
                                   const PublishedCertificates& published, const TrustStore& trust);

}  // namespace bankfeed::sandbox::stet
