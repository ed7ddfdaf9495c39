// Fuzzes sandbox::uk_ob::VerifyRequestObject, the UK sandbox bank's check of a FAPI request object (the `request`
// parameter of /as/authorize). The input is the request object. The client, its key (the public half of the key
// the seeds were signed with, which is not kept), the query and the clock are fixed, so the valid seeds pass.
// A refusal names a claim with a short description that never quotes the signature; an accepted object asks for
// the one consent awaiting authorisation, with a registered redirect URI and a state and nonce.
#include "fuzz_common.hpp"

#include <openssl/pem.h>

#include "tools/sandbox/uk_ob/request_object.hpp"

namespace fuzz_sandbox_request_object {

namespace sb = bankfeed::sandbox::uk_ob;

EVP_PKEY* ClientKey() {
  static constexpr char kPem[] =
      "-----BEGIN PUBLIC KEY-----\n"
      "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA6wQdipkSYEY3LRVKgO78\n"
      "blQ2XvHIRuk7D5HkXLPlAnJZ8u/unyV5YHT85MGbT7iwuU2tN+OkPr0DEqzod4gR\n"
      "6+hJ+AMsgbyhMiTIeLIxijyv7qdmAgeHGFOWGfFmWdD7ZdrKHj2y8IErSAtTZhnT\n"
      "csp0k6fJTXXQoQbSBquEfDpuAeFNt5s0Joud6Uv9C2YMX/wEIub0a8gARLqw1gZd\n"
      "tI6LI461ix8gMMj5Abxto5LodlXsop2G8i+MuBxmstoL+H81yFeZ44ECsT8UaGgo\n"
      "zBj9IVlPOLWgzFXcuN81j8wT9E8wu+237UgDInEe14W5iz4uyvgOXL8QuHNzSUrX\n"
      "1QIDAQAB\n"
      "-----END PUBLIC KEY-----\n";
  static EVP_PKEY* const key = [] {
    BIO* bio = BIO_new_mem_buf(kPem, -1);
    EVP_PKEY* k = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return k;
  }();  // never freed: one per process
  return key;
}

const sb::RegisteredClient& Client() {
  static const sb::RegisteredClient client = [] {
    sb::RegisteredClient c;
    c.client_id = "client-1";
    c.redirect_uris = {"https://tpp.example/cb"};
    c.signing_key = sb::ShareKey(ClientKey());
    c.signing_kid = "k1";
    return c;
  }();
  return client;
}

BANKFEED_FUZZ_TARGET(sandbox_request_object) {
  using bankfeed::fuzz::Check;
  const std::string_view token = bankfeed::fuzz::AsText(data, size);
  static const bankfeed::sandbox::FormFields query = {{"client_id", "client-1"},
                                                     {"response_type", "code id_token"},
                                                     {"scope", "openid accounts"}};
  sb::RequestObjectContext context{Client(), "https://as.bank-x.example", query, 1'735'689'600,
                                   [](std::string_view id) -> std::optional<sb::AccessConsent> {
                                     if (id != "intent-1") return std::nullopt;
                                     sb::AccessConsent consent;
                                     consent.id = "intent-1";
                                     consent.client_id = "client-1";
                                     return consent;
                                   }};
  const auto verified = sb::VerifyRequestObject(token, context);
  if (!verified) {
    const std::string& description = verified.error().description;
    Check(!description.empty() && description.size() < 512);
    const size_t dot = token.rfind('.');
    // A signature-like last part (16+ base64url characters) never shows up in the message. Other text may: the
    // fuzzer learns the messages' words and feeds them back.
    if (dot != std::string_view::npos && token.size() - dot > 16 &&
        token.substr(dot + 1, 16).find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string_view::npos) {
      Check(description.find(token.substr(dot + 1, 16)) == std::string::npos);
    }
    return 0;
  }
  Check(verified->consent_id == "intent-1");
  Check(Client().HasRedirectUri(verified->redirect_uri));
  Check(!verified->state.empty() && !verified->nonce.empty());
  return 0;
}

}  // namespace fuzz_sandbox_request_object
