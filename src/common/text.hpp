// Small text helpers shared by the core: ASCII case and tokens for HTTP header text (RFC 9110), and JSON string
// escaping. Header names and the tokens here are ASCII by definition, so no locale is involved.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace bankfeed {

inline char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

inline std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

inline bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  }
  return true;
}

// OWS = *( SP / HTAB ).
inline std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// tchar (RFC 9110 §5.6.2): the characters of a header name or a parameter name.
inline bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

inline bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (const char c : s) {
    if (!IsTchar(c)) return false;
  }
  return true;
}

// Visible ASCII and space: what configuration strings that end up in headers or JSON may hold.
inline bool IsPrintableAscii(std::string_view s) {
  for (const char c : s) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// Lower-case hex, the form of every id and cursor the core writes: `n` bytes as 2n digits into `out`, and one
// digit's value (-1 for anything else, upper-case letters included).
inline void LowerHexInto(const unsigned char* p, size_t n, char* out) {
  constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[p[i] >> 4];
    out[2 * i + 1] = kDigits[p[i] & 0x0f];
  }
}

inline int LowerHexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

// Appends `s` as a JSON string (RFC 8259 §7): quotes, backslashes and control characters (and DEL) escaped, the
// short forms for \n, \r and \t. Bytes >= 0x80 pass through; callers hand in UTF-8.
void AppendJsonString(std::string& out, std::string_view s);
// The same into a buffer with room for the worst case, JsonStringBound(s.size()) bytes; returns the end written.
inline constexpr size_t JsonStringBound(size_t n) { return 2 + 6 * n; }
char* WriteJsonString(char* out, std::string_view s);

}  // namespace bankfeed
