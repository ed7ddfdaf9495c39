// Request signing per draft-cavage-http-signatures-10, as Berlin Group NextGenPSD2 and STET require it.
//
//   RequestView req{"POST", "/v1/consents", {{"X-Request-ID", id}, {"Date", date}}, body};
//   auto signed_headers = SignCavage(req, profile.cavage, key, cert);
//   // add Digest, Signature and TPP-Signature-Certificate from *signed_headers to the request
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/types.h>

#include "bankfeed/result.hpp"
#include "bankfeed/signing.hpp"
#include "signing/signature_header.hpp"

namespace bankfeed::signing {

struct HeaderField {
  std::string_view name;
  std::string_view value;
};

// A request exactly as it goes on (or came off) the wire. Views: the caller keeps the strings alive.
struct RequestView {
  std::string_view method;           // "POST"
  std::string_view target;           // path and query as sent: "/foo?param=value&pet=dog"
  std::vector<HeaderField> headers;  // in wire order; a name may repeat
  std::string_view body;             // the exact bytes
};

// The three header values a signed Berlin Group request carries.
struct SignedHeaders {
  std::string signature;              // Signature
  std::string digest;                 // Digest
  std::string signature_certificate;  // TPP-Signature-Certificate; empty when no certificate was given
};

// The signing string for options.headers: one "name: value" line per signed header, joined by "\n" with no final
// newline. Names are lower-case; "(request-target)" is the lower-case method, a space and the target; a header's
// values are trimmed of OWS and, when it appears more than once, joined by ", " in wire order (draft-10 §2.3).
// A listed header missing from the request is a kInvalidArgument error naming it, unless options.headers_if_present
// names it too. Validates the options first.
Result<std::string> CavageSigningString(const RequestView& request, const CavageOptions& options);

// Signs the request: computes the Digest of the body (a Digest header already in the request must equal it),
// builds the signing string with that Digest, signs it with RSASSA-PKCS1-v1_5 / SHA-256 and returns the header
// values. `cert` is needed for KeyIdFormat::kSerialIssuer and for the certificate header, and must hold `key`'s
// public half; with kUrl it may be null.
Result<SignedHeaders> SignCavage(const RequestView& request, const CavageOptions& options, EVP_PKEY* key, X509* cert);

// What the verifier insists on beyond a valid signature.
struct CavageVerifyOptions {
  std::vector<std::string> required_headers;  // lower-case names that must be among the signed ones
  std::optional<int64_t> now_unix;            // when set, a signature past its `expires` is rejected
};

// Checks a parsed Signature against the request with the signer's public key: the algorithm token (rsa-sha256 or
// SHA256withRSA, any case), the required headers, `expires`, the Digest header against the body when "digest" is
// signed, and the RSASSA-PKCS1-v1_5 / SHA-256 signature over the rebuilt signing string. kInvalidInput naming the
// reason; never the signature or a header value.
Status VerifyCavage(const RequestView& request, const ParsedSignature& parsed, EVP_PKEY* public_key,
                    const CavageVerifyOptions& verify_options = {});

// The algorithm tokens that mean RSASSA-PKCS1-v1_5 with SHA-256 (exact spelling, for the options).
bool IsRsaSha256Token(std::string_view token);

}  // namespace bankfeed::signing
