// UK Open Banking `x-jws-signature`: a detached JWS (RFC 7515 Appendix F), "<header>..<signature>", signed PS256.
//
// Two forms, chosen per bank by JwsOptions::form and recognised on verification by the header:
// - v3.1.4+: no "b64"; signing input = base64url(header) "." base64url(body)
// - <=v3.1.3: "b64": false and "b64" in crit (RFC 7797); signing input = base64url(header) "." raw body
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/types.h>

#include "bankfeed/result.hpp"
#include "bankfeed/signing.hpp"
#include "signing/jws_header.hpp"

namespace bankfeed::signing {

inline constexpr size_t kMaxJwsSize = 16384;

// "<base64url(header)>..<base64url(signature)>", with "http://openbanking.org.uk/iat" = now (system clock).
Result<std::string> SignDetachedJws(std::string_view body, const JwsOptions& options, EVP_PKEY* key);
// The same with the iat given: tests, and callers with their own clock.
Result<std::string> SignDetachedJws(std::string_view body, const JwsOptions& options, EVP_PKEY* key,
                                    std::chrono::sys_seconds iat);

// RFC 7515 §5.1 / RFC 7797 §3: the bytes the signature covers.
std::string JwsSigningInput(std::string_view header_b64u, std::string_view body, bool b64);

// A detached JWS taken apart and checked, but not yet verified: for picking the key by kid before verifying.
struct DetachedJws {
  std::string header_b64u;
  JwsHeader header;
  std::string signature;  // decoded
};
// kInvalidInput "JWS: <reason>": size, exactly three parts, an empty payload part, strict base64url, and the header
// rules of ParseJwsHeader (alg PS256, crit, b64, OB claims).
Result<DetachedJws> ParseDetachedJws(std::string_view jws);

struct JwsVerifyOptions {
  std::optional<JwsOptions::Form> form;                      // nullopt: accept either form
  std::string expected_kid;                                  // empty: any
  std::string expected_issuer;                               // empty: any
  std::string expected_trust_anchor = "openbanking.org.uk";  // empty: any
};

// Parses, applies `options`, and verifies the PS256 signature over the body with the public key.
// kInvalidInput naming the reason (never the signature, the header's values or the body).
Status VerifyDetachedJws(std::string_view jws, std::string_view body, EVP_PKEY* public_key,
                         const JwsVerifyOptions& options = {});

}  // namespace bankfeed::signing
