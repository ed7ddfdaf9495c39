// The `Signature` header of draft-cavage-http-signatures-10 (used by Berlin Group and STET):
//   keyId="...",algorithm="rsa-sha256",headers="digest x-request-id date",signature="<base64>"
//
// Writing and strict parsing. The parser reads what another party sent (the sandbox bank verifies every request
// with it), so it bounds sizes, rejects duplicates, bad escapes and malformed base64, and its errors name the
// parameter and the reason, never a value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/result.hpp"

namespace bankfeed::signing {

inline constexpr size_t kMaxSignatureHeaderSize = 8192;  // an RSA-8192 signature is 1,368 base64 characters
inline constexpr size_t kMaxSignedHeaders = 64;

struct ParsedSignature {
  std::string key_id;
  std::string algorithm;             // empty when the parameter is absent
  std::vector<std::string> headers;  // lower-case, in signing order; {"date"} when absent (draft-10 §2.1.3)
  bool headers_given = false;        // whether the parameter was present
  std::string signature;             // the decoded signature bytes
  std::optional<int64_t> created;    // draft-11+ (created) / (expires): Unix seconds
  std::optional<int64_t> expires;
};

// kInvalidInput "Signature: <reason>". Parameter names are case-sensitive as in the draft; parameters it does not
// define are checked for syntax and then ignored (draft-10 §2.2). OWS is allowed around ',' and '=' because the
// Berlin Group example itself has "algorithm="rsa-sha256", headers=...".
Result<ParsedSignature> ParseSignatureHeader(std::string_view value);

// keyId="<key_id>",algorithm="<algorithm>",headers="<header_list>",signature="<signature_b64>", as quoted-strings
// ('"' and '\' escaped). kInvalidArgument if a value holds a control character (it would split the header).
Result<std::string> FormatSignatureHeader(std::string_view key_id, std::string_view algorithm,
                                          std::string_view header_list, std::string_view signature_b64);

}  // namespace bankfeed::signing
