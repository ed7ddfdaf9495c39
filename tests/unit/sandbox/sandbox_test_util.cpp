#include "unit/sandbox/sandbox_test_util.hpp"

#include <openssl/pem.h>
#include <simdjson.h>

#include <chrono>
#include <cstdio>

#include "signing/base64.hpp"
#include "signing/cavage.hpp"
#include "signing/compact_jws.hpp"
#include "tools/sandbox/form.hpp"
#include "unit/pki/pki_test_util.hpp"

namespace bankfeed::sandbox::test {
namespace {

std::unique_ptr<http::Client> MakeClient(std::optional<CredentialSource> identity) {
  TransportOptions o;
  o.bank_id = "sandbox-test";
  o.client_identity = std::move(identity);
  o.ca_bundle_file = Pki("ca.pem");
  o.connect_timeout = std::chrono::milliseconds(3000);
  o.total_timeout = std::chrono::milliseconds(10000);
  auto c = http::Client::Make(o);
  EXPECT_TRUE(c.has_value()) << (c ? "" : c.error().ToString());
  return c ? std::move(*c) : nullptr;
}

bool At(const std::string& json, const std::string& pointer, simdjson::dom::parser& parser,
        simdjson::dom::element& out) {
  simdjson::dom::element doc;
  if (parser.parse(json).get(doc) != simdjson::SUCCESS) return false;
  return doc.at_pointer(pointer).get(out) == simdjson::SUCCESS;
}

}  // namespace

std::string Pki(const std::string& file) { return testing::PkiFile(file); }

std::string MiniScenario(const std::string& behaviour) {
  return R"(standard: berlin-group
psus:
  - id: psu-1
    accounts:
      - resource_id: acc-1
        iban: DE89370400440532013000
        currency: EUR
        name: Girokonto
        balances:
          - {type: CLBD, amount: "1234.56", date: 2025-01-02}
          - {type: CLBD, amount: "1000.00", date: 2025-01-06}
          - {type: ITAV, amount: "900.5"}
        transactions:
          - {id: t1, status: booked, booking_date: 2025-01-02, value_date: 2025-01-02, amount: "-12.30",
             counterparty: {name: Lidl, iban: DE02120300000000202051}, remittance: "card 1234"}
          - {id: t2, status: booked, booking_date: 2025-01-03, amount: "2500", counterparty: {name: "Employer AG"},
             remittance: "Salary 01/2025"}
          - {id: t3, status: booked, booking_date: 2025-01-04, amount: "-3.50", counterparty: {name: Parkhaus},
             remittance: parking}
          - {id: t4, status: booked, booking_date: 2025-01-04, amount: "-3.50", counterparty: {name: Parkhaus},
             remittance: parking}
          - {id: p1, status: pending, value_date: 2025-01-03, amount: "-5.00",
             books_on: 2025-01-05, booked: {id: p1b, amount: "-5.50", booking_date: 2025-01-05}}
          - {id: p2, status: pending, value_date: 2025-01-04, amount: "-7.25"}
      - resource_id: acc-2
        iban: DE75512108001245126199
        currency: EUR
  - id: psu-2
    accounts:
      - resource_id: acc-3
        iban: NL91ABNA0417164300
        currency: JPY
        name: Yen
        balances: [{type: XPCD, amount: "5000", date: 2025-01-01}]
        transactions:
          - {id: y1, status: booked, booking_date: 2025-01-01, amount: "-1200", remittance: "Ramen"}
behaviour:
)" + (behaviour.empty() ? std::string("  page_size: 50\n") : behaviour);
}

std::string ManyRowsScenario(int rows, const std::string& behaviour) {
  std::string yaml = R"(standard: berlin-group
psus:
  - id: psu-1
    accounts:
      - resource_id: acc-1
        iban: DE89370400440532013000
        currency: EUR
        transactions:
)";
  const Date last = Date::FromYmd(2025, 1, 31);
  for (int i = 0; i < rows; ++i) {
    const Date d{last.days_since_epoch - i % 365};
    yaml += "          - {id: r" + std::to_string(i) + ", status: booked, booking_date: " + d.ToString() +
            ", amount: \"-" + std::to_string(i + 1) + ".00\"}\n";
  }
  return yaml + "behaviour:\n" + behaviour;
}

Scenario ParseOrDie(const std::string& yaml) {
  auto s = ParseScenario(yaml, "test.yaml");
  EXPECT_TRUE(s.has_value()) << (s ? "" : s.error().message);
  return s ? std::move(*s) : Scenario{};
}

std::unique_ptr<Bank> Bank::Start(const std::string& scenario_yaml, std::optional<Date> today, uint64_t seed,
                                  std::vector<std::string> published) {
  auto scenario = ParseScenario(scenario_yaml, "test.yaml");
  EXPECT_TRUE(scenario.has_value()) << (scenario ? "" : scenario.error().message);
  if (!scenario) return nullptr;
  SandboxOptions o;
  o.cert_file = Pki("server.pem");
  o.key_file = Pki("server.key");
  o.client_ca_file = Pki("ca.pem");
  o.today = today;
  o.seed = seed;
  o.published_certificates = std::move(published);
  auto server = SandboxServer::Start(std::move(*scenario), o);
  EXPECT_TRUE(server.has_value()) << (server ? "" : server.error().ToString());
  if (!server) return nullptr;
  std::unique_ptr<Bank> bank(new Bank());
  bank->server_ = std::move(*server);
  auto qseal = pki::Credential::Load({Pki("qseal.pem"), Pki("qseal.key"), "", ""});
  EXPECT_TRUE(qseal.has_value()) << (qseal ? "" : qseal.error().ToString());
  if (!qseal) return nullptr;
  bank->qseal_.emplace(std::move(*qseal));
  return bank;
}

http::Client& Bank::ClientFor(Identity identity) {
  switch (identity) {
    case Identity::kNone:
      if (!anonymous_) anonymous_ = MakeClient(std::nullopt);
      return *anonymous_;
    case Identity::kOtherCa:
      if (!other_ca_) other_ca_ = MakeClient(CredentialSource{Pki("client-other-ca.pem"), Pki("client-other-ca.key"), "", ""});
      return *other_ca_;
    case Identity::kQseal:
      if (!qseal_client_) qseal_client_ = MakeClient(CredentialSource{Pki("qseal.pem"), Pki("qseal.key"), "", ""});
      return *qseal_client_;
    case Identity::kQwac:
      break;
  }
  if (!qwac_) qwac_ = MakeClient(CredentialSource{Pki("qwac.pem"), Pki("qwac.key"), "", ""});
  return *qwac_;
}

void Bank::Sign(http::Request& request) const {
  if (!request.RequestId()) request.headers.push_back({"X-Request-ID", http::NewRequestId()});
  std::vector<signing::HeaderField> fields;
  for (const http::Header& h : request.headers) fields.push_back({h.name, h.value});
  const std::string target = request.url.substr(server_->BaseUrl().size());
  auto signed_headers =
      signing::SignCavage({request.method, target, fields, request.body}, CavageOptions{}, qseal_->key(),
                          qseal_->certificate());
  ASSERT_TRUE(signed_headers.has_value()) << signed_headers.error().ToString();
  request.headers.push_back({"Digest", signed_headers->digest});
  request.headers.push_back({"Signature", signed_headers->signature});
  request.headers.push_back({"TPP-Signature-Certificate", signed_headers->signature_certificate});
}

http::Attempt Bank::Try(const std::string& method, const std::string& target, std::vector<http::Header> headers,
                        const std::string& body, Signing signing, Identity identity) {
  http::Request request{method, Url(target), std::move(headers), body};
  if (!body.empty() && !http::FindHeader(request.headers, "Content-Type")) {
    request.headers.push_back({"Content-Type", "application/json"});
  }
  if (signing == Signing::kSigned) Sign(request);
  return ClientFor(identity).Send(std::move(request));
}

http::Response Bank::Send(const std::string& method, const std::string& target, std::vector<http::Header> headers,
                          const std::string& body, Signing signing, Identity identity) {
  http::Attempt a = Try(method, target, std::move(headers), body, signing, identity);
  EXPECT_TRUE(a.response.has_value()) << method << " " << target << ": "
                                      << (a.response ? "" : a.response.error().ToString());
  return a.response ? *a.response : http::Response{};
}

std::string Bank::ValidConsent(const std::string& psu) {
  http::Response created = Send("POST", "/v1/consents",
                                {{"PSU-ID", psu}, {"TPP-Redirect-URI", "https://tpp.example.test/cb?x=1"}},
                                ConsentBody());
  EXPECT_EQ(created.status, 201) << created.body;
  const std::string id = JsonString(created.body, "/consentId");
  const std::string sca = JsonString(created.body, "/_links/scaRedirect/href");
  if (!sca.empty()) {
    http::Response page = Send("GET", sca.substr(server_->BaseUrl().size()), {}, "", Signing::kUnsigned,
                               Identity::kNone);
    EXPECT_EQ(page.status, 302) << page.body;
  } else {
    for (int i = 0; i < 10 && JsonString(Send("GET", "/v1/consents/" + id + "/status").body, "/consentStatus") !=
                                  "valid";
         ++i) {
    }
  }
  EXPECT_EQ(JsonString(Send("GET", "/v1/consents/" + id + "/status").body, "/consentStatus"), "valid");
  return id;
}

std::string Header(const http::Response& r, std::string_view name) {
  auto v = r.HeaderValue(name);
  return v ? std::string(*v) : std::string();
}

std::string JsonString(const std::string& json, const std::string& pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  std::string_view s;
  if (!At(json, pointer, parser, e) || e.get_string().get(s) != simdjson::SUCCESS) return {};
  return std::string(s);
}

int64_t JsonInt(const std::string& json, const std::string& pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  int64_t v = -1;
  if (!At(json, pointer, parser, e) || e.get_int64().get(v) != simdjson::SUCCESS) return -1;
  return v;
}

size_t JsonArraySize(const std::string& json, const std::string& pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  simdjson::dom::array a;
  if (!At(json, pointer, parser, e) || e.get_array().get(a) != simdjson::SUCCESS) return 0;
  return a.size();
}

bool JsonHas(const std::string& json, const std::string& pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  return At(json, pointer, parser, e);
}

std::string JsonRaw(const std::string& json, const std::string& pointer) {
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  if (!At(json, pointer, parser, e)) return {};
  return simdjson::minify(e);
}

std::string ErrorCode(const http::Response& response) { return JsonString(response.body, "/tppMessages/0/code"); }

std::string ConsentBody(const std::string& access_json, int frequency, const std::string& valid_until) {
  return R"({"access":)" + access_json + R"(,"recurringIndicator":true,"validUntil":")" + valid_until +
         R"(","frequencyPerDay":)" + std::to_string(frequency) + R"(,"combinedServiceIndicator":false})";
}

// ---- UK Open Banking ----

std::string AsUk(std::string yaml) {
  const std::string bg = "standard: berlin-group";
  EXPECT_EQ(yaml.rfind(bg, 0), 0u);
  return yaml.replace(0, bg.size(), "standard: uk-ob");
}

std::string UkMiniScenario(const std::string& behaviour) { return AsUk(MiniScenario(behaviour)); }

std::string ToJson(const JsonMembers& members) {
  std::string out = "{";
  for (const auto& [name, value] : members) out += (out.size() > 1 ? ",\"" : "\"") + name + "\":" + value;
  return out + "}";
}

std::string Quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

int64_t UnixNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::shared_ptr<EVP_PKEY> LoadPrivateKey(const std::string& file) {
  FILE* f = std::fopen(Pki(file).c_str(), "r");
  EXPECT_NE(f, nullptr) << file;
  if (f == nullptr) return nullptr;
  EVP_PKEY* key = PEM_read_PrivateKey(f, nullptr, nullptr, nullptr);
  std::fclose(f);
  EXPECT_NE(key, nullptr) << file;
  return std::shared_ptr<EVP_PKEY>(key, EVP_PKEY_free);
}

std::string SignJwt(const JsonMembers& header, const JsonMembers& claims, EVP_PKEY* key) {
  auto token = signing::SignCompactJwsPs256(ToJson(header), ToJson(claims), key);
  EXPECT_TRUE(token.has_value()) << (token ? "" : token.error().ToString());
  return token ? *token : std::string();
}

std::string JwtHeader(const std::string& token) {
  auto jws = signing::SplitCompactJws(token, "token");
  if (jws) return jws->header_json;
  // alg none: an empty signature, which SplitCompactJws refuses
  const size_t dot = token.find('.');
  auto header = signing::Base64UrlDecode(token.substr(0, dot), "header");
  return header ? *header : std::string();
}

std::string JwtClaims(const std::string& token) {
  const size_t dot1 = token.find('.'), dot2 = token.find('.', dot1 + 1);
  if (dot1 == std::string::npos || dot2 == std::string::npos) return {};
  auto claims = signing::Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1), "claims");
  return claims ? *claims : std::string();
}

std::map<std::string, std::string> FragmentOf(const http::Response& redirect) {
  std::map<std::string, std::string> out;
  const std::string location = Header(redirect, "Location");
  const size_t hash = location.find('#');
  if (hash == std::string::npos) return out;
  auto fields = ParseForm(std::string_view(location).substr(hash + 1));
  EXPECT_TRUE(fields.has_value()) << "the fragment is not a form";
  if (!fields) return out;
  for (const FormField& f : *fields) out[f.name] = f.value;
  return out;
}

UkTpp::UkTpp(Bank& bank) : bank_(bank), issuer_(bank.Url("")) {
  auto qseal = pki::Credential::Load({Pki("qseal.pem"), Pki("qseal.key"), "", ""});
  EXPECT_TRUE(qseal.has_value()) << (qseal ? "" : qseal.error().ToString());
  if (qseal) qseal_.emplace(std::move(*qseal));
}

JsonMembers UkTpp::X5cHeader() const {
  return {{"alg", Quoted("PS256")},
          {"kid", Quoted("tpp-kid")},
          {"x5c", "[" + Quoted(qseal_->CertificateDerBase64()) + "]"}};
}

std::string UkTpp::SoftwareStatement(const std::string& software_id) const {
  JsonMembers claims{{"iss", Quoted("OpenBanking Ltd")},
                     {"software_id", Quoted(software_id)},
                     {"org_id", Quoted("0015800001041RHAAY")},
                     {"software_roles", R"(["AISP"])"},
                     {"iat", std::to_string(UnixNow())}};
  return SignJwt(X5cHeader(), claims, key());
}

JsonMembers UkTpp::RegistrationClaims(const std::string& method) const {
  const int64_t now = UnixNow();
  JsonMembers c{{"iss", Quoted("tpp-software-1")},
                {"aud", Quoted(issuer_)},
                {"iat", std::to_string(now)},
                {"exp", std::to_string(now + 300)},
                {"jti", Quoted(http::NewRequestId())},
                {"redirect_uris", "[" + Quoted(kUkRedirect) + "]"},
                {"token_endpoint_auth_method", Quoted(method)},
                {"grant_types", R"(["authorization_code","client_credentials","refresh_token"])"},
                {"response_types", R"(["code id_token"])"},
                {"software_statement", Quoted(SoftwareStatement())},
                {"scope", Quoted("openid accounts")},
                {"id_token_signed_response_alg", Quoted("PS256")},
                {"request_object_signing_alg", Quoted("PS256")}};
  if (method == "private_key_jwt") {
    c["token_endpoint_auth_signing_alg"] = Quoted("PS256");
  } else {
    c["tls_client_auth_subject_dn"] = Quoted("CN=tpp.example.test,O=Test TPP Ltd,C=DE");
  }
  return c;
}

http::Response UkTpp::PostRegistration(const std::string& jwt, const std::string& method, const std::string& target,
                                       const std::string& bearer) {
  std::vector<http::Header> headers{{"Content-Type", "application/jwt"}};
  if (!bearer.empty()) headers.push_back({"Authorization", "Bearer " + bearer});
  return bank_.Send(method, target, headers, jwt, Signing::kUnsigned);
}

std::string UkTpp::Register(const std::string& method) {
  http::Response r = PostRegistration(RegistrationJwt(RegistrationClaims(method)));
  EXPECT_EQ(r.status, 201) << r.body;
  const std::string id = JsonString(r.body, "/client_id");
  methods_[id] = method;
  return id;
}

JsonMembers UkTpp::AssertionClaims(const std::string& client_id) const {
  const int64_t now = UnixNow();
  return {{"iss", Quoted(client_id)},
          {"sub", Quoted(client_id)},
          {"aud", Quoted(issuer_ + "/as/token")},
          {"jti", Quoted(http::NewRequestId())},
          {"iat", std::to_string(now)},
          {"exp", std::to_string(now + 300)}};
}

std::string UkTpp::Assertion(const std::string& client_id) const {
  return SignJwt({{"alg", Quoted("PS256")}, {"kid", Quoted("tpp-kid")}}, AssertionClaims(client_id), key());
}

std::vector<std::pair<std::string, std::string>> UkTpp::ClientAuth(const std::string& client_id) const {
  auto it = methods_.find(client_id);
  if (it != methods_.end() && it->second == "tls_client_auth") return {{"client_id", client_id}};
  return {{"client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"},
          {"client_assertion", Assertion(client_id)}};
}

http::Response UkTpp::Token(const std::vector<std::pair<std::string, std::string>>& form, Identity identity) {
  std::string body;
  for (const auto& [name, value] : form) body += (body.empty() ? "" : "&") + name + "=" + PercentEncode(value);
  return bank_.Send("POST", "/as/token", {{"Content-Type", "application/x-www-form-urlencoded"}}, body,
                    Signing::kUnsigned, identity);
}

std::string UkTpp::ClientCredentialsToken(const std::string& client_id) {
  auto form = ClientAuth(client_id);
  form.insert(form.begin(), {{"grant_type", "client_credentials"}, {"scope", "accounts"}});
  http::Response r = Token(form);
  EXPECT_EQ(r.status, 200) << r.body;
  return JsonString(r.body, "/access_token");
}

http::Response UkTpp::Api(const std::string& method, const std::string& target, const std::string& token,
                          const std::string& body, std::vector<http::Header> headers, Identity identity) {
  if (!token.empty()) headers.push_back({"Authorization", "Bearer " + token});
  headers.insert(headers.end(), api_headers.begin(), api_headers.end());
  return bank_.Send(method, target, std::move(headers), body, Signing::kUnsigned, identity);
}

std::string UkTpp::CreateConsent(const std::string& cc_token, const std::string& permissions) {
  http::Response r = Api("POST", "/open-banking/v3.1/aisp/account-access-consents", cc_token,
                         R"({"Data":{"Permissions":)" + permissions + R"(},"Risk":{}})");
  EXPECT_EQ(r.status, 201) << r.body;
  return JsonString(r.body, "/Data/ConsentId");
}

JsonMembers UkTpp::RequestObjectClaims(const std::string& client_id, const std::string& consent_id) const {
  const int64_t now = UnixNow();
  return {{"iss", Quoted(client_id)},
          {"aud", Quoted(issuer_)},
          {"client_id", Quoted(client_id)},
          {"response_type", Quoted("code id_token")},
          {"redirect_uri", Quoted(kUkRedirect)},
          {"scope", Quoted("openid accounts")},
          {"state", Quoted("state-af0ifjsldkj")},
          {"nonce", Quoted("nonce-n0S6WzA2Mj")},
          {"iat", std::to_string(now)},
          {"nbf", std::to_string(now)},
          {"exp", std::to_string(now + 300)},
          {"claims", R"({"id_token":{"openbanking_intent_id":{"value":)" + Quoted(consent_id) +
                         R"(,"essential":true},"acr":{"essential":true,"values":["urn:openbanking:psd2:sca"]}}})"}};
}

std::string UkTpp::RequestObject(const JsonMembers& claims) const {
  return SignJwt({{"alg", Quoted("PS256")}, {"kid", Quoted("tpp-kid")}, {"typ", Quoted("oauth-authz-req+jwt")}},
                 claims, key());
}

http::Response UkTpp::Authorize(const std::string& client_id, const std::string& request,
                                const std::string& extra_query) {
  const std::string target = "/as/authorize?client_id=" + PercentEncode(client_id) +
                             "&response_type=code%20id_token&scope=openid%20accounts&redirect_uri=" +
                             PercentEncode(kUkRedirect) + "&state=state-af0ifjsldkj&nonce=nonce-n0S6WzA2Mj&request=" +
                             PercentEncode(request) + extra_query;
  return bank_.Send("GET", target, {}, "", Signing::kUnsigned, Identity::kNone);
}

UkTpp::Session UkTpp::Authorised(const std::string& permissions, const std::string& method,
                                 const std::string& extra_query) {
  Session s;
  s.client_id = Register(method);
  s.consent_id = CreateConsent(ClientCredentialsToken(s.client_id), permissions);
  http::Response redirect = Authorize(s.client_id, RequestObject(RequestObjectClaims(s.client_id, s.consent_id)),
                                      extra_query);
  EXPECT_EQ(redirect.status, 302) << redirect.body;
  auto fragment = FragmentOf(redirect);
  EXPECT_TRUE(fragment.count("code")) << "no code in the redirect: " << fragment["error_description"];
  s.code = fragment["code"];
  s.front_id_token = fragment["id_token"];
  auto form = ClientAuth(s.client_id);
  form.insert(form.begin(), {{"grant_type", "authorization_code"}, {"code", s.code}, {"redirect_uri", kUkRedirect}});
  http::Response token = Token(form);
  EXPECT_EQ(token.status, 200) << token.body;
  s.token_response = token.body;
  s.access_token = JsonString(token.body, "/access_token");
  s.refresh_token = JsonString(token.body, "/refresh_token");
  s.id_token = JsonString(token.body, "/id_token");
  return s;
}

}  // namespace bankfeed::sandbox::test
