// Compact JWS (RFC 7515 §7.1) with PS256, as JWTs use it: FAPI request objects, private_key_jwt client assertions,
// registration requests and ID tokens.
//
// Signing takes the header and claims as JSON text already written (the caller owns what they say); parsing splits a
// token into its parts and decodes them, leaving every claim check to the caller. Both sides (the UK connector and
// the sandbox bank) use the same code, so the wire format cannot drift between them.
#pragma once

#include <string>
#include <string_view>

#include <openssl/types.h>

#include "bankfeed/result.hpp"

namespace bankfeed::signing {

inline constexpr size_t kMaxCompactJwsBytes = 64 * 1024;

// base64url(header) "." base64url(claims) "." base64url(PS256 signature). kConfig / kInvalidArgument as RsaSign.
Result<std::string> SignCompactJwsPs256(std::string_view header_json, std::string_view claims_json, EVP_PKEY* key);

struct CompactJws {
  std::string header_json;   // decoded
  std::string claims_json;   // decoded
  std::string signing_input;  // the first two parts as sent, with the dot between them
  std::string signature;     // decoded bytes
};

// Splits and decodes a compact JWS. kInvalidInput "<what>: ..." naming the part that is wrong (never its content):
// not three parts, too large, a part that is not base64url. The JSON itself is not parsed here.
Result<CompactJws> SplitCompactJws(std::string_view token, std::string_view what);

// Whether `jws` carries a valid PS256 signature by `key` (kInvalidInput "signature does not verify" otherwise).
// The header's alg is the caller's to check: this verifies PS256 whatever the header says.
Status VerifyCompactJwsPs256(const CompactJws& jws, EVP_PKEY* key);

}  // namespace bankfeed::signing
