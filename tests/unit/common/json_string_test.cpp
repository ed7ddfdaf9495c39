// AppendJsonString and WriteJsonString (common/text.hpp) copy eight bytes at a time while none needs an escape; their
// output must stay byte for byte what escaping one character at a time gives, since the canonical JSON lines (and
// their goldens) are made of it.
#include <gtest/gtest.h>

#include <string>

#include "common/text.hpp"

namespace bankfeed {
namespace {

// The rule, one character at a time (RFC 8259 §7, short forms for \n \r \t, DEL escaped, bytes >= 0x80 as they are).
std::string EscapedOneByOne(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) out += std::string("\\u00") + kHex[c >> 4] + kHex[c & 15];
    else out += ch;
  }
  return out + "\"";
}

TEST(AppendJsonString, EveryByteInsideAndAtTheEdgesOfARun) {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    for (const std::string& s : {std::string(1, c), "ab" + std::string(1, c) + "cd", std::string(1, c) + "xyz",
                                 "xyz" + std::string(1, c), std::string(3, c)}) {
      std::string out = "prefix";
      AppendJsonString(out, s);
      EXPECT_EQ(out, "prefix" + EscapedOneByOne(s)) << "byte " << b;
    }
  }
}

// The eight-byte test must see every byte value in every position of a word, and in a tail shorter than a word.
TEST(AppendJsonString, EveryByteAtEveryPositionOfAWordAndOfTheTail) {
  for (int b = 0; b < 256; ++b) {
    for (size_t len : {size_t{8}, size_t{16}, size_t{21}}) {
      for (size_t at = 0; at < len; ++at) {
        std::string s(len, 'a');
        s[at] = static_cast<char>(b);
        std::string out;
        AppendJsonString(out, s);
        ASSERT_EQ(out, EscapedOneByOne(s)) << "byte " << b << " at " << at << " of " << len;
        char buffer[JsonStringBound(21)];
        ASSERT_EQ(std::string(buffer, WriteJsonString(buffer, s)), out);
      }
    }
  }
}

TEST(AppendJsonString, EmptyAndUtf8) {
  std::string out;
  AppendJsonString(out, "");
  EXPECT_EQ(out, "\"\"");
  out.clear();
  AppendJsonString(out, "Stadtwerke M\xc3\xbc" "nchen \"Nord\"\n\x01");
  EXPECT_EQ(out, "\"Stadtwerke M\xc3\xbc" "nchen \\\"Nord\\\"\\n\\u0001\"");
}

}  // namespace
}  // namespace bankfeed
