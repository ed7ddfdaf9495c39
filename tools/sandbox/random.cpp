#include "tools/sandbox/random.hpp"

#include <cstdlib>

#include <openssl/rand.h>

#include "signing/base64.hpp"

namespace bankfeed::sandbox {
namespace {

std::string RandomBytes(size_t n) {
  std::string raw(n, '\0');
  // A failing CSPRNG is a broken host; handing out guessable tokens would be worse than stopping.
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1) std::abort();
  return raw;
}

}  // namespace

std::string RandomToken(size_t bytes) { return signing::Base64UrlEncode(RandomBytes(bytes)); }

std::string RandomHex(size_t bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : RandomBytes(bytes)) {
    const auto u = static_cast<unsigned char>(c);
    out += kHex[u >> 4];
    out += kHex[u & 15];
  }
  return out;
}

}  // namespace bankfeed::sandbox
