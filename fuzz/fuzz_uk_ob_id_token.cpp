// Fuzzes bankfeed::uk_ob::ValidateIdToken, the complete check of a UK hybrid-flow ID token. The input is the token.
// The bank's key is fixed (its JWKS below; the seeds were signed with its private half, which is not kept), and so
// are the expectations, so the valid seeds pass. A refusal is kConsentInvalid (kNotFound for an unknown kid)
// "id_token: ..." and never quotes the signature; an accepted token holds everything the expectations asked.
#include "fuzz_common.hpp"

#include "adapters/uk_ob/id_token.hpp"

namespace fuzz_uk_ob_id_token {

constexpr char kJwks[] =
    R"({"keys":[{"kty":"RSA","kid":"k1","use":"sig","alg":"PS256","e":"AQAB","n":"6wQdipkSYEY3LRVKgO78blQ2XvHIRuk7D5HkXLPlAnJZ8u_unyV5YHT85MGbT7iwuU2tN-OkPr0DEqzod4gR6-hJ-AMsgbyhMiTIeLIxijyv7qdmAgeHGFOWGfFmWdD7ZdrKHj2y8IErSAtTZhnTcsp0k6fJTXXQoQbSBquEfDpuAeFNt5s0Joud6Uv9C2YMX_wEIub0a8gARLqw1gZdtI6LI461ix8gMMj5Abxto5LodlXsop2G8i-MuBxmstoL-H81yFeZ44ECsT8UaGgozBj9IVlPOLWgzFXcuN81j8wT9E8wu-237UgDInEe14W5iz4uyvgOXL8QuHNzSUrX1Q"}]})";

const bankfeed::uk_ob::Jwks& Keys() {
  static const bankfeed::uk_ob::Jwks keys = *bankfeed::uk_ob::ParseJwks(kJwks);
  return keys;
}

BANKFEED_FUZZ_TARGET(uk_ob_id_token) {
  using bankfeed::fuzz::Check;
  namespace uk = bankfeed::uk_ob;
  const std::string_view token = bankfeed::fuzz::AsText(data, size);
  Check(Keys().keys.size() == 1);
  uk::IdTokenExpectations expect;
  expect.bank_id = "bank-x";
  expect.issuer = "https://as.bank-x.example";
  expect.client_id = "client-1";
  expect.nonce = "n-1";
  expect.intent_id = "intent-1";
  expect.code = "code-1";
  expect.state = "state-1";
  expect.access_token = "at-1";
  expect.now = 1'735'689'600;
  const auto claims = uk::ValidateIdToken(token, Keys(), expect);
  if (!claims) {
    const bankfeed::Error& e = claims.error();
    Check(e.code == bankfeed::ErrorCode::kConsentInvalid || e.code == bankfeed::ErrorCode::kNotFound);
    Check(e.message.starts_with("id_token: ") && e.bank_id == "bank-x");
    const size_t dot = token.rfind('.');
    // A signature-like last part (16+ base64url characters) never shows up in the message. Other text may: the
    // fuzzer learns the messages' words and feeds them back.
    if (dot != std::string_view::npos && token.size() - dot > 16 &&
        token.substr(dot + 1, 16).find_first_not_of(
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == std::string_view::npos) {
      Check(e.message.find(token.substr(dot + 1, 16)) == std::string::npos);
    }
    return 0;
  }
  Check(!claims->sub.empty());
  Check(claims->iat <= expect.now + expect.leeway.count() && claims->exp > expect.now - expect.leeway.count());
  Check(token.size() <= uk::kMaxIdTokenBytes);
  return 0;
}

}  // namespace fuzz_uk_ob_id_token
