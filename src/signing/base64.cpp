// Strict base64 over OpenSSL's EVP_EncodeBlock / EVP_DecodeBlock. OpenSSL does the conversion; this file only
// checks the text first (EVP_DecodeBlock skips white space and accepts non-zero trailing bits) and works in chunks,
// because both functions take an int length.
#include "signing/base64.hpp"

#include <algorithm>
#include <cstddef>

#include <openssl/evp.h>

namespace bankfeed::signing {
namespace {

constexpr size_t kEncodeChunk = 3 * 16384;  // bytes in; a multiple of 3, so only the last chunk is padded
constexpr size_t kDecodeChunk = 4 * 16384;  // characters in; a multiple of 4

enum class Alphabet { kStandard, kUrl };

// The 6-bit value of c, or -1 if c is not in the alphabet.
int SextetOf(char c, Alphabet alphabet) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (alphabet == Alphabet::kStandard) {
    if (c == '+') return 62;
    if (c == '/') return 63;
  } else {
    if (c == '-') return 62;
    if (c == '_') return 63;
  }
  return -1;
}

std::string Encode(std::string_view bytes) {
  std::string out;
  out.resize(4 * ((bytes.size() + 2) / 3));
  size_t written = 0;
  for (size_t at = 0; at < bytes.size(); at += kEncodeChunk) {
    const size_t n = std::min(kEncodeChunk, bytes.size() - at);
    written += static_cast<size_t>(EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data() + written),
                                                   reinterpret_cast<const unsigned char*>(bytes.data() + at),
                                                   static_cast<int>(n)));
  }
  // EVP_EncodeBlock also writes a NUL after each chunk: into the next chunk's space, or the string's terminator.
  out.resize(written);
  return out;
}

// `padded` is standard base64 whose length is a multiple of 4 and whose padding count is `pad`; it has been
// checked character by character already.
Result<std::string> DecodeChecked(std::string_view padded, size_t pad, std::string_view what) {
  std::string out;
  out.resize(padded.size() / 4 * 3);
  size_t written = 0;
  for (size_t at = 0; at < padded.size(); at += kDecodeChunk) {
    const size_t n = std::min(kDecodeChunk, padded.size() - at);
    const int got = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data() + written),
                                    reinterpret_cast<const unsigned char*>(padded.data() + at), static_cast<int>(n));
    if (got < 0) return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not base64");
    written += static_cast<size_t>(got);
  }
  out.resize(written - pad);  // EVP_DecodeBlock counts the zero bytes that padding stands for
  return out;
}

// Checks the characters of `text` (without padding) and that the unused bits of its last character are zero.
bool ValidBody(std::string_view text, Alphabet alphabet) {
  if (text.size() % 4 == 1) return false;  // one character carries 6 bits: not even one byte
  int last = 0;
  for (const char c : text) {
    last = SextetOf(c, alphabet);
    if (last < 0) return false;
  }
  switch (text.size() % 4) {
    case 2: return (last & 0x0f) == 0;  // 12 bits for 1 byte
    case 3: return (last & 0x03) == 0;  // 18 bits for 2 bytes
    default: return true;
  }
}

}  // namespace

std::string Base64Encode(std::string_view bytes) { return Encode(bytes); }

std::string Base64UrlEncode(std::string_view bytes) {
  std::string s = Encode(bytes);
  while (!s.empty() && s.back() == '=') s.pop_back();
  for (char& c : s) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return s;
}

Result<std::string> Base64Decode(std::string_view text, std::string_view what) {
  if (text.size() % 4 != 0) return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not base64");
  size_t pad = 0;
  while (pad < 2 && pad < text.size() && text[text.size() - 1 - pad] == '=') ++pad;
  if (!ValidBody(text.substr(0, text.size() - pad), Alphabet::kStandard)) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not base64");
  }
  return DecodeChecked(text, pad, what);
}

Result<std::string> Base64UrlDecode(std::string_view text, std::string_view what) {
  if (!ValidBody(text, Alphabet::kUrl)) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not base64url");
  }
  std::string padded(text);
  for (char& c : padded) {
    if (c == '-') c = '+';
    if (c == '_') c = '/';
  }
  const size_t pad = (4 - padded.size() % 4) % 4;
  padded.append(pad, '=');
  return DecodeChecked(padded, pad, what);
}

}  // namespace bankfeed::signing
