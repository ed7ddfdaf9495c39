// The redaction rules of the logging layer (see log.hpp). Hand-written scanners rather than std::regex: they run on
// every logged field, must be linear in the input, and the shapes are simple.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "common/text.hpp"
#include "log/log.hpp"

namespace bankfeed::log {
namespace {

constexpr std::string_view kRedacted = "[redacted]";

bool ContainsIgnoreCase(std::string_view haystack, std::string_view needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                     [](char a, char b) { return LowerAscii(a) == LowerAscii(b); }) != haystack.end();
}

// Keys whose values are secret or personal whatever they look like.
bool SensitiveKey(std::string_view key) {
  static constexpr std::array<std::string_view, 24> kWords = {
      "authorization", "token",  "secret", "password", "passwd",    "key",       "cookie", "signature",
      "jws",           "psu",    "iban",   "bban",     "pan",       "name",      "owner",  "remittance",
      "body",          "payload", "assertion", "auth_code", "credential", "certificate", "pin", "otp"};
  if (key == "code") return true;  // an OAuth2 authorization code
  return std::any_of(kWords.begin(), kWords.end(), [&](std::string_view w) { return ContainsIgnoreCase(key, w); });
}

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
// In a URL, '/' separates path segments, each judged on its own; elsewhere it is part of base64.
bool IsTokenChar(char c, bool url) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || (c == '/' && !url) || c == '+' || c == '=' ||
         c == '_' || c == '-' || c == '.' || c == '~';
}
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool IsUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHex(s[i])) return false;
  }
  return true;
}

// An IBAN at s[i]: two capital letters, two digits, then 11 to 30 letters or digits, optionally in groups of four
// separated by single spaces. Returns its length, or 0.
size_t IbanAt(std::string_view s, size_t i) {
  if (i + 4 > s.size() || !IsUpper(s[i]) || !IsUpper(s[i + 1]) || !IsDigit(s[i + 2]) || !IsDigit(s[i + 3])) return 0;
  if (i > 0 && std::isalnum(static_cast<unsigned char>(s[i - 1]))) return 0;
  size_t j = i + 4, chars = 0, end = j;
  while (j < s.size() && chars < 30) {
    if (IsUpper(s[j]) || IsDigit(s[j])) {
      ++chars, ++j;
      end = j;
    } else if (s[j] == ' ' && j + 1 < s.size() && (IsUpper(s[j + 1]) || IsDigit(s[j + 1]))) {
      ++j;
    } else {
      break;
    }
  }
  if (chars < 11) return 0;
  if (end < s.size() && std::isalnum(static_cast<unsigned char>(s[end]))) return 0;
  return end - i;
}

// A run of token characters long and mixed enough to be a credential: at least 24 characters with upper case,
// lower case and digits (base64, base64url, JWTs). Lower-case hex ids (tx_..., acc_..., request ids) stay.
bool LooksLikeCredential(std::string_view run) {
  if (run.size() < 24 || IsUuid(run)) return false;
  bool upper = false, lower = false, digit = false;
  for (char c : run) {
    upper = upper || IsUpper(c);
    lower = lower || (c >= 'a' && c <= 'z');
    digit = digit || IsDigit(c);
  }
  return upper && lower && digit;
}

}  // namespace

std::string ScrubValue(std::string_view value) {
  if (value.find("-----BEGIN") != std::string_view::npos) return "[redacted pem]";
  std::string out;
  out.reserve(value.size());
  // A URL keeps its scheme, host and path; the query string may carry PSU ids, codes or tokens.
  if (const size_t scheme = value.find("://"); scheme != std::string_view::npos) {
    if (const size_t q = value.find('?', scheme); q != std::string_view::npos) value = value.substr(0, q + 1);
  }
  const bool url = value.find("://") != std::string_view::npos;
  size_t i = 0;
  while (i < value.size()) {
    if (value.substr(i).starts_with("Bearer ") || value.substr(i).starts_with("bearer ")) {
      out += "Bearer ";
      out += kRedacted;
      i += 7;
      while (i < value.size() && IsTokenChar(value[i], false)) ++i;
      continue;
    }
    if (const size_t n = IbanAt(value, i); n != 0) {
      out += "[iban]";
      i += n;
      continue;
    }
    if (IsTokenChar(value[i], url)) {
      size_t j = i;
      while (j < value.size() && IsTokenChar(value[j], url)) ++j;
      const std::string_view run = value.substr(i, j - i);
      if (LooksLikeCredential(run)) {
        out += kRedacted;
      } else {
        // Not a credential as a whole; IBANs may still hide inside (e.g. "DE89..." after a '/').
        for (size_t k = 0; k < run.size();) {
          if (const size_t n = IbanAt(value, i + k); n != 0 && k + n <= run.size()) {
            out += "[iban]";
            k += n;
          } else {
            out += run[k++];
          }
        }
      }
      i = j;
      continue;
    }
    out += value[i++];
  }
  if (value.ends_with('?')) out += kRedacted;
  return out;
}

std::string Redact(std::string_view key, std::string_view value) {
  if (SensitiveKey(key)) return std::string(kRedacted);
  return ScrubValue(value);
}

}  // namespace bankfeed::log
