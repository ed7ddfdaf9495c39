// Base64 (RFC 4648 §4) and base64url (§5) for the signing code.
//
// Decoding is strict because every decoded value is a signature, a header or a certificate that someone else sent:
// one canonical spelling per byte string, so a tampered encoding can never decode to the same bytes. No white
// space, no line breaks, no characters outside the alphabet, the unused low bits of the last character zero.
// Base64 needs its '=' padding; base64url (JWS) must not have any.
#pragma once

#include <string>
#include <string_view>

#include "bankfeed/result.hpp"

namespace bankfeed::signing {

std::string Base64Encode(std::string_view bytes);     // with '=' padding
std::string Base64UrlEncode(std::string_view bytes);  // no padding

// kInvalidInput "<what>: not base64" (never the input itself).
Result<std::string> Base64Decode(std::string_view text, std::string_view what);
Result<std::string> Base64UrlDecode(std::string_view text, std::string_view what);

}  // namespace bankfeed::signing
