// The UK sandbox bank's OpenID provider: discovery (and its faults), the JWKS (and key rotation), and dynamic
// client registration with its management endpoints, each check refused when the client gets exactly it wrong.
#include <gtest/gtest.h>

#include <functional>

#include "adapters/uk_ob/jwks.hpp"
#include "unit/sandbox/sandbox_test_util.hpp"

namespace bankfeed::sandbox {
namespace {

using test::Bank;
using test::Identity;
using test::JsonArraySize;
using test::JsonMembers;
using test::JsonString;
using test::Quoted;
using test::Signing;
using test::UkTpp;

http::Response Page(Bank& bank, const std::string& target) {
  return bank.Send("GET", target, {}, "", Signing::kUnsigned, Identity::kNone);
}

TEST(SandboxUkDiscovery, MetadataNamesTheBanksEndpointsWithoutAClientCertificate) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  http::Response r = Page(*bank, "/.well-known/openid-configuration");
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string origin = bank->Url("");
  EXPECT_EQ(JsonString(r.body, "/issuer"), origin);
  EXPECT_EQ(JsonString(r.body, "/authorization_endpoint"), origin + "/as/authorize");
  EXPECT_EQ(JsonString(r.body, "/token_endpoint"), origin + "/as/token");
  EXPECT_EQ(JsonString(r.body, "/jwks_uri"), origin + "/as/jwks");
  EXPECT_EQ(JsonString(r.body, "/registration_endpoint"), origin + "/as/register");
  EXPECT_EQ(test::JsonRaw(r.body, "/response_types_supported"), R"(["code id_token"])");
  EXPECT_EQ(test::JsonRaw(r.body, "/scopes_supported"), R"(["openid","accounts"])");
  EXPECT_EQ(test::JsonRaw(r.body, "/token_endpoint_auth_methods_supported"),
            R"(["tls_client_auth","private_key_jwt"])");
  EXPECT_EQ(test::JsonRaw(r.body, "/id_token_signing_alg_values_supported"), R"(["PS256"])");
  EXPECT_EQ(test::JsonRaw(r.body, "/request_object_signing_alg_values_supported"), R"(["PS256"])");
  EXPECT_EQ(test::JsonRaw(r.body, "/token_endpoint_auth_signing_alg_values_supported"), R"(["PS256"])");
  EXPECT_EQ(test::JsonRaw(r.body, "/tls_client_certificate_bound_access_tokens"), "true");
  EXPECT_EQ(test::JsonRaw(r.body, "/claims_parameter_supported"), "true");
  EXPECT_EQ(test::JsonRaw(r.body, "/acr_values_supported"),
            R"(["urn:openbanking:psd2:sca","urn:openbanking:psd2:ca"])");

  auto only_pkj = Bank::Start(test::UkMiniScenario("  oidc: {client_auth: [private_key_jwt]}\n"));
  ASSERT_TRUE(only_pkj);
  EXPECT_EQ(test::JsonRaw(Page(*only_pkj, "/.well-known/openid-configuration").body,
                          "/token_endpoint_auth_methods_supported"),
            R"(["private_key_jwt"])");
}

TEST(SandboxUkDiscovery, EachDiscoveryFaultTellsExactlyOneLie) {
  const std::pair<const char*, const char*> cases[] = {
      {"other_issuer", "/issuer"}, {"http_jwks_uri", "/jwks_uri"}, {"foreign_jwks_uri", "/jwks_uri"}};
  auto good = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(good);
  const std::string truth = Page(*good, "/.well-known/openid-configuration").body;
  for (const auto& [fault, member] : cases) {
    SCOPED_TRACE(fault);
    auto bank = Bank::Start(test::UkMiniScenario(std::string("  oidc: {discovery_fault: ") + fault + "}\n"));
    ASSERT_TRUE(bank);
    const std::string lie = Page(*bank, "/.well-known/openid-configuration").body;
    const std::string origin = bank->Url("");
    for (const char* m : {"/issuer", "/jwks_uri", "/authorization_endpoint", "/token_endpoint"}) {
      const std::string expected_truth = JsonString(truth, m).replace(0, good->Url("").size(), origin);
      if (std::string(m) == member) {
        EXPECT_NE(JsonString(lie, m), expected_truth) << m;
      } else {
        EXPECT_EQ(JsonString(lie, m), expected_truth) << m;
      }
    }
  }
  auto http_jwks = Bank::Start(test::UkMiniScenario("  oidc: {discovery_fault: http_jwks_uri}\n"));
  EXPECT_EQ(JsonString(Page(*http_jwks, "/.well-known/openid-configuration").body, "/jwks_uri"),
            "http://" + http_jwks->Url("/as/jwks").substr(8));
  auto foreign = Bank::Start(test::UkMiniScenario("  oidc: {discovery_fault: foreign_jwks_uri}\n"));
  EXPECT_EQ(JsonString(Page(*foreign, "/.well-known/openid-configuration").body, "/jwks_uri")
                .rfind("https://jwks.invalid.example/", 0),
            0u);
}

TEST(SandboxUkDiscovery, JwksServesOnePs256SigningKeyTheClientCanRead) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  http::Response r = Page(*bank, "/as/jwks");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(JsonArraySize(r.body, "/keys"), 1u);
  EXPECT_EQ(JsonString(r.body, "/keys/0/kty"), "RSA");
  EXPECT_EQ(JsonString(r.body, "/keys/0/use"), "sig");
  EXPECT_EQ(JsonString(r.body, "/keys/0/alg"), "PS256");
  EXPECT_EQ(JsonString(r.body, "/keys/0/e"), "AQAB");
  EXPECT_EQ(JsonString(r.body, "/keys/0/kid").size(), 16u);
  EXPECT_EQ(JsonString(r.body, "/keys/0/n").size(), 342u);  // 2048 bits in base64url
  auto jwks = ::bankfeed::uk_ob::ParseJwks(r.body);
  ASSERT_TRUE(jwks) << jwks.error().ToString();
  ASSERT_EQ(jwks->keys.size(), 1u);
  EXPECT_EQ(Page(*bank, "/as/jwks").body, r.body) << "the same key on every fetch";
}

TEST(SandboxUkDiscovery, RotatedSigningKeyAppearsFromTheSecondFetchOn) {
  auto bank = Bank::Start(test::UkMiniScenario("  oidc: {rotate_signing_key: true}\n"));
  ASSERT_TRUE(bank);
  const std::string first = Page(*bank, "/as/jwks").body, second = Page(*bank, "/as/jwks").body;
  ASSERT_EQ(JsonArraySize(first, "/keys"), 1u);
  ASSERT_EQ(JsonArraySize(second, "/keys"), 2u);
  EXPECT_EQ(JsonString(second, "/keys/0/kid"), JsonString(first, "/keys/0/kid"));
  const std::string b = JsonString(second, "/keys/1/kid");
  EXPECT_NE(b, JsonString(first, "/keys/0/kid"));
  // ID tokens are signed with key B: absent from the first fetch, present in the second.
  UkTpp tpp(*bank);
  UkTpp::Session s = tpp.Authorised();
  EXPECT_EQ(JsonString(test::JwtHeader(s.front_id_token), "/kid"), b);
  EXPECT_EQ(JsonString(test::JwtHeader(s.id_token), "/kid"), b);
  EXPECT_EQ(JsonArraySize(Page(*bank, "/as/jwks").body, "/keys"), 2u);
}

// ---- registration ----

TEST(SandboxUkRegistration, AcceptedRegistrationEchoesTheMetadata) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  for (const std::string method : {"private_key_jwt", "tls_client_auth"}) {
    SCOPED_TRACE(method);
    http::Response r = tpp.PostRegistration(tpp.RegistrationJwt(tpp.RegistrationClaims(method)));
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(JsonString(r.body, "/client_id").size(), 32u);
    EXPECT_GT(test::JsonInt(r.body, "/client_id_issued_at"), test::UnixNow() - 60);
    EXPECT_EQ(test::JsonRaw(r.body, "/redirect_uris"), "[\"" + std::string(test::kUkRedirect) + "\"]");
    EXPECT_EQ(JsonString(r.body, "/token_endpoint_auth_method"), method);
    EXPECT_EQ(test::JsonRaw(r.body, "/grant_types"), R"(["authorization_code","client_credentials","refresh_token"])");
    EXPECT_EQ(test::JsonRaw(r.body, "/response_types"), R"(["code id_token"])");
    EXPECT_EQ(JsonString(r.body, "/scope"), "openid accounts");
    EXPECT_EQ(JsonString(r.body, "/software_id"), "tpp-software-1");
    EXPECT_EQ(JsonString(r.body, "/id_token_signed_response_alg"), "PS256");
    EXPECT_EQ(JsonString(r.body, "/request_object_signing_alg"), "PS256");
  }
  EXPECT_EQ(bank->stats().bad_registration.load(), 0);
}

// Each check of a registration request, against a request that gets exactly that one wrong.
TEST(SandboxUkRegistration, EachCheckRefusesARequestThatGetsItWrong) {
  auto bank = Bank::Start(test::UkMiniScenario("  oidc: {client_auth: [private_key_jwt]}\n"));
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const auto other_key = test::LoadPrivateKey("qwac-mismatch.key");
  auto other_ca = pki::Credential::Load({test::Pki("client-other-ca.pem"), test::Pki("client-other-ca.key"), "", ""});
  ASSERT_TRUE(other_ca);
  struct Case {
    const char* name;
    std::function<std::string()> jwt;
    const char* error;
    const char* description;  // a part of error_description
  };
  const auto with = [&](const char* claim, std::string value) {
    return [&tpp, claim, value] {
      JsonMembers c = tpp.RegistrationClaims();
      if (value.empty()) {
        c.erase(claim);
      } else {
        c[claim] = value;
      }
      return tpp.RegistrationJwt(c);
    };
  };
  const auto statement_with = [&](JsonMembers header, JsonMembers claims, EVP_PKEY* key) {
    return [&tpp, header, claims, key] {
      JsonMembers c = tpp.RegistrationClaims();
      c["software_statement"] = Quoted(test::SignJwt(header, claims, key));
      return tpp.RegistrationJwt(c);
    };
  };
  JsonMembers ssa_claims{{"software_id", Quoted("tpp-software-1")}, {"iat", std::to_string(test::UnixNow())}};
  JsonMembers foreign_x5c = tpp.X5cHeader();
  foreign_x5c["x5c"] = "[" + Quoted(other_ca->CertificateDerBase64()) + "]";
  JsonMembers rs256 = tpp.X5cHeader();
  rs256["alg"] = Quoted("RS256");
  auto server = pki::Credential::Load({test::Pki("server.pem"), test::Pki("server.key"), "", ""});
  ASSERT_TRUE(server);
  JsonMembers ec_x5c = tpp.X5cHeader();  // chains to the trusted CA, but an EC key cannot verify PS256
  ec_x5c["x5c"] = "[" + Quoted(server->CertificateDerBase64()) + "]";
  JsonMembers bad_base64 = tpp.X5cHeader(), not_der = tpp.X5cHeader();
  bad_base64["x5c"] = R"(["not base64!"])";
  not_der["x5c"] = R"(["AAAA"])";
  JsonMembers ssa_rs256 = rs256;
  JsonMembers no_x5c = tpp.X5cHeader();
  no_x5c.erase("x5c");
  const std::vector<Case> cases = {
      {"x5c from another CA", [&] { return test::SignJwt(foreign_x5c, tpp.RegistrationClaims(), tpp.key()); },
       "invalid_client_metadata", "x5c[0]: does not chain"},
      {"no x5c", [&] { return test::SignJwt(no_x5c, tpp.RegistrationClaims(), tpp.key()); }, "invalid_client_metadata",
       "x5c: missing"},
      {"x5c not base64", [&] { return test::SignJwt(bad_base64, tpp.RegistrationClaims(), tpp.key()); },
       "invalid_client_metadata", "x5c[0]: not base64"},
      {"x5c not DER", [&] { return test::SignJwt(not_der, tpp.RegistrationClaims(), tpp.key()); },
       "invalid_client_metadata", "x5c[0]: not a DER certificate"},
      {"x5c with an EC key", [&] { return test::SignJwt(ec_x5c, tpp.RegistrationClaims(), tpp.key()); },
       "invalid_client_metadata", "x5c[0]: not an RSA key"},
      {"signed by another key",
       [&] { return test::SignJwt(tpp.X5cHeader(), tpp.RegistrationClaims(), other_key.get()); },
       "invalid_client_metadata", "signature does not verify"},
      {"alg RS256", [&] { return test::SignJwt(rs256, tpp.RegistrationClaims(), tpp.key()); },
       "invalid_client_metadata", "alg: expected PS256"},
      {"not a JWT", [] { return std::string("not-a-jwt"); }, "invalid_client_metadata", "three dot-separated"},
      {"no iss", with("iss", ""), "invalid_client_metadata", "iss: missing"},
      {"aud elsewhere", with("aud", Quoted("https://other.example")), "invalid_client_metadata", "aud:"},
      {"no iat", with("iat", ""), "invalid_client_metadata", "iat: missing"},
      {"expired", with("exp", std::to_string(test::UnixNow() - 5)), "invalid_client_metadata", "exp: expired"},
      {"no exp", with("exp", ""), "invalid_client_metadata", "exp: missing"},
      {"no auth method", with("token_endpoint_auth_method", ""), "invalid_client_metadata",
       "token_endpoint_auth_method: missing"},
      {"no jti", with("jti", ""), "invalid_client_metadata", "jti: missing"},
      {"no redirect_uris", with("redirect_uris", "[]"), "invalid_redirect_uri", "redirect_uris"},
      {"http redirect", with("redirect_uris", R"(["http://tpp.example.test/cb"])"), "invalid_redirect_uri",
       "redirect_uris[0]"},
      {"fragment in redirect", with("redirect_uris", R"(["https://tpp.example.test/cb#x"])"), "invalid_redirect_uri",
       "redirect_uris[0]"},
      {"unsupported auth method", with("token_endpoint_auth_method", Quoted("tls_client_auth")),
       "invalid_client_metadata", "token_endpoint_auth_method: not supported"},
      {"unknown auth method", with("token_endpoint_auth_method", Quoted("client_secret_basic")),
       "invalid_client_metadata", "token_endpoint_auth_method"},
      {"no client_credentials", with("grant_types", R"(["authorization_code"])"), "invalid_client_metadata",
       "grant_types"},
      {"unknown grant", with("grant_types", R"(["authorization_code","client_credentials","password"])"),
       "invalid_client_metadata", "grant_types"},
      {"code only", with("response_types", R"(["code"])"), "invalid_client_metadata", "response_types"},
      {"scope without accounts", with("scope", Quoted("openid payments")), "invalid_client_metadata", "scope"},
      {"RS256 id tokens", with("id_token_signed_response_alg", Quoted("RS256")), "invalid_client_metadata",
       "id_token_signed_response_alg"},
      {"no request object alg", with("request_object_signing_alg", ""), "invalid_client_metadata",
       "request_object_signing_alg: missing"},
      {"no assertion alg", with("token_endpoint_auth_signing_alg", ""), "invalid_client_metadata",
       "token_endpoint_auth_signing_alg"},
      {"no software statement", with("software_statement", ""), "invalid_software_statement",
       "software_statement: missing"},
      {"statement not a JWT", with("software_statement", Quoted("abc")), "invalid_software_statement",
       "software_statement"},
      {"statement from another CA", statement_with(foreign_x5c, ssa_claims, tpp.key()), "invalid_software_statement",
       "software_statement: x5c[0]: does not chain"},
      {"statement signed by another key", statement_with(tpp.X5cHeader(), ssa_claims, other_key.get()),
       "invalid_software_statement", "software_statement: signature does not verify"},
      {"statement alg RS256", statement_with(ssa_rs256, ssa_claims, tpp.key()), "invalid_software_statement",
       "software_statement: alg: expected PS256"},
      {"statement without software_id", statement_with(tpp.X5cHeader(), {{"iat", "1"}}, tpp.key()),
       "invalid_software_statement", "software_statement: software_id: missing"},
      {"statement of other software",
       statement_with(tpp.X5cHeader(), {{"software_id", Quoted("someone-else")}}, tpp.key()),
       "invalid_software_statement", "software_id: not the request's iss"},
  };
  int64_t refused = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    http::Response r = tpp.PostRegistration(c.jwt());
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(JsonString(r.body, "/error"), c.error) << r.body;
    EXPECT_NE(JsonString(r.body, "/error_description").find(c.description), std::string::npos) << r.body;
    EXPECT_EQ(bank->stats().bad_registration.load(), ++refused);
  }
  // The right request still passes (nothing above was a false refusal), and the Content-Type is checked.
  EXPECT_EQ(tpp.PostRegistration(tpp.RegistrationJwt(tpp.RegistrationClaims())).status, 201);
  http::Response json = bank->Send("POST", "/as/register", {{"Content-Type", "application/json"}},
                                   tpp.RegistrationJwt(tpp.RegistrationClaims()), Signing::kUnsigned);
  EXPECT_EQ(json.status, 400);
  EXPECT_EQ(JsonString(json.body, "/error_description"), "Content-Type: expected application/jwt");
  // Registration needs the client certificate.
  EXPECT_EQ(bank->Send("POST", "/as/register", {{"Content-Type", "application/jwt"}},
                       tpp.RegistrationJwt(tpp.RegistrationClaims()), Signing::kUnsigned, Identity::kNone)
                .status,
            401);
}

TEST(SandboxUkRegistration, LoopbackHttpRedirectsAreAllowed) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  JsonMembers c = tpp.RegistrationClaims();
  c["redirect_uris"] = R"(["http://127.0.0.1:8080/cb","http://localhost/cb","https://tpp.example.test/cb"])";
  EXPECT_EQ(tpp.PostRegistration(tpp.RegistrationJwt(c)).status, 201);
  c["redirect_uris"] = R"(["http://localhost.evil.example/cb"])";
  EXPECT_EQ(tpp.PostRegistration(tpp.RegistrationJwt(c)).status, 400);
}

TEST(SandboxUkRegistration, ManagementNeedsTheClientsOwnClientCredentialsToken) {
  auto bank = Bank::Start(test::UkMiniScenario());
  ASSERT_TRUE(bank);
  UkTpp tpp(*bank);
  const std::string id = tpp.Register(), other = tpp.Register();
  const std::string token = tpp.ClientCredentialsToken(id), other_token = tpp.ClientCredentialsToken(other);
  const std::string path = "/as/register/" + id;
  const auto get = [&](const std::string& bearer, Identity identity = Identity::kQwac) {
    return bank->Send("GET", path, {{"Authorization", "Bearer " + bearer}}, "", Signing::kUnsigned, identity);
  };
  http::Response read = get(token);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(JsonString(read.body, "/client_id"), id);
  EXPECT_EQ(get(other_token).status, 401) << "another client's token";
  EXPECT_TRUE(get(other_token).body.empty());
  EXPECT_EQ(get("nonsense").status, 401);
  EXPECT_EQ(bank->Send("GET", path, {}, "", Signing::kUnsigned).status, 401) << "no token";
  EXPECT_EQ(get(token, Identity::kQseal).status, 401) << "the token is bound to the QWAC";
  EXPECT_EQ(test::Header(get("nonsense"), "WWW-Authenticate"), "Bearer error=\"invalid_token\"");

  // PUT: the same JWT body replaces the metadata; the client id stays.
  JsonMembers claims = tpp.RegistrationClaims();
  claims["redirect_uris"] = R"(["https://tpp.example.test/callback","https://tpp.example.test/b"])";
  http::Response put = tpp.PostRegistration(tpp.RegistrationJwt(claims), "PUT", path, token);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(JsonString(put.body, "/client_id"), id);
  EXPECT_EQ(JsonArraySize(put.body, "/redirect_uris"), 2u);
  EXPECT_EQ(JsonArraySize(get(token).body, "/redirect_uris"), 2u);
  claims["iss"] = Quoted("other-software");
  http::Response foreign = tpp.PostRegistration(tpp.RegistrationJwt(claims), "PUT", path, token);
  EXPECT_EQ(foreign.status, 400) << "a PUT cannot move the client to other software";
  EXPECT_NE(JsonString(foreign.body, "/error_description").find("software"), std::string::npos) << foreign.body;
  EXPECT_EQ(tpp.PostRegistration(tpp.RegistrationJwt(tpp.RegistrationClaims()), "PUT", path, other_token).status, 401);

  // DELETE: gone, and its tokens with it.
  EXPECT_EQ(bank->Send("DELETE", path, {{"Authorization", "Bearer " + other_token}}, "", Signing::kUnsigned).status,
            401);
  EXPECT_EQ(bank->Send("DELETE", path, {{"Authorization", "Bearer " + token}}, "", Signing::kUnsigned).status, 204);
  EXPECT_EQ(get(token).status, 401);
  auto form = tpp.ClientAuth(id);
  form.insert(form.begin(), {{"grant_type", "client_credentials"}, {"scope", "accounts"}});
  http::Response after = tpp.Token(form);
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(JsonString(after.body, "/error"), "invalid_client");
  EXPECT_EQ(tpp.Api("POST", "/open-banking/v3.1/aisp/account-access-consents", token,
                    R"({"Data":{"Permissions":["ReadBalances"]},"Risk":{}})")
                .status,
            401);
}

}  // namespace
}  // namespace bankfeed::sandbox
