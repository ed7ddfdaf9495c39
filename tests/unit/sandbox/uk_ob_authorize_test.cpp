// The UK sandbox bank's hybrid flow: /as/authorize accepts a good request object and refuses each bad one (over
// the redirect when it can be trusted, else with a page), the redirect's fragment carries code, id_token and state,
// and the ID tokens pass the client's own validator (adapters/uk_ob/id_token.hpp) unless a hostile
// `id_token_fault` gets exactly one thing wrong.
#include <gtest/gtest.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <simdjson.h>

#include <cstdlib>
#include <functional>
#include <set>

#include "adapters/uk_ob/id_token.hpp"
#include "adapters/uk_ob/jwks.hpp"
#include "pki/openssl_ptr.hpp"
#include "signing/base64.hpp"
#include "signing/rsa.hpp"
#include "tools/sandbox/form.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::Bank;
using test::Identity;
using test::JsonMembers;
using test::JsonString;
using test::Quoted;
using test::Signing;
using test::UkTpp;

constexpr char kState[] = "state-af0ifjsldkj";
constexpr char kNonce[] = "nonce-n0S6WzA2Mj";
constexpr char kConsents[] = "/open-banking/v3.1/aisp/account-access-consents";

::bankfeed::uk_ob::Jwks JwksOf(Bank& bank) {
  http::Response r = bank.Send("GET", "/as/jwks", {}, "", Signing::kUnsigned, Identity::kNone);
  auto jwks = ::bankfeed::uk_ob::ParseJwks(r.body);
  EXPECT_TRUE(jwks) << r.body;
  return jwks ? *jwks : ::bankfeed::uk_ob::Jwks{};
}

// A client, a consent awaiting authorisation and its request object's claims.
struct Flow {
  explicit Flow(Bank& b) : bank(b), tpp(b) {
    client_id = tpp.Register();
    cc_token = tpp.ClientCredentialsToken(client_id);
    consent_id = tpp.CreateConsent(cc_token);
    claims = tpp.RequestObjectClaims(client_id, consent_id);
  }
  http::Response Authorize(const std::string& extra_query = "") {
    return tpp.Authorize(client_id, tpp.RequestObject(claims), extra_query);
  }
  std::string ConsentStatus() {
    return JsonString(tpp.Api("GET", kConsents + ("/" + consent_id), cc_token).body, "/Data/Status");
  }
  Bank& bank;
  UkTpp tpp;
  std::string client_id, cc_token, consent_id;
  JsonMembers claims;
};

TEST(SandboxUkAuthorize, GoodRequestObjectRedirectsWithCodeIdTokenAndStateInTheFragment) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  Flow f(*bank);
  EXPECT_EQ(f.ConsentStatus(), "AwaitingAuthorisation");
  http::Response r = f.Authorize();
  ASSERT_EQ(r.status, 302) << r.body;
  const std::string location = test::Header(r, "Location");
  EXPECT_EQ(location.rfind(std::string(test::kUkRedirect) + "#code=", 0), 0u) << "the answer is in the fragment";
  auto fragment = test::FragmentOf(r);
  EXPECT_EQ(fragment.size(), 3u);
  EXPECT_EQ(fragment["state"], kState);
  ASSERT_FALSE(fragment["code"].empty());
  ASSERT_FALSE(fragment["id_token"].empty());
  EXPECT_EQ(f.ConsentStatus(), "Authorised");

  // The client's own validator accepts it, with the bank's JWKS.
  ::bankfeed::uk_ob::IdTokenExpectations expect;
  expect.bank_id = "sandbox";
  expect.issuer = bank->Url("");
  expect.client_id = f.client_id;
  expect.nonce = kNonce;
  expect.intent_id = f.consent_id;
  expect.code = fragment["code"];
  expect.state = kState;
  expect.now = test::UnixNow();
  auto claims = ::bankfeed::uk_ob::ValidateIdToken(fragment["id_token"], JwksOf(*bank), expect);
  ASSERT_TRUE(claims) << claims.error().ToString();
  EXPECT_EQ(claims->sub, f.consent_id);
  EXPECT_EQ(claims->acr, "urn:openbanking:psd2:sca");
  EXPECT_EQ(claims->exp - claims->iat, 600);
  ASSERT_TRUE(claims->auth_time);
  const std::string body = test::JwtClaims(fragment["id_token"]);
  EXPECT_EQ(JsonString(body, "/c_hash"), ::bankfeed::uk_ob::HalfSha256(fragment["code"]));
  EXPECT_EQ(JsonString(body, "/s_hash"), ::bankfeed::uk_ob::HalfSha256(kState));
  EXPECT_EQ(JsonString(body, "/nonce"), kNonce);
  EXPECT_EQ(JsonString(body, "/openbanking_intent_id"), f.consent_id);
  EXPECT_EQ(JsonString(test::JwtHeader(fragment["id_token"]), "/typ"), "JWT");
  EXPECT_EQ(bank->stats().bad_request_object.load(), 0);

  // The token response's ID token: the same claims without c_hash/s_hash, with at_hash.
  auto form = f.tpp.ClientAuth(f.client_id);
  form.insert(form.begin(),
              {{"grant_type", "authorization_code"}, {"code", fragment["code"]}, {"redirect_uri", test::kUkRedirect}});
  http::Response token = f.tpp.Token(form);
  ASSERT_EQ(token.status, 200) << token.body;
  const std::string back = JsonString(token.body, "/id_token");
  const std::string back_claims = test::JwtClaims(back);
  EXPECT_FALSE(test::JsonHas(back_claims, "/c_hash"));
  EXPECT_FALSE(test::JsonHas(back_claims, "/s_hash"));
  EXPECT_EQ(JsonString(back_claims, "/at_hash"),
            ::bankfeed::uk_ob::HalfSha256(JsonString(token.body, "/access_token")));
  EXPECT_EQ(JsonString(back_claims, "/nonce"), kNonce);
  EXPECT_EQ(test::JsonInt(back_claims, "/auth_time"), *claims->auth_time);
  EXPECT_EQ(JsonString(back_claims, "/openbanking_intent_id"), f.consent_id);
}

TEST(SandboxUkAuthorize, PsuComesFromTheQueryAndRejectionIsAccessDenied) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  Flow unknown(*bank);
  auto denied = test::FragmentOf(unknown.Authorize("&psu=psu-9"));
  EXPECT_EQ(denied["error"], "access_denied");
  EXPECT_EQ(denied["state"], kState);
  EXPECT_EQ(unknown.ConsentStatus(), "AwaitingAuthorisation");
  UkTpp tpp(*bank);
  UkTpp::Session second = tpp.Authorised(test::kUkAllPermissions, "private_key_jwt", "&psu=psu-2");
  http::Response accounts = tpp.Api("GET", "/open-banking/v3.1/aisp/accounts", second.access_token);
  ASSERT_EQ(accounts.status, 200) << accounts.body;
  EXPECT_EQ(JsonString(accounts.body, "/Data/Account/0/AccountId"), "acc-3");

  auto rejecting = Bank::Start(test::UkMiniScenario("  sca_outcome: reject\n"));
  ASSERT_TRUE(rejecting);
  Flow f(*rejecting);
  http::Response r = f.Authorize();
  ASSERT_EQ(r.status, 302);
  auto fragment = test::FragmentOf(r);
  EXPECT_EQ(fragment["error"], "access_denied");
  EXPECT_EQ(fragment["state"], kState);
  EXPECT_FALSE(fragment.count("code"));
  EXPECT_EQ(f.ConsentStatus(), "Rejected");
}

// Each check of the request object, against one that gets exactly that one wrong.
TEST(SandboxUkAuthorize, EachRequestObjectCheckRefusesARequestThatGetsItWrong) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const auto other_key = test::LoadPrivateKey("qwac-mismatch.key");
  const int64_t now = test::UnixNow();
  // Another client's consent, and a consent already authorised.
  Flow someone_else(*bank);
  Flow used(*bank);
  ASSERT_EQ(used.Authorize().status, 302);
  struct Case {
    const char* name;
    std::function<void(Flow&, JsonMembers&)> edit;
    const char* description;
    std::function<std::string(Flow&)> sign;  // null: PS256 with the client's key
  };
  const auto set = [](const char* claim, std::string value) {
    return [claim, value](Flow&, JsonMembers& c) {
      if (value.empty()) {
        c.erase(claim);
      } else {
        c[claim] = value;
      }
    };
  };
  const auto intent = [](const std::string& id_token_claims) {
    return [id_token_claims](Flow&, JsonMembers& c) { c["claims"] = R"({"id_token":)" + id_token_claims + "}"; };
  };
  const std::string acr = R"("acr":{"essential":true})";
  const std::vector<Case> cases = {
      {"signed by another key", nullptr, "signature does not verify",
       [&](Flow& f) {
         return test::SignJwt({{"alg", Quoted("PS256")}}, f.claims, other_key.get());
       }},
      {"alg RS256", nullptr, "alg: expected PS256",
       [&](Flow& f) {
         return test::SignJwt({{"alg", Quoted("RS256")}}, f.claims, f.tpp.key());
       }},
      {"aud elsewhere", set("aud", Quoted("https://other-bank.example")), "aud: not this bank's issuer", nullptr},
      {"iss another", set("iss", Quoted("someone-else")), "iss: not the client_id", nullptr},
      {"client_id another", set("client_id", Quoted("someone-else")), "client_id: not the query's", nullptr},
      {"response_type code", set("response_type", Quoted("code")), "response_type", nullptr},
      {"redirect not registered", set("redirect_uri", Quoted("https://evil.example/cb")),
       "redirect_uri: not registered", nullptr},
      {"no redirect", set("redirect_uri", ""), "redirect_uri: missing", nullptr},
      {"scope without accounts", set("scope", Quoted("openid")), "scope", nullptr},
      {"scope without openid", set("scope", Quoted("accounts")), "scope", nullptr},
      {"no state", set("state", ""), "state: missing", nullptr},
      {"no nonce", set("nonce", ""), "nonce: missing", nullptr},
      {"expired", set("exp", std::to_string(now - 1)), "exp: expired", nullptr},
      {"no exp", set("exp", ""), "exp: missing", nullptr},
      {"no nbf", set("nbf", ""), "nbf: missing", nullptr},
      {"nbf ahead", set("nbf", std::to_string(now + 120)), "nbf: in the future", nullptr},
      {"over 60 minutes", [](Flow&, JsonMembers& c) { c["exp"] = std::to_string(std::stoll(c["nbf"]) + 3601); },
       "more than 60 minutes", nullptr},
      {"no intent", intent("{" + acr + "}"), "openbanking_intent_id", nullptr},
      {"intent not essential", intent(R"({"openbanking_intent_id":{"value":"x"},)" + acr + "}"),
       "openbanking_intent_id", nullptr},
      {"unknown consent", intent(R"({"openbanking_intent_id":{"value":"urn-nope","essential":true},)" + acr + "}"),
       "not a consent of this client", nullptr},
      {"another client's consent",
       [&](Flow& f, JsonMembers& c) {
         c["claims"] = R"({"id_token":{"openbanking_intent_id":{"value":)" + Quoted(someone_else.consent_id) +
                       R"(,"essential":true},)" + acr + "}}";
         (void)f;
       },
       "not a consent of this client", nullptr},
      {"no acr",
       [](Flow& f, JsonMembers& c) {
         c["claims"] =
             R"({"id_token":{"openbanking_intent_id":{"value":)" + Quoted(f.consent_id) + R"(,"essential":true}}})";
       },
       "acr", nullptr},
      {"unknown acr",
       [](Flow& f, JsonMembers& c) {
         c["claims"] = R"({"id_token":{"openbanking_intent_id":{"value":)" + Quoted(f.consent_id) +
                       R"(,"essential":true},"acr":{"essential":true,"values":["urn:other:loa"]}}})";
       },
       "acr: values", nullptr},
  };
  int64_t refused = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Flow f(*bank);
    if (c.edit) c.edit(f, f.claims);
    const std::string request = c.sign ? c.sign(f) : f.tpp.RequestObject(f.claims);
    http::Response r = f.tpp.Authorize(f.client_id, request);
    ASSERT_EQ(r.status, 302) << r.body;
    auto fragment = test::FragmentOf(r);
    EXPECT_EQ(test::Header(r, "Location").rfind(std::string(test::kUkRedirect) + "#error=", 0), 0u);
    EXPECT_EQ(fragment["error"], "invalid_request_object");
    EXPECT_NE(fragment["error_description"].find(c.description), std::string::npos) << fragment["error_description"];
    EXPECT_EQ(fragment["state"], kState);
    EXPECT_FALSE(fragment.count("code"));
    EXPECT_EQ(f.ConsentStatus(), "AwaitingAuthorisation");
    EXPECT_EQ(bank->stats().bad_request_object.load(), ++refused);
  }
  // An authorised consent is authorised again (re-authentication, the UK 90-day rule) and stays authorised ...
  http::Response again = used.tpp.Authorize(used.client_id, used.tpp.RequestObject(used.claims));
  ASSERT_EQ(again.status, 302);
  EXPECT_TRUE(test::FragmentOf(again).count("code"));
  EXPECT_EQ(used.ConsentStatus(), "Authorised");
  // ... but a revoked one is not.
  ASSERT_EQ(used.tpp.Api("DELETE", kConsents + ("/" + used.consent_id), used.cc_token).status, 204);
  http::Response revoked = used.tpp.Authorize(used.client_id, used.tpp.RequestObject(used.claims));
  EXPECT_NE(test::FragmentOf(revoked)["error_description"].find("not awaiting authorisation"), std::string::npos);
}

TEST(SandboxUkAuthorize, WithoutATrustworthyRedirectTheRefusalIsAPage) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  Flow f(*bank);
  const std::string request = f.tpp.RequestObject(f.claims);
  const auto page = [&](const std::string& target) {
    return bank->Send("GET", target, {}, "", Signing::kUnsigned, Identity::kNone);
  };
  http::Response unknown = page("/as/authorize?client_id=nobody&request=" + PercentEncode(request));
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("client_id: not a registered client"), std::string::npos);
  EXPECT_EQ(page("/as/authorize?request=" + PercentEncode(request)).status, 400);
  http::Response evil =
      page("/as/authorize?client_id=" + f.client_id + "&redirect_uri=" + PercentEncode("https://evil.example/cb") +
           "&request=" + PercentEncode(request));
  EXPECT_EQ(evil.status, 400);
  EXPECT_NE(evil.body.find("redirect_uri: not registered"), std::string::npos);
  // No query redirect_uri and an object that does not verify: nothing to trust.
  const std::string forged =
      test::SignJwt({{"alg", Quoted("PS256")}}, f.claims, test::LoadPrivateKey("qwac-mismatch.key").get());
  EXPECT_EQ(page("/as/authorize?client_id=" + f.client_id + "&request=" + PercentEncode(forged)).status, 400);
  // No request object at all: invalid_request over the registered redirect.
  http::Response none = page("/as/authorize?client_id=" + f.client_id +
                             "&redirect_uri=" + PercentEncode(test::kUkRedirect) + "&state=s1");
  ASSERT_EQ(none.status, 302);
  EXPECT_EQ(test::FragmentOf(none)["error"], "invalid_request");
  EXPECT_EQ(test::FragmentOf(none)["state"], "s1");
  EXPECT_EQ(bank->stats().bad_request_object.load(), 5);
  EXPECT_EQ(f.ConsentStatus(), "AwaitingAuthorisation");
}

TEST(SandboxUkAuthorize, QueryParametersMustAgreeWithTheRequestObject) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  JsonMembers registration = tpp.RegistrationClaims();
  registration["redirect_uris"] = R"(["https://tpp.example.test/callback","https://tpp.example.test/other"])";
  http::Response registered = tpp.PostRegistration(tpp.RegistrationJwt(registration));
  ASSERT_EQ(registered.status, 201);
  const std::string id = JsonString(registered.body, "/client_id");
  const std::string consent = tpp.CreateConsent(tpp.ClientCredentialsToken(id));
  const std::string request = tpp.RequestObject(tpp.RequestObjectClaims(id, consent));
  const auto get = [&](const std::string& query) {
    return bank->Send("GET", "/as/authorize?client_id=" + id + "&request=" + PercentEncode(request) + query, {}, "",
                      Signing::kUnsigned, Identity::kNone);
  };
  http::Response other = get("&redirect_uri=" + PercentEncode("https://tpp.example.test/other"));
  ASSERT_EQ(other.status, 302);
  EXPECT_EQ(test::Header(other, "Location").rfind("https://tpp.example.test/other#error=invalid_request_object", 0),
            0u);
  EXPECT_NE(test::FragmentOf(other)["error_description"].find("redirect_uri: the query's"), std::string::npos);
  http::Response code_only = get("&response_type=code");
  EXPECT_NE(test::FragmentOf(code_only)["error_description"].find("response_type: the query's"), std::string::npos);
  // Without redirect_uri and response_type in the query, the object's are used.
  http::Response ok = get("");
  ASSERT_EQ(ok.status, 302);
  EXPECT_TRUE(test::FragmentOf(ok).count("code")) << test::Header(ok, "Location");
}

// ---- ID token faults ----

struct FaultCase {
  const char* fault;
  std::set<std::string> differs;  // "header.x", "claims.x" or "signature"
  const char* client_check;       // what the client's validator names
};

// The members of a JSON object as raw values.
std::map<std::string, std::string> Members(const std::string& json) {
  std::map<std::string, std::string> out;
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(json).get_object().get(object) != simdjson::SUCCESS) return out;
  for (auto [key, value] : object) out[std::string(key)] = simdjson::minify(value);
  return out;
}

TEST(SandboxUkIdToken, EachFaultChangesExactlyItsOneThing) {
  const std::vector<FaultCase> cases = {
      {"wrong_key", {"signature"}, "signature"},
      {"alg_none", {"header.alg", "signature"}, "alg"},
      {"hs256_public_key", {"header.alg", "signature"}, "alg"},
      {"bad_c_hash", {"claims.c_hash"}, "c_hash"},
      {"bad_s_hash", {"claims.s_hash"}, "s_hash"},
      {"missing_c_hash", {"claims.c_hash"}, "c_hash"},
      {"missing_s_hash", {"claims.s_hash"}, "s_hash"},
      {"other_nonce", {"claims.nonce"}, "nonce"},
      {"missing_nonce", {"claims.nonce"}, "nonce"},
      {"other_intent_id", {"claims.openbanking_intent_id"}, "openbanking_intent_id"},
      {"expired", {"claims.exp"}, "exp"},
      {"future_iat", {"claims.iat"}, "iat"},
      {"other_issuer", {"claims.iss"}, "iss"},
      {"other_audience", {"claims.aud"}, "aud"},
      {"unknown_kid", {"header.kid"}, "kid"},
  };
  for (const FaultCase& c : cases) {
    SCOPED_TRACE(c.fault);
    auto bank = Bank::Start(test::UkMiniScenario(std::string("  oidc: {id_token_fault: ") + c.fault + "}\n"));
    ASSERT_TRUE(bank);
    Flow f(*bank);
    const int64_t now = test::UnixNow();
    auto fragment = test::FragmentOf(f.Authorize());
    const std::string token = fragment["id_token"];
    ASSERT_FALSE(token.empty());
    const ::bankfeed::uk_ob::Jwks jwks = JwksOf(*bank);
    ASSERT_EQ(jwks.keys.size(), 1u);
    const std::string kid = jwks.keys[0].kid;

    // What a right token says; times within a few seconds of now.
    const std::map<std::string, std::string> header{
        {"alg", Quoted("PS256")}, {"kid", Quoted(kid)}, {"typ", Quoted("JWT")}};
    const std::map<std::string, std::string> claims{{"iss", Quoted(bank->Url(""))},
                                                    {"sub", Quoted(f.consent_id)},
                                                    {"aud", Quoted(f.client_id)},
                                                    {"nonce", Quoted(kNonce)},
                                                    {"openbanking_intent_id", Quoted(f.consent_id)},
                                                    {"acr", Quoted("urn:openbanking:psd2:sca")},
                                                    {"c_hash", Quoted(::bankfeed::uk_ob::HalfSha256(fragment["code"]))},
                                                    {"s_hash", Quoted(::bankfeed::uk_ob::HalfSha256(kState))}};
    const std::map<std::string, int64_t> times{{"iat", now}, {"exp", now + 600}, {"auth_time", now}};
    std::set<std::string> differs;
    const auto compare = [&](const std::string& part, const std::map<std::string, std::string>& expected,
                             const std::map<std::string, std::string>& actual) {
      std::set<std::string> names;
      for (const auto& [k, v] : expected) names.insert(k);
      for (const auto& [k, v] : actual) names.insert(k);
      for (const std::string& name : names) {
        if (part == "claims" && times.count(name)) {
          const auto it = actual.find(name);
          if (it == actual.end() || std::llabs(std::atoll(it->second.c_str()) - times.at(name)) > 5) {
            differs.insert(part + "." + name);
          }
          continue;
        }
        const auto e = expected.find(name), a = actual.find(name);
        if (e == expected.end() || a == actual.end() || e->second != a->second) differs.insert(part + "." + name);
      }
    };
    compare("header", header, Members(test::JwtHeader(token)));
    std::map<std::string, std::string> expected_claims = claims;
    for (const auto& [name, t] : times) expected_claims.erase(name);
    compare("claims", expected_claims, Members(test::JwtClaims(token)));
    // The signature: PS256 by the JWKS's key?
    const size_t dot2 = token.rfind('.');
    auto signature = signing::Base64UrlDecode(token.substr(dot2 + 1), "signature");
    if (!signature || signature->empty() ||
        !signing::RsaVerify(signing::RsaScheme::kPssSha256, token.substr(0, dot2), *signature,
                            jwks.keys[0].key.get())) {
      differs.insert("signature");
    }
    EXPECT_EQ(differs, c.differs);

    if (std::string(c.fault) == "hs256_public_key") {
      // HMAC-SHA256 keyed with the JWKS key's PEM: what a client trusting the header's alg would accept.
      pki::BioPtr bio(BIO_new(BIO_s_mem()));
      ASSERT_EQ(PEM_write_bio_PUBKEY(bio.get(), jwks.keys[0].key.get()), 1);
      const std::string pem = pki::BioContents(bio.get());
      unsigned char mac[EVP_MAX_MD_SIZE];
      unsigned int len = 0;
      const std::string input = token.substr(0, dot2);
      HMAC(EVP_sha256(), pem.data(), static_cast<int>(pem.size()), reinterpret_cast<const unsigned char*>(input.data()),
           input.size(), mac, &len);
      EXPECT_EQ(token.substr(dot2 + 1), signing::Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), len)));
    }

    // The client's validator refuses it, naming what is wrong.
    ::bankfeed::uk_ob::IdTokenExpectations expect;
    expect.bank_id = "sandbox";
    expect.issuer = bank->Url("");
    expect.client_id = f.client_id;
    expect.nonce = kNonce;
    expect.intent_id = f.consent_id;
    expect.code = fragment["code"];
    expect.state = kState;
    expect.now = test::UnixNow();
    auto validated = ::bankfeed::uk_ob::ValidateIdToken(token, jwks, expect);
    ASSERT_FALSE(validated);
    EXPECT_NE(validated.error().message.find(std::string("id_token: ") + c.client_check), std::string::npos)
        << validated.error().message;
  }
}

}  // namespace
}  // namespace bankfeed::sandbox
