// The `Digest` request header (RFC 3230) that Berlin Group and STET sign: the hash of the body's exact bytes.
#pragma once

#include <string>
#include <string_view>

#include "bankfeed/result.hpp"
#include "bankfeed/signing.hpp"

namespace bankfeed::signing {

// "SHA-256=<base64 of SHA-256(body)>" or "SHA-512=...". A GET's empty body has a digest too.
std::string DigestHeader(DigestAlgorithm algorithm, std::string_view body);

// Checks a received Digest value against the body: one or more "<algorithm>=<base64>" separated by commas, every
// one SHA-256 or SHA-512 (names case-insensitive, as RFC 3230 says) and every one matching. kInvalidInput otherwise.
Status VerifyDigestHeader(std::string_view value, std::string_view body);

}  // namespace bankfeed::signing
