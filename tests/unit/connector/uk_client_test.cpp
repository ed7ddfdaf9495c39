// The UK client's own parts, without a bank: the discovery document's checks (adapters/uk_ob/discovery.hpp), the
// JWTs it signs (adapters/uk_ob/client_jwt.hpp) and the UK error model (adapters/uk_ob/errors.hpp).
#include <gtest/gtest.h>

#include <simdjson.h>

#include "adapters/uk_ob/client_jwt.hpp"
#include "adapters/uk_ob/discovery.hpp"
#include "adapters/uk_ob/errors.hpp"
#include "signing/compact_jws.hpp"
#include "unit/pki/pki_test_util.hpp"

namespace bankfeed::uk_ob {
namespace {

constexpr std::string_view kIssuer = "https://as.bank-x.example";

std::string Document(const std::string& replace_key = "", const std::string& value = "") {
  std::map<std::string, std::string> fields = {
      {"issuer", "\"https://as.bank-x.example\""},
      {"authorization_endpoint", "\"https://as.bank-x.example/authorize\""},
      {"token_endpoint", "\"https://as.bank-x.example/token\""},
      {"jwks_uri", "\"https://as.bank-x.example/jwks\""},
      {"registration_endpoint", "\"https://as.bank-x.example/register\""},
      {"response_types_supported", R"(["code id_token"])"},
      {"token_endpoint_auth_methods_supported", R"(["tls_client_auth","private_key_jwt"])"},
      {"id_token_signing_alg_values_supported", R"(["PS256"])"},
      {"request_object_signing_alg_values_supported", R"(["PS256"])"},
  };
  if (!replace_key.empty()) {
    if (value.empty()) {
      fields.erase(replace_key);
    } else {
      fields[replace_key] = value;
    }
  }
  std::string out = "{";
  for (const auto& [k, v] : fields) out += (out.size() > 1 ? "," : "") + ("\"" + k + "\":" + v);
  return out + "}";
}

Result<Discovery> Parse(const std::string& json, std::vector<std::string> link_hosts = {},
                        ClientAuthMethod method = ClientAuthMethod::kPrivateKeyJwt) {
  return ParseDiscovery(json, kIssuer, link_hosts, method, "bank-x");
}

TEST(UkDiscovery, ReadsTheEndpoints) {
  auto d = Parse(Document());
  ASSERT_TRUE(d) << d.error().ToString();
  EXPECT_EQ(d->token_endpoint, "https://as.bank-x.example/token");
  EXPECT_EQ(d->jwks_uri, "https://as.bank-x.example/jwks");
  EXPECT_EQ(d->registration_endpoint, "https://as.bank-x.example/register");
  EXPECT_EQ(DiscoveryUrl("https://as.bank-x.example/"), "https://as.bank-x.example/.well-known/openid-configuration");
}

TEST(UkDiscovery, RefusesADocumentThatDoesNotStayWithTheBank) {
  const std::pair<std::string, std::string> cases[] = {
      {"issuer", "\"https://as.other.example\""},
      {"issuer", "\"https://as.bank-x.example/\""},  // not character for character
      {"jwks_uri", "\"http://as.bank-x.example/jwks\""},
      {"jwks_uri", "\"https://keys.attacker.example/jwks\""},
      {"token_endpoint", "\"https://as.bank-x.example:8443/token\""},
      {"authorization_endpoint", "\"https://login.attacker.example/authorize\""},
      {"jwks_uri", ""},
      {"jwks_uri", "\"\""},  // found by the fuzzer: an empty endpoint was skipped, not refused
      {"token_endpoint", "\"\""},
      {"jwks_uri", "42"},
      {"response_types_supported", R"(["code"])"},
      {"id_token_signing_alg_values_supported", R"(["RS256"])"},
      {"request_object_signing_alg_values_supported", R"(["none"])"},
      {"token_endpoint_auth_methods_supported", R"(["client_secret_basic"])"},
  };
  for (const auto& [key, value] : cases) {
    auto d = Parse(Document(key, value));
    ASSERT_FALSE(d) << key << " = " << value;
    EXPECT_EQ(d.error().code, ErrorCode::kProtocol);
    EXPECT_NE(d.error().message.find(key), std::string::npos) << d.error().message;
    EXPECT_EQ(d.error().message.find("attacker"), std::string::npos) << "values never quoted";
    EXPECT_EQ(d.error().bank_id, "bank-x");
  }
  EXPECT_FALSE(Parse("<html>"));
  EXPECT_FALSE(Parse("[]"));
}

TEST(UkDiscovery, AllowsTheBankGroupsDeclaredHosts) {
  const std::string doc = Document("jwks_uri", "\"https://keys.bank-x-group.example/jwks\"");
  EXPECT_FALSE(Parse(doc));
  EXPECT_TRUE(Parse(doc, {"keys.bank-x-group.example"}));
}

TEST(UkDiscovery, ListsThatAreAbsentDoNotRefuse) {
  EXPECT_TRUE(Parse(Document("token_endpoint_auth_methods_supported", "")));
  EXPECT_TRUE(Parse(Document("response_types_supported", "")));
}

// The JWTs the client signs verify with the QSealC and say what FAPI asks of them.
class UkClientJwt : public ::testing::Test {
 protected:
  void SetUp() override {
    auto signer = ClientSigner::Make({testing::PkiFile("qseal.pem"), testing::PkiFile("qseal.key"), "", ""}, "kid-1",
                                     "bank-x");
    ASSERT_TRUE(signer) << signer.error().ToString();
    signer_.emplace(std::move(*signer));
    auto credential = pki::Credential::Load({testing::PkiFile("qseal.pem"), testing::PkiFile("qseal.key"), "", ""});
    ASSERT_TRUE(credential);
    credential_.emplace(std::move(*credential));
  }

  // The verified claims of a token, as a parsed document held by the fixture.
  simdjson::dom::element Verified(const std::string& token, std::string* header_json = nullptr) {
    auto jws = signing::SplitCompactJws(token, "token");
    EXPECT_TRUE(jws);
    if (!jws) return {};
    EXPECT_TRUE(signing::VerifyCompactJwsPs256(*jws, credential_->key()));
    if (header_json) *header_json = jws->header_json;
    claims_ = jws->claims_json;
    return parser_.parse(claims_);
  }

  std::optional<ClientSigner> signer_;
  std::optional<pki::Credential> credential_;
  simdjson::dom::parser parser_;
  std::string claims_;
};

TEST_F(UkClientJwt, RequestObjectCarriesEveryFapiClaim) {
  RequestObjectClaims c;
  c.client_id = "client-1";
  c.issuer = std::string(kIssuer);
  c.redirect_uri = "https://tpp.example/cb";
  c.state = "state-1";
  c.nonce = "nonce-1";
  c.intent_id = "intent-1";
  c.now = 1'735'689'600;
  auto token = signer_->RequestObject(c);
  ASSERT_TRUE(token) << token.error().ToString();
  std::string header;
  auto claims = Verified(*token, &header);
  EXPECT_NE(header.find("\"alg\":\"PS256\""), std::string::npos);
  EXPECT_NE(header.find("\"kid\":\"kid-1\""), std::string::npos);
  EXPECT_EQ(std::string_view(claims["iss"]), "client-1");
  EXPECT_EQ(std::string_view(claims["aud"]), kIssuer);
  EXPECT_EQ(std::string_view(claims["response_type"]), "code id_token");
  EXPECT_EQ(std::string_view(claims["client_id"]), "client-1");
  EXPECT_EQ(std::string_view(claims["redirect_uri"]), "https://tpp.example/cb");
  EXPECT_EQ(std::string_view(claims["scope"]), "openid accounts");
  EXPECT_EQ(std::string_view(claims["state"]), "state-1");
  EXPECT_EQ(std::string_view(claims["nonce"]), "nonce-1");
  EXPECT_NE(std::string_view(claims["state"]), std::string_view(claims["nonce"]));
  EXPECT_EQ(int64_t(claims["iat"]), c.now);
  EXPECT_EQ(int64_t(claims["nbf"]), c.now);
  EXPECT_EQ(int64_t(claims["exp"]) - int64_t(claims["nbf"]), 600);
  EXPECT_FALSE(std::string_view(claims["jti"]).empty());
  auto intent = claims["claims"]["id_token"]["openbanking_intent_id"];
  EXPECT_EQ(std::string_view(intent["value"]), "intent-1");
  EXPECT_TRUE(bool(intent["essential"]));
  EXPECT_TRUE(bool(claims["claims"]["id_token"]["acr"]["essential"]));
}

TEST_F(UkClientJwt, ClientAssertionIsShortLivedAndNamesTheTokenEndpoint) {
  auto token = signer_->ClientAssertion("client-1", "https://as.bank-x.example/token", 1'735'689'600);
  ASSERT_TRUE(token);
  auto claims = Verified(*token);
  EXPECT_EQ(std::string_view(claims["iss"]), "client-1");
  EXPECT_EQ(std::string_view(claims["sub"]), "client-1");
  EXPECT_EQ(std::string_view(claims["aud"]), "https://as.bank-x.example/token");
  EXPECT_LE(int64_t(claims["exp"]) - int64_t(claims["iat"]), 300);
  auto again = signer_->ClientAssertion("client-1", "https://as.bank-x.example/token", 1'735'689'600);
  ASSERT_TRUE(again);
  const std::string first_jti{std::string_view(claims["jti"])};
  EXPECT_NE(first_jti, std::string_view(Verified(*again)["jti"])) << "every assertion has its own jti";
}

TEST_F(UkClientJwt, RegistrationRequestCarriesTheSigningCertificate) {
  RegistrationClaims c;
  c.software_id = "software-1";
  c.issuer = std::string(kIssuer);
  c.software_statement = "a.b.c";
  c.redirect_uris = {"https://tpp.example/cb"};
  c.client_auth = ClientAuthMethod::kPrivateKeyJwt;
  c.now = 1'735'689'600;
  auto token = signer_->RegistrationRequest(c);
  ASSERT_TRUE(token);
  std::string header;
  auto claims = Verified(*token, &header);
  EXPECT_NE(header.find("\"x5c\":[\"" + credential_->CertificateDerBase64() + "\"]"), std::string::npos);
  EXPECT_EQ(std::string_view(claims["token_endpoint_auth_method"]), "private_key_jwt");
  EXPECT_EQ(std::string_view(claims["token_endpoint_auth_signing_alg"]), "PS256");
  EXPECT_EQ(std::string_view(claims["response_types"].at(0)), "code id_token");
  EXPECT_EQ(std::string_view(claims["software_statement"]), "a.b.c");
}

TEST(UkClientSigner, RefusesAnEmptyKid) {
  auto signer = ClientSigner::Make({testing::PkiFile("qseal.pem"), testing::PkiFile("qseal.key"), "", ""}, "", "b");
  ASSERT_FALSE(signer);
  EXPECT_EQ(signer.error().code, ErrorCode::kConfig);
}

http::Response Answer(int status, std::string body, std::string type = "application/json") {
  http::Response r;
  r.status = status;
  r.body = std::move(body);
  r.headers.push_back({"Content-Type", std::move(type)});
  return r;
}

TEST(UkErrors, TheFirstErrorCodeDecides) {
  const std::string body =
      R"({"Code":"403 Forbidden","Id":"x","Message":"Jane Doe must log in","Errors":[{"ErrorCode":"UK.OBIE.Reauthenticate","Message":"GB33BUKB20201555555555"}]})";
  Error e = ErrorFromResponse(Answer(403, body), "bank-x", "read accounts");
  EXPECT_EQ(e.code, ErrorCode::kConsentExpired);
  EXPECT_EQ(e.bank_code, "UK.OBIE.Reauthenticate");
  EXPECT_EQ(e.message.find("Jane"), std::string::npos);
  EXPECT_EQ(e.message.find("GB33"), std::string::npos);
  EXPECT_EQ(ErrorFromResponse(Answer(400, R"({"Errors":[{"ErrorCode":"UK.OBIE.Field.InvalidDate"}]})"), "b", "x").code,
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(ErrorFromResponse(Answer(400, R"({"Errors":[{"ErrorCode":"UK.OBIE.Resource.NotFound"}]})"), "b", "x").code,
            ErrorCode::kNotFound);
  EXPECT_EQ(ErrorFromResponse(Answer(401, ""), "b", "x").code, ErrorCode::kUnauthenticated);
  EXPECT_EQ(ErrorFromResponse(Answer(429, ""), "b", "x").code, ErrorCode::kRateLimited);
  Error html = ErrorFromResponse(Answer(502, "<html>gateway</html>", "text/html"), "b", "x");
  EXPECT_EQ(html.code, ErrorCode::kUnavailable);
  EXPECT_NE(html.message.find("HTML"), std::string::npos);
  EXPECT_EQ(ErrorCodeOfBody(R"({"Errors":[{"ErrorCode":"<script>"}]})"), "");
}

}  // namespace
}  // namespace bankfeed::uk_ob
