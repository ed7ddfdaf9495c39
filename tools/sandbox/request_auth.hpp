// Checks a request's Cavage signature the way a Berlin Group bank does (README "Signatures"): Digest, Signature and
// TPP-Signature-Certificate present; the certificate chains to the trust store; keyId is SN=<serial>,CA=<issuer>
// of that certificate; the required headers are signed; the Digest matches the body; the signature verifies.
//
// Free of the HTTP server, so tests and the fuzz target call it with plain views.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/result.hpp"
#include "pki/openssl_ptr.hpp"
#include "signing/cavage.hpp"
#include "tools/sandbox/tls.hpp"

namespace bankfeed::sandbox {

enum class SignatureVerdict { kValid, kMissing, kInvalid };

struct SignatureCheck {
  SignatureVerdict verdict = SignatureVerdict::kInvalid;
  std::string reason;  // names the header or step, never a value
};

struct CavagePolicy {
  std::vector<std::string> always_signed = {"digest", "x-request-id"};
  std::vector<std::string> signed_when_present = {"psu-id", "tpp-redirect-uri"};
};

SignatureCheck VerifyCavageRequest(const signing::RequestView& request, const TrustStore& trust,
                                   const CavagePolicy& policy = {});

// TPP-Signature-Certificate: base64 of the DER, or that between PEM BEGIN/END markers on one line.
Result<pki::X509Ptr> DecodeSignatureCertificate(std::string_view value);

// The last steps every Cavage check shares, once the signer's certificate is known (from a header or a keyId
// URL): it chains to the trust store, the Signature verifies with its key and signs every `required_headers`
// entry. `certificate_name` names the certificate's source in reasons.
SignatureCheck VerifyWithCertificate(const signing::RequestView& request, const signing::ParsedSignature& parsed,
                                     X509* cert, const TrustStore& trust,
                                     const std::vector<std::string>& required_headers,
                                     std::string_view certificate_name);

// keyId against the certificate: "SN=<serial hex, either case, no leading zeros>,CA=<issuer as
// signing::SerialIssuerKeyId writes it>".
bool KeyIdMatches(std::string_view key_id, X509* cert);

}  // namespace bankfeed::sandbox
