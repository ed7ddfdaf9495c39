#include "unit/sandbox/sandbox_test_util.hpp"

#include <simdjson.h>

#include "signing/cavage.hpp"
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

std::unique_ptr<Bank> Bank::Start(const std::string& scenario_yaml, std::optional<Date> today, uint64_t seed) {
  auto scenario = ParseScenario(scenario_yaml, "test.yaml");
  EXPECT_TRUE(scenario.has_value()) << (scenario ? "" : scenario.error().message);
  if (!scenario) return nullptr;
  SandboxOptions o;
  o.cert_file = Pki("server.pem");
  o.key_file = Pki("server.key");
  o.client_ca_file = Pki("ca.pem");
  o.today = today;
  o.seed = seed;
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
  if (!body.empty()) request.headers.push_back({"Content-Type", "application/json"});
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

}  // namespace bankfeed::sandbox::test
