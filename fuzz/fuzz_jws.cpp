// Fuzzes bankfeed::signing::VerifyDetachedJws, the check of a UK bank's x-jws-signature. The input is the JWS, a
// newline, then the body. The key is fixed: the public half of tests/vectors/signing/ukob-jws/ps256-test-key.pem,
// so the seeds (the OB vectors) verify. A refusal is kInvalidInput "JWS..." and never holds the signature part;
// verification agrees with ParseDetachedJws on what is malformed; an accepted JWS is PS256, detached, OB-shaped.
#include "fuzz_common.hpp"

#include <openssl/pem.h>

#include "signing/jws.hpp"

namespace fuzz_jws {

EVP_PKEY* TestKey() {
  static constexpr char kPem[] =
      "-----BEGIN PUBLIC KEY-----\n"
      "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA0d/jCviN48b+gEz4zvhO\n"
      "M6XMG/NwJ3Jgv2m3583zYnkFR5MiYAa4MzJSzm2z3xV4P9Tl7eS81RxDzAyGSngB\n"
      "sHB/J158cJMHkPZUYn+7vpqp6T0YKw2+cbz8geUJWLXiGk4pf64/yKnLNkpdWf7c\n"
      "AF30NBmFfY07GIh6nUSjqX71lLU+3tNGyMXvZLC9HAORiU5YmJSeBA269C27Io4H\n"
      "MEtXOVy51Clbrqbew9uFdPpR8kEehWsrLT+25LWIhrKBz3Ydy7s8UhkUdc4f6yYP\n"
      "ObPfxWFi6+IK6ZOaz+7Eevt8w3ALpsGCFyaZo0Fcg2OBZSfsiSJFGqSyvboyt5fQ\n"
      "yQIDAQAB\n"
      "-----END PUBLIC KEY-----\n";
  static EVP_PKEY* const key = [] {
    BIO* bio = BIO_new_mem_buf(kPem, -1);
    EVP_PKEY* k = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return k;
  }();  // never freed: one per process, like libFuzzer's own state
  return key;
}

BANKFEED_FUZZ_TARGET(jws) {
  using bankfeed::fuzz::Check;
  namespace signing = bankfeed::signing;
  const std::string_view input = bankfeed::fuzz::AsText(data, size);
  const size_t newline = input.find('\n');
  const std::string_view jws = input.substr(0, newline);
  const std::string_view body = newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  EVP_PKEY* key = TestKey();
  Check(key != nullptr);

  const auto verified = signing::VerifyDetachedJws(jws, body, key);
  const auto parsed = signing::ParseDetachedJws(jws);
  if (!verified) {
    const bankfeed::Error& e = verified.error();
    Check(e.code == bankfeed::ErrorCode::kInvalidInput && e.message.starts_with("JWS"));
    // A signature-like last part (16+ base64url characters) never shows up in the message. Other text may: the
    // fuzzer learns the messages' words and feeds them back.
    const size_t dot = jws.rfind('.');
    if (dot != std::string_view::npos && jws.size() - dot > 16) {
      const std::string_view chunk = jws.substr(dot + 1, 16);
      if (chunk.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
          std::string_view::npos) {
        Check(e.message.find(chunk) == std::string::npos);
      }
    }
    if (!parsed) Check(parsed.error().message == e.message);
    return 0;
  }
  Check(parsed.has_value() && parsed->header.alg == "PS256" && !parsed->header.kid.empty());
  Check(parsed->header.tan == "openbanking.org.uk" && parsed->signature.size() == 256);
  Check(jws.find("..") != std::string_view::npos);
  return 0;
}

}  // namespace fuzz_jws
