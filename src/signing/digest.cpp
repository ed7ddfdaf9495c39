// Digest header over OpenSSL's one-shot EVP_Digest.
#include "signing/digest.hpp"

#include <cstdlib>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "signing/base64.hpp"
#include "common/text.hpp"

namespace bankfeed::signing {
namespace {

std::string Hash(DigestAlgorithm algorithm, std::string_view body) {
  const EVP_MD* md = algorithm == DigestAlgorithm::kSha512 ? EVP_sha512() : EVP_sha256();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  // Failure means OpenSSL itself is broken (no SHA-2 provider): a wrong digest would be worse than stopping.
  if (EVP_Digest(body.data(), body.size(), out, &len, md, nullptr) != 1) std::abort();
  return std::string(reinterpret_cast<const char*>(out), len);
}

tl::unexpected<Error> BadDigest(std::string_view reason) {
  return MakeError(ErrorCode::kInvalidInput, "Digest: " + std::string(reason));
}

}  // namespace

std::string DigestHeader(DigestAlgorithm algorithm, std::string_view body) {
  return (algorithm == DigestAlgorithm::kSha512 ? "SHA-512=" : "SHA-256=") + Base64Encode(Hash(algorithm, body));
}

Status VerifyDigestHeader(std::string_view value, std::string_view body) {
  if (value.size() > 4096) return BadDigest("too long");
  if (TrimOws(value).empty()) return BadDigest("empty");
  for (std::string_view rest = value; !rest.empty();) {
    const size_t comma = rest.find(',');
    const std::string_view item = TrimOws(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    if (comma != std::string_view::npos && TrimOws(rest).empty()) return BadDigest("empty list element");
    const size_t eq = item.find('=');
    if (eq == std::string_view::npos) return BadDigest("not <algorithm>=<base64>");
    const std::string_view name = item.substr(0, eq);
    DigestAlgorithm algorithm;
    if (EqualsIgnoreCase(name, "SHA-256")) {
      algorithm = DigestAlgorithm::kSha256;
    } else if (EqualsIgnoreCase(name, "SHA-512")) {
      algorithm = DigestAlgorithm::kSha512;
    } else {
      return BadDigest("unsupported algorithm (SHA-256 and SHA-512 are)");
    }
    BANKFEED_ASSIGN_OR_RETURN(const std::string expected, Base64Decode(item.substr(eq + 1), "Digest"));
    const std::string actual = Hash(algorithm, body);
    if (expected.size() != actual.size() || CRYPTO_memcmp(expected.data(), actual.data(), actual.size()) != 0) {
      return BadDigest("does not match the body");
    }
  }
  return {};
}

}  // namespace bankfeed::signing
