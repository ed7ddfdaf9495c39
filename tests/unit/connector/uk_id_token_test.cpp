// The UK hybrid flow's ID token (adapters/uk_ob/id_token.hpp) and the bank's JWKS (adapters/uk_ob/jwks.hpp): a
// token right in every respect passes, and for each check a token that gets exactly that wrong is refused.
#include <gtest/gtest.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <map>

#include "adapters/uk_ob/id_token.hpp"
#include "signing/base64.hpp"
#include "signing/rsa.hpp"

namespace bankfeed::uk_ob {
namespace {

using signing::Base64UrlEncode;

std::shared_ptr<EVP_PKEY> NewKey() { return std::shared_ptr<EVP_PKEY>(EVP_RSA_gen(2048), EvpPkeyFree()); }

std::string Param(EVP_PKEY* key, const char* name) {
  BIGNUM* bn = nullptr;
  EXPECT_EQ(EVP_PKEY_get_bn_param(key, name, &bn), 1);
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  BN_free(bn);
  return Base64UrlEncode(bytes);
}

std::string JwkOf(EVP_PKEY* key, const std::string& kid, const std::string& extra = "") {
  return R"({"kty":"RSA","kid":")" + kid + R"(","n":")" + Param(key, OSSL_PKEY_PARAM_RSA_N) + R"(","e":")" +
         Param(key, OSSL_PKEY_PARAM_RSA_E) + "\"" + extra + "}";
}

// The bank's keys: the one it signs with ("k1"), and others.
struct Bank {
  std::shared_ptr<EVP_PKEY> key = NewKey();
  std::shared_ptr<EVP_PKEY> other = NewKey();
  Jwks jwks = *ParseJwks(R"({"keys":[)" + JwkOf(key.get(), "k1", R"(,"use":"sig","alg":"PS256")") + "," +
                         JwkOf(other.get(), "k2") + "]}");
};

Bank& TheBank() {
  static Bank* bank = new Bank();  // RSA keys take a while: once for the whole file
  return *bank;
}

constexpr int64_t kNow = 1'735'689'600;  // 2025-01-01T00:00:00Z

// A token right in every respect, its parts editable before it is signed.
struct Token {
  std::map<std::string, std::string> header = {{"alg", "\"PS256\""}, {"kid", "\"k1\""}, {"typ", "\"JWT\""}};
  std::map<std::string, std::string> claims = {
      {"iss", "\"https://ob.bank-x.example\""},
      {"aud", "\"client-1\""},
      {"sub", "\"intent-1\""},
      {"exp", std::to_string(kNow + 300)},
      {"iat", std::to_string(kNow - 10)},
      {"nonce", "\"nonce-1\""},
      {"openbanking_intent_id", "\"intent-1\""},
      {"acr", "\"urn:openbanking:psd2:sca\""},
      {"c_hash", "\"" + HalfSha256("code-1") + "\""},
      {"s_hash", "\"" + HalfSha256("state-1") + "\""}};
  EVP_PKEY* signer = TheBank().key.get();

  static std::string Json(const std::map<std::string, std::string>& fields) {
    std::string out = "{";
    for (const auto& [name, value] : fields) out += (out.size() > 1 ? ",\"" : "\"") + name + "\":" + value;
    return out + "}";
  }
  std::string Signed() const {
    const std::string input = Base64UrlEncode(Json(header)) + "." + Base64UrlEncode(Json(claims));
    auto signature = signing::RsaSign(signing::RsaScheme::kPssSha256, input, signer);
    EXPECT_TRUE(signature) << signature.error().ToString();
    return input + "." + Base64UrlEncode(*signature);
  }
};

IdTokenExpectations Expect() {
  IdTokenExpectations e;
  e.bank_id = "bank-x";
  e.issuer = "https://ob.bank-x.example";
  e.client_id = "client-1";
  e.nonce = "nonce-1";
  e.intent_id = "intent-1";
  e.code = "code-1";
  e.state = "state-1";
  e.now = kNow;
  return e;
}

// The message of the refusal of `token` ("<accepted>" when it passes); every refusal is kConsentInvalid (kNotFound
// for an unknown kid) and names the bank.
std::string Refusal(const std::string& token, const IdTokenExpectations& expect = Expect()) {
  auto claims = ValidateIdToken(token, TheBank().jwks, expect);
  if (claims) return "<accepted>";
  EXPECT_TRUE(claims.error().code == ErrorCode::kConsentInvalid || claims.error().code == ErrorCode::kNotFound);
  EXPECT_EQ(claims.error().bank_id, "bank-x");
  return claims.error().message;
}

TEST(IdToken, ARightTokenPassesWithItsClaims) {
  auto claims = ValidateIdToken(Token().Signed(), TheBank().jwks, Expect());
  ASSERT_TRUE(claims) << claims.error().ToString();
  EXPECT_EQ(claims->sub, "intent-1");
  EXPECT_EQ(claims->acr, "urn:openbanking:psd2:sca");
  EXPECT_EQ(claims->exp, kNow + 300);
}

TEST(IdToken, TheSignatureMustBeTheBanksWithPs256) {
  Token other_key;
  other_key.signer = TheBank().other.get();  // signed by another key, under k1's kid
  EXPECT_EQ(Refusal(other_key.Signed()), "id_token: signature: does not verify with the bank's key");

  Token none;
  none.header["alg"] = "\"none\"";
  std::string unsigned_token = none.Signed();
  unsigned_token.erase(unsigned_token.rfind('.') + 1);
  EXPECT_EQ(Refusal(unsigned_token), "id_token: alg: expected PS256");

  for (const char* alg : {"\"HS256\"", "\"RS256\"", "\"ES256\"", "\"ps256\""}) {
    Token t;
    t.header["alg"] = alg;
    EXPECT_EQ(Refusal(t.Signed()), "id_token: alg: expected PS256") << alg;
  }

  Token tampered;
  std::string token = tampered.Signed();
  Token changed;
  changed.claims["openbanking_intent_id"] = "\"intent-2\"";
  const std::string other = changed.Signed();
  const std::string spliced = token.substr(0, token.find('.')) + other.substr(other.find('.'), other.rfind('.') -
                                                                                   other.find('.')) +
                              token.substr(token.rfind('.'));
  EXPECT_EQ(Refusal(spliced), "id_token: signature: does not verify with the bank's key");
}

TEST(IdToken, TheHeaderMustNameAKeyOfTheBankAndNothingUnderstoodOnlyByIt) {
  Token unknown;
  unknown.header["kid"] = "\"k9\"";
  EXPECT_EQ(Refusal(unknown.Signed()), "id_token: kid: not in the bank's JWKS");
  EXPECT_EQ(ValidateIdToken(unknown.Signed(), TheBank().jwks, Expect()).error().code, ErrorCode::kNotFound);
  Token no_kid;
  no_kid.header.erase("kid");
  EXPECT_EQ(Refusal(no_kid.Signed()), "id_token: kid: missing, and the bank's JWKS has more than one signing key");
  Token crit;
  crit.header["crit"] = "[\"exp\"]";
  EXPECT_EQ(Refusal(crit.Signed()), "id_token: crit: no critical header parameter is understood");
  Token typ;
  typ.header["typ"] = "\"at+jwt\"";
  EXPECT_EQ(Refusal(typ.Signed()), "id_token: typ: expected JWT");
}

TEST(IdToken, EachClaimThatIsWrongIsRefusedByName) {
  struct Case {
    const char* claim;
    std::string value;  // empty: the claim left out
    std::string message;
  };
  const std::vector<Case> cases = {
      {"iss", "\"https://evil.example\"", "id_token: iss: not the bank's issuer"},
      {"iss", "", "id_token: iss: not the bank's issuer"},
      {"aud", "\"client-2\"", "id_token: aud: does not name our client id"},
      {"aud", "[\"client-2\",\"client-3\"]", "id_token: aud: does not name our client id"},
      {"aud", "[\"client-1\",\"client-3\"]", "id_token: azp: several audiences, and azp is not our client id"},
      {"aud", "", "id_token: aud: missing"},
      {"exp", std::to_string(kNow - 61), "id_token: exp: expired"},
      {"exp", "\"tomorrow\"", "id_token: exp: expected a NumericDate"},
      {"iat", std::to_string(kNow + 61), "id_token: iat: in the future"},
      {"iat", std::to_string(kNow - 3600 - 61), "id_token: iat: too old"},
      {"nonce", "\"nonce-2\"", "id_token: nonce: not the one sent in the request"},
      {"nonce", "", "id_token: nonce: missing"},
      {"openbanking_intent_id", "\"intent-2\"", "id_token: openbanking_intent_id: not the consent's id"},
      {"openbanking_intent_id", "", "id_token: openbanking_intent_id: missing"},
      {"c_hash", "\"" + HalfSha256("code-2") + "\"", "id_token: c_hash: does not match the code"},
      {"c_hash", "", "id_token: c_hash: missing"},
      {"s_hash", "\"" + HalfSha256("state-2") + "\"", "id_token: s_hash: does not match the state"},
      {"s_hash", "", "id_token: s_hash: missing"},
      {"at_hash", "\"" + HalfSha256("other-token") + "\"", "id_token: at_hash: does not match the access token"},
      {"sub", "", "id_token: sub: missing"},
      {"sub", "7", "id_token: sub: expected a string"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.claim) + " = " + (c.value.empty() ? "(absent)" : c.value));
    Token t;
    if (c.value.empty()) {
      t.claims.erase(c.claim);
    } else {
      t.claims[c.claim] = c.value;
    }
    IdTokenExpectations expect = Expect();
    expect.access_token = "access-1";
    EXPECT_EQ(Refusal(t.Signed(), expect), c.message);
  }
  // Within the leeway, and with the right at_hash and azp, the same token passes.
  Token edge;
  edge.claims["exp"] = std::to_string(kNow - 59);
  edge.claims["iat"] = std::to_string(kNow + 59);
  edge.claims["at_hash"] = "\"" + HalfSha256("access-1") + "\"";
  edge.claims["aud"] = "[\"client-1\",\"client-3\"]";
  edge.claims["azp"] = "\"client-1\"";
  IdTokenExpectations expect = Expect();
  expect.access_token = "access-1";
  EXPECT_EQ(Refusal(edge.Signed(), expect), "<accepted>");
}

TEST(IdToken, ARelaxationLetsOnlyTheAbsenceThrough) {
  IdTokenExpectations relaxed = Expect();
  relaxed.relax.nonce_optional = true;
  relaxed.relax.s_hash_optional = true;
  Token absent;
  absent.claims.erase("nonce");
  absent.claims.erase("s_hash");
  EXPECT_EQ(Refusal(absent.Signed(), relaxed), "<accepted>");
  EXPECT_EQ(Refusal(absent.Signed()), "id_token: nonce: missing");
  Token wrong;
  wrong.claims["nonce"] = "\"nonce-2\"";
  EXPECT_EQ(Refusal(wrong.Signed(), relaxed), "id_token: nonce: not the one sent in the request");
  wrong.claims["nonce"] = "\"nonce-1\"";
  wrong.claims["s_hash"] = "\"" + HalfSha256("state-2") + "\"";
  EXPECT_EQ(Refusal(wrong.Signed(), relaxed), "id_token: s_hash: does not match the state");
}

TEST(IdToken, MalformedTokensAreRefusedWithoutEcho) {
  const std::string good = Token().Signed();
  for (const std::string& bad : {std::string(), std::string("a.b"), good + ".x", std::string("!!!.e30.AAAA"),
                                 Base64UrlEncode("not json") + "." + Base64UrlEncode("{}") + ".AAAA",
                                 std::string(kMaxIdTokenBytes + 1, 'a')}) {
    auto claims = ValidateIdToken(bad, TheBank().jwks, Expect());
    ASSERT_FALSE(claims);
    EXPECT_EQ(claims.error().code, ErrorCode::kConsentInvalid);
    // Worded and stamped like every other refusal (the fuzzer found the header's and claims' decoding errors
    // without the bank and with another prefix).
    EXPECT_EQ(claims.error().message.rfind("id_token: ", 0), 0u) << claims.error().message;
    EXPECT_EQ(claims.error().bank_id, "bank-x");
    EXPECT_LT(claims.error().message.size(), 120u);
  }
  EXPECT_EQ(Refusal("!!!.e30.AAAA"), "id_token: header: not base64url");
}

TEST(Jwks, KeepsRsaSigningKeysAndSkipsTheRest) {
  EVP_PKEY* key = TheBank().key.get();
  auto jwks = ParseJwks(R"({"keys":[)" + JwkOf(key, "enc", R"(,"use":"enc")") + "," +
                        JwkOf(key, "rs", R"(,"alg":"RS256")") + R"(,{"kty":"EC","kid":"ec","crv":"P-256"},)" +
                        JwkOf(key, "sig") + "]}");
  ASSERT_TRUE(jwks) << jwks.error().ToString();
  ASSERT_EQ(jwks->keys.size(), 1u);
  EXPECT_EQ(jwks->keys[0].kid, "sig");
  EXPECT_NE(jwks->Find(""), nullptr) << "one signing key: a token without kid may use it";
}

TEST(Jwks, MalformedSetsNameTheKeyAndField) {
  EVP_PKEY* key = TheBank().key.get();
  const std::string n = Param(key, OSSL_PKEY_PARAM_RSA_N);
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"[]", "jwks.keys: expected a list of keys"},
      {R"({"keys":{}})", "jwks.keys: expected a list of keys"},
      {R"({"keys":[1]})", "jwks.keys[0]: expected an object"},
      {R"({"keys":[{"n":"AQAB"}]})", "jwks.keys[0].kty: missing"},
      {R"({"keys":[{"kty":"RSA","e":"AQAB"}]})", "jwks.keys[0]: an RSA key needs n and e"},
      {R"({"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]})", "jwks.keys[0].n: an RSA key of fewer than 2048 bits"},
      {R"({"keys":[{"kty":"RSA","n":")" + n + R"(","e":"AAE"}]})", "jwks.keys[0].e: not a public exponent"},
      {R"({"keys":[{"kty":"RSA","n":")" + n + R"(=","e":"AQAB"}]})", "jwks.keys[0].n: not base64url"},
      {"{\"keys\":[" + JwkOf(key, "a") + "," + JwkOf(key, "a") + "]}", "jwks.keys[1].kid: used by two signing keys"},
  };
  for (const auto& [json, message] : cases) {
    auto jwks = ParseJwks(json);
    ASSERT_FALSE(jwks) << json;
    EXPECT_EQ(jwks.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(jwks.error().message, message) << json;
  }
}

// The token endpoint's ID token (back channel: code redemption, refresh), per OpenID Connect Core §§3.1.3.7, 12.2.
IdTokenExpectations BackChannel() {
  IdTokenExpectations e = Expect();
  e.back_channel = true;
  e.code.clear();
  e.state.clear();
  e.subject = "intent-1";  // the front-channel token's sub
  e.access_token = "access-1";
  return e;
}

// A token endpoint's token right in every respect: no c_hash, s_hash or openbanking_intent_id, at_hash of the new
// access token.
Token BackChannelToken() {
  Token t;
  t.claims.erase("c_hash");
  t.claims.erase("s_hash");
  t.claims.erase("openbanking_intent_id");
  t.claims["at_hash"] = "\"" + HalfSha256("access-1") + "\"";
  return t;
}

TEST(IdTokenBackChannel, ARightTokenPassesWithoutTheCallbacksClaims) {
  auto claims = ValidateIdToken(BackChannelToken().Signed(), TheBank().jwks, BackChannel());
  ASSERT_TRUE(claims) << claims.error().ToString();
  EXPECT_EQ(claims->sub, "intent-1");
  // The callback's claims are not looked at, except an openbanking_intent_id that is there.
  Token extra = BackChannelToken();
  extra.claims["c_hash"] = "\"" + HalfSha256("code-2") + "\"";
  extra.claims["s_hash"] = "\"" + HalfSha256("state-2") + "\"";
  EXPECT_EQ(Refusal(extra.Signed(), BackChannel()), "<accepted>");
  extra.claims["openbanking_intent_id"] = "\"intent-1\"";
  EXPECT_EQ(Refusal(extra.Signed(), BackChannel()), "<accepted>");
  extra.claims["openbanking_intent_id"] = "\"intent-2\"";
  EXPECT_EQ(Refusal(extra.Signed(), BackChannel()),
            "token response id_token: openbanking_intent_id: not the consent's id");
  // at_hash is checked when the token has one.
  Token no_at_hash = BackChannelToken();
  no_at_hash.claims.erase("at_hash");
  EXPECT_EQ(Refusal(no_at_hash.Signed(), BackChannel()), "<accepted>");
  // The front channel is as it was: the same token is no callback's.
  EXPECT_EQ(Refusal(BackChannelToken().Signed()), "id_token: openbanking_intent_id: missing");
}

TEST(IdTokenBackChannel, EachCheckRefusesByName) {
  struct Case {
    const char* claim;
    std::string value;  // empty: the claim left out
    std::string message;
  };
  const std::vector<Case> cases = {
      {"sub", "\"intent-2\"", "token response id_token: sub: not the subject of the consent's ID token"},
      {"sub", "", "token response id_token: sub: missing"},
      {"iss", "\"https://evil.example\"", "token response id_token: iss: not the bank's issuer"},
      {"aud", "\"client-2\"", "token response id_token: aud: does not name our client id"},
      {"azp", "\"client-2\"", "token response id_token: azp: not our client id"},
      {"exp", std::to_string(kNow - 61), "token response id_token: exp: expired"},
      {"iat", std::to_string(kNow + 61), "token response id_token: iat: in the future"},
      {"iat", "", "token response id_token: iat: missing"},
      {"at_hash", "\"" + HalfSha256("access-0") + "\"",
       "token response id_token: at_hash: does not match the access token"},
      {"nonce", "\"nonce-2\"", "token response id_token: nonce: not the one sent in the request"},
      {"nonce", "", "token response id_token: nonce: missing"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(std::string(c.claim) + " = " + (c.value.empty() ? "(absent)" : c.value));
    Token t = BackChannelToken();
    if (c.value.empty()) {
      t.claims.erase(c.claim);
    } else {
      t.claims[c.claim] = c.value;
    }
    EXPECT_EQ(Refusal(t.Signed(), BackChannel()), c.message);
  }
  Token other_key = BackChannelToken();
  other_key.signer = TheBank().other.get();
  EXPECT_EQ(Refusal(other_key.Signed(), BackChannel()),
            "token response id_token: signature: does not verify with the bank's key");
  Token hs256 = BackChannelToken();
  hs256.header["alg"] = "\"HS256\"";
  EXPECT_EQ(Refusal(hs256.Signed(), BackChannel()), "token response id_token: alg: expected PS256");
  // A grant that never kept the callback's sub has nothing to compare with: refused, never taken on trust.
  IdTokenExpectations no_subject = BackChannel();
  no_subject.subject.clear();
  EXPECT_EQ(Refusal(BackChannelToken().Signed(), no_subject),
            "token response id_token: sub: the grant holds no subject to compare with; authorise the consent again");
}

TEST(IdTokenBackChannel, ARefreshsNonceIsNotLookedAtAndTheCodesMayBeRelaxed) {
  IdTokenExpectations refresh = BackChannel();
  refresh.nonce.clear();  // a refresh: §12.2 says its token SHOULD NOT have one
  Token without = BackChannelToken();
  without.claims.erase("nonce");
  EXPECT_EQ(Refusal(without.Signed(), refresh), "<accepted>");
  Token with = BackChannelToken();
  with.claims["nonce"] = "\"nonce-from-long-ago\"";
  EXPECT_EQ(Refusal(with.Signed(), refresh), "<accepted>");
  // The code redemption's: the profile's relaxation lets only its absence through.
  IdTokenExpectations relaxed = BackChannel();
  relaxed.relax.nonce_optional = true;
  EXPECT_EQ(Refusal(without.Signed(), relaxed), "<accepted>");
  EXPECT_EQ(Refusal(with.Signed(), relaxed), "token response id_token: nonce: not the one sent in the request");
}

TEST(IdTokenBackChannel, AnUnknownKidReadsTheKeysAgainOnce) {
  const auto only_other = std::make_shared<const Jwks>(*ParseJwks(R"({"keys":[)" +
                                                                  JwkOf(TheBank().other.get(), "k2") + "]}"));
  const auto all = std::make_shared<const Jwks>(TheBank().jwks);
  std::vector<bool> reads;
  const JwksSource rotated = [&](bool reread) -> Result<std::shared_ptr<const Jwks>> {
    reads.push_back(reread);
    return reread ? all : only_other;
  };
  auto claims = ValidateIdTokenWithKeys(BackChannelToken().Signed(), rotated, BackChannel());
  ASSERT_TRUE(claims) << claims.error().ToString();
  EXPECT_EQ(reads, (std::vector<bool>{false, true}));

  reads.clear();
  Token unknown = BackChannelToken();
  unknown.header["kid"] = "\"k9\"";
  auto refused = ValidateIdTokenWithKeys(unknown.Signed(), rotated, BackChannel());
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, ErrorCode::kConsentInvalid) << "still unknown after the second read";
  EXPECT_EQ(refused.error().message, "token response id_token: kid: not in the bank's JWKS");
  EXPECT_EQ(reads, (std::vector<bool>{false, true}));

  const JwksSource broken = [](bool) -> Result<std::shared_ptr<const Jwks>> {
    return MakeError(ErrorCode::kUnavailable, "read the bank's JWKS: connection refused");
  };
  auto unreadable = ValidateIdTokenWithKeys(BackChannelToken().Signed(), broken, BackChannel());
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().code, ErrorCode::kUnavailable);
}

}  // namespace
}  // namespace bankfeed::uk_ob
