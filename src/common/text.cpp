#include "common/text.hpp"

#include <cstdint>
#include <cstring>

namespace bankfeed {

namespace {

uint64_t Load8(const char* p) {
  uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Whether any byte of w needs an escape: below 0x20, '"', '\\' or 0x7f. The exact tests of "Bit Twiddling Hacks": a
// byte below n (n <= 128) sets its top bit in (w - n*ones) & ~w; a byte equal to c is a zero byte of w ^ c*ones, i.e.
// a byte below 1. Bytes of 0x80 and above (UTF-8) never match.
bool NeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const auto below = [](uint64_t v, uint64_t n) { return (v - n * kOnes) & ~v & kHigh; };
  const auto equal = [&](uint64_t c) { return below(w ^ (c * kOnes), 1); };
  return (below(w, 0x20) | equal('"') | equal('\\') | equal(0x7f)) != 0;
}

}  // namespace

char* WriteJsonString(char* d, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  *d++ = '"';
  size_t i = 0;
  // Eight bytes at a time while none of them needs an escape (nearly all text), then byte by byte. This is most of
  // `bankfeed normalize`'s output.
  for (uint64_t word; i + 8 <= s.size() && !NeedsEscape(word = Load8(s.data() + i)); i += 8, d += 8) {
    std::memcpy(d, &word, 8);
  }
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
      *d++ = static_cast<char>(c);
      continue;
    }
    *d++ = '\\';
    switch (c) {
      case '"': *d++ = '"'; break;
      case '\\': *d++ = '\\'; break;
      case '\n': *d++ = 'n'; break;
      case '\r': *d++ = 'r'; break;
      case '\t': *d++ = 't'; break;
      default:
        d[0] = 'u', d[1] = '0', d[2] = '0', d[3] = kHex[c >> 4], d[4] = kHex[c & 15];
        d += 5;
    }
  }
  *d++ = '"';
  return d;
}

void AppendJsonString(std::string& out, std::string_view s) {
  const size_t old = out.size();
  out.resize(old + JsonStringBound(s.size()));
  out.resize(static_cast<size_t>(WriteJsonString(out.data() + old, s) - out.data()));
}

}  // namespace bankfeed
