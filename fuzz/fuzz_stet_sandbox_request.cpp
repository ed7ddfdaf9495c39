// Fuzzes what the STET sandbox bank (tools/sandbox/stet/) parses from a client's request, without a server. The first
// byte picks the parser (its low six bits) and the bank (its top bit: two scenarios that between them set every
// behaviour.stet option the parsing reads); the rest is the input:
//   0  ParseStetFilter, both forms (a dateFrom / dateTo value)
//   1  a transactions query: ParseForm, RawQueryValue, ColonFormError, QueryWithoutPage, PageHref, then
//      GET {root}/accounts/acc-1/transactions?<input> through the module (its dateFrom/dateTo/afterEntryReference
//      window and paging), with an access token from a refresh when bit 6 is set
//   2  PUT {root}/consents with the input as its body
//   3  POST /stet/token with the input as its form body
//   4  GET /stet/authorize?<input>
//   5  POST /stet/revoke with the input as its form body
//   6  FingerprintOfKeyIdUrl (a url keyId)
//   7  VerifyStetSignature: "METHOD TARGET\n", header lines, an empty line, the body, against a fixed self-signed
//      certificate and no published certificate (bit 6: keyId url or serial-issuer)
// The handlers run on a StetModule whose routes a recording Router captured; requests have no TLS connection, so
// the scenarios name the client_id. Before the input, the harness authorizes, redeems the code and (with a consents
// endpoint) opens every account, the way a TPP does, and checks that those steps succeed. Invariants: every answer
// has one of the statuses the README lists, error bodies are JSON in the bank's error shape, a refusal names no
// value, and accepted filters, pages and links are well formed.
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/pagination.hpp"
#include "tools/sandbox/router.hpp"
#include "tools/sandbox/stet/module.hpp"
#include "tools/sandbox/stet/query.hpp"
#include "tools/sandbox/stet/signature.hpp"

namespace fuzz_stet_sandbox_request {

using bankfeed::fuzz::Check;
namespace sb = bankfeed::sandbox;
namespace st = bankfeed::sandbox::stet;

constexpr char kClientId[] = "PSDFR-ACPR-12345";
constexpr char kRedirect[] = "https://tpp.example/stet/callback";
constexpr char kVerifier[] = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";  // RFC 7636 appendix B
constexpr char kChallenge[] = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

constexpr char kPsus[] =
    "psus:\n"
    "  - id: psu-1\n"
    "    accounts:\n"
    "      - resource_id: acc-1\n"
    "        iban: DE89370400440532013000\n"
    "        currency: EUR\n"
    "        name: Girokonto\n"
    "        balances:\n"
    "          - {type: CLBD, amount: \"1234.56\", date: 2025-01-02}\n"
    "        transactions:\n"
    "          - {id: t1, status: booked, booking_date: 2025-01-02, amount: \"-12.30\", remittance: \"card 1234\"}\n"
    "          - {id: t2, status: booked, booking_date: 2025-01-03, amount: \"2500\", counterparty: {name: Employer}}\n"
    "          - {id: t3, status: booked, booking_date: 2025-01-04, amount: \"-3.50\", remittance: parking}\n"
    "          - {id: t4, status: booked, booking_date: 2025-01-04, amount: \"-3.50\", remittance: parking}\n"
    "          - {id: p1, status: pending, value_date: 2025-01-03, amount: \"-5.00\",\n"
    "             books_on: 2025-01-05, booked: {id: p1b, amount: \"-5.50\", booking_date: 2025-01-05}}\n"
    "          - {id: p2, status: pending, value_date: 2025-01-04, amount: \"-7.25\"}\n"
    "      - resource_id: acc-2\n"
    "        iban: DE75512108001245126199\n"
    "        currency: EUR\n"
    "  - id: psu-2\n"
    "    accounts:\n"
    "      - resource_id: acc-3\n"
    "        iban: FR7630004012340001234567862\n"
    "        currency: EUR\n";

// A: date-time filters with encoded colons, PUT consents, paging with a self-linked last page, a history limit
// after a refresh. B: date filters, no consents endpoint, PKCE, scope required at the token endpoint, one page.
constexpr char kBehaviourA[] =
    "behaviour:\n"
    "  page_size: 2\n"
    "  require: {date_time_colons: encoded}\n"
    "  stet:\n"
    "    client_id: PSDFR-ACPR-12345\n"
    "    extended_history: true\n"
    "    error_shape: stet\n"
    "    last_page_next_self: true\n"
    "    history_after_refresh_days: 2\n";
constexpr char kBehaviourB[] =
    "behaviour:\n"
    "  page_size: 3\n"
    "  page_overlap: 1\n"
    "  require: {date_to: required, max_history_days: 400, max_window_days: 120}\n"
    "  stet:\n"
    "    path_segment: caisse-1\n"
    "    client_id: PSDFR-ACPR-12345\n"
    "    pkce: true\n"
    "    token_scope: required\n"
    "    error_shape: plain\n"
    "    consents_endpoint: false\n"
    "    single_page: true\n"
    "    date_filter: date\n";

// Self-signed, RSA 2048, serial 5AFE01, valid 2020-2120: "CN=bankfeed sandbox fuzz CA (FAKE)" (as in
// fuzz_sandbox_request.cpp).
constexpr char kCertificatePem[] =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIDFTCCAf2gAwIBAgIDWv4BMA0GCSqGSIb3DQEBCwUAMCoxKDAmBgNVBAMMH2Jh\n"
    "bmtmZWVkIHNhbmRib3ggZnV6eiBDQSAoRkFLRSkwIBcNMjAwMTAxMDAwMDAwWhgP\n"
    "MjEyMDAxMDEwMDAwMDBaMCoxKDAmBgNVBAMMH2JhbmtmZWVkIHNhbmRib3ggZnV6\n"
    "eiBDQSAoRkFLRSkwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQDZiWFU\n"
    "1tKVm/bUgpUKHf9UyI1Q4Xnfw/8P/d1I1qIasdhVa9tc25lhyFHpzswwKcn+yBOF\n"
    "PPwObEYSN5qVTlrutTbbTtxiKcwIcjVvjwC8Cwi4rhpjz7S+WdhJUoPg7mFshf4Z\n"
    "jWSuCHhpIOEAYlmsKJM9h99CGLmf8sksBxRIDEr5vDL4Hu56DpsPcm9fgLVcZKM2\n"
    "VuS0/NehZfrJ4ZvuFlEwHbSzcw3kdJGEpnSu4op/ef9i9DsMJAA8URl3dqYt8fvZ\n"
    "183hOGTIHMIZjVujx+LmT2smdCJqf5MAw0jZEwSeETajmiqtluYzA7UWfazZx8nl\n"
    "ysGUN3M5C1mkqQjNAgMBAAGjQjBAMA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/\n"
    "BAQDAgLEMB0GA1UdDgQWBBQ5qKgO+at6gkDoCDqDLli5x9jWvDANBgkqhkiG9w0B\n"
    "AQsFAAOCAQEAn+YTR6eGJINO5YudiGDiut474GPdm7TUQt7qBGedKBrJlmZdoMaO\n"
    "YxLxXCk+IDIYVRQv6VF8D5rdNqQcqQHcKFUNWsM6qrF8Ytq52IQBsfeCi++e1wY4\n"
    "OT6cn9vpWk/nUcPU/aInxVnvJPFsCfyTbsHnGJ0NlqZO/j+SGzCHRWxgQKXXyDmL\n"
    "SMwco8ByECjfLQKNTrJP46OYa8eDiP14LKj0Lzd6gq8u3S+eZ4yOA6bwRJgyrE7T\n"
    "f3BUqxluQ/sx5VzrRCype2pqyV2y9G/DtzV0lJgCDXpFTWSglDe0AQ7iblWMnT/B\n"
    "lFLLR4ctfQfIS2ocWx5bDvX54g+xYhMSiA==\n"
    "-----END CERTIFICATE-----\n";

const sb::TrustStore& Trust() {
  static const sb::TrustStore trust = *sb::TrustStore::FromPem(kCertificatePem);
  return trust;
}

const sb::Scenario& Bank(bool b) {
  static const auto parse = [](const char* behaviour) {
    auto s = sb::ParseScenario(std::string("standard: stet\n") + kPsus + behaviour, "fuzz.yaml", "stet");
    Check(s.has_value());
    return *s;
  };
  static const sb::Scenario a = parse(kBehaviourA);
  static const sb::Scenario b_ = parse(kBehaviourB);
  return b ? b_ : a;
}

const sb::PublishedCertificates& NonePublished() {
  static const sb::PublishedCertificates none;
  return none;
}

// The routes a module registers, by method and pattern.
class RecordingRouter final : public sb::Router {
 public:
  struct Route {
    std::string method, pattern;
    sb::ApiHandler api;
    sb::PageHandler page;
  };
  void Api(std::string_view method, const std::string& pattern, sb::ApiHandler handler, bool) override {
    routes.push_back({std::string(method), pattern, std::move(handler), {}});
  }
  void Page(std::string_view method, const std::string& pattern, sb::PageHandler handler) override {
    routes.push_back({std::string(method), pattern, {}, std::move(handler)});
  }
  void Protected(std::string_view method, const std::string& pattern, sb::PageHandler handler) override {
    Page(method, pattern, std::move(handler));
  }
  const Route& Find(std::string_view method, std::string_view suffix) const {
    for (const Route& r : routes) {
      if (r.method == method && r.pattern.ends_with(suffix)) return r;
    }
    __builtin_trap();
  }
  std::vector<Route> routes;
};

bool IsJsonObject(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  return parser.parse(body).get(doc) == simdjson::SUCCESS && doc.is_object();
}

std::string JsonString(const std::string& body, const char* key) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  std::string_view value;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS || doc[key].get_string().get(value) != simdjson::SUCCESS) {
    return {};
  }
  return std::string(value);
}

// One bank with its own authorization store, quota and statistics: no state carries from one input to the next.
struct Harness {
  explicit Harness(bool b)
      : scenario(Bank(b)),
        clock(bankfeed::Date::Parse("2025-01-06").value()),
        oauth(std::chrono::seconds(60)),
        services{scenario, clock, stats, quota, oauth, Trust(), NonePublished(), "https://127.0.0.1:4443"},
        module(services) {
    module.RegisterRoutes(router);
  }

  httplib::Response Page(std::string_view method, std::string_view suffix, httplib::Request& req) {
    httplib::Response res;
    req.method = std::string(method);
    if (req.path.empty()) req.path = std::string(sb::PathOf(req.target));
    router.Find(method, suffix).page(req, res);
    return res;
  }

  httplib::Response Api(std::string_view method, std::string_view suffix, httplib::Request& req,
                        std::optional<sb::FaultKind> link_fault = std::nullopt) {
    httplib::Response res;
    const RecordingRouter::Route& route = router.Find(method, suffix);
    req.method = std::string(method);
    req.path = std::string(sb::PathOf(req.target));
    const std::regex pattern(route.pattern);
    Check(std::regex_match(req.path, req.matches, pattern));
    sb::ApiCall call{req, res, 1, sb::PageOfTarget(req.target), link_fault, false};
    route.api(call);
    return res;
  }

  httplib::Response Authorize(std::string query) {
    httplib::Request req;
    req.target = "/stet/authorize?" + query;
    return Page("GET", "/stet/authorize", req);
  }

  httplib::Response Token(std::string body, std::string_view suffix = "/stet/token") {
    httplib::Request req;
    req.target = std::string(suffix);
    req.set_header("Content-Type", "application/x-www-form-urlencoded");
    req.body = std::move(body);
    return Page("POST", suffix, req);
  }

  // An access token the way a TPP gets one; with `refreshed`, the one a refresh grant gives.
  std::string AccessToken(bool refreshed) {
    const bool pkce = scenario.behaviour.stet.pkce;
    std::string query = "response_type=code&client_id=" + std::string(kClientId) +
                        "&redirect_uri=" + sb::PercentEncode(kRedirect) + "&scope=aisp&state=s1";
    if (pkce) query += "&code_challenge=" + std::string(kChallenge) + "&code_challenge_method=S256";
    const httplib::Response redirect = Authorize(query);
    Check(redirect.status == 302);
    const std::string location = redirect.get_header_value("Location");
    auto params = sb::ParseForm(sb::QueryOf(location));
    Check(params.has_value());
    const std::string* code = sb::FindField(*params, "code");
    Check(code != nullptr);
    std::string form = "grant_type=authorization_code&code=" + sb::PercentEncode(*code) +
                       "&redirect_uri=" + sb::PercentEncode(kRedirect) + "&client_id=" + kClientId;
    if (pkce) form += "&code_verifier=" + std::string(kVerifier);
    if (scenario.behaviour.stet.token_scope == sb::StetTokenScope::kRequired) form += "&scope=aisp";
    const httplib::Response granted = Token(form);
    Check(granted.status == 200);
    std::string access = JsonString(granted.body, "access_token");
    Check(!access.empty());
    if (!refreshed) return access;
    const std::string refresh = JsonString(granted.body, "refresh_token");
    Check(!refresh.empty());
    std::string again = "grant_type=refresh_token&refresh_token=" + sb::PercentEncode(refresh) +
                        "&client_id=" + kClientId;
    if (scenario.behaviour.stet.token_scope == sb::StetTokenScope::kRequired) again += "&scope=aisp";
    const httplib::Response refreshed_answer = Token(again);
    Check(refreshed_answer.status == 200);
    access = JsonString(refreshed_answer.body, "access_token");
    Check(!access.empty());
    return access;
  }

  httplib::Response PutConsents(const std::string& token, std::string body) {
    httplib::Request req;
    req.target = module.Root() + "/consents";
    req.set_header("Authorization", "Bearer " + token);
    req.set_header("Content-Type", "application/json");
    req.body = std::move(body);
    return Api("PUT", "/consents", req);
  }

  const sb::Scenario& scenario;
  sb::SimClock clock;
  sb::Stats stats;
  sb::Quota quota;
  sb::OAuthServer oauth;
  sb::Services services;
  st::StetModule module;
  RecordingRouter router;
};

// An error answer in the bank's shape, naming no value of the request.
void CheckError(const sb::Scenario& scenario, const httplib::Response& res) {
  Check(res.status >= 400 && res.status < 500);
  Check(IsJsonObject(res.body));
  switch (scenario.behaviour.stet.error_shape) {
    case sb::StetErrorShape::kStet: Check(!JsonString(res.body, "error").empty()); break;
    case sb::StetErrorShape::kOAuth: Check(!JsonString(res.body, "error").empty()); break;
    case sb::StetErrorShape::kPlain: Check(!JsonString(res.body, "code").empty()); break;
  }
  Check(res.body.size() < 1000);
}

void CheckMoment(const st::BankMoment& m) {
  Check(m.seconds >= 0 && m.seconds < 86'400);
  Check(bankfeed::Date::Parse(m.date.ToString()).has_value());
}

void Filter(std::string_view text) {
  if (const auto d = st::ParseStetFilter(text, sb::StetDateFilter::kDate)) {
    CheckMoment(*d);
    Check(text.size() == 10 && d->seconds == 0);
  }
  if (const auto t = st::ParseStetFilter(text, sb::StetDateFilter::kDateTime)) {
    CheckMoment(*t);
    Check(text.size() >= 20 && text.size() <= 29 && text[10] == 'T');
    Check(st::ParseStetFilter(text, sb::StetDateFilter::kDateTime) == t);
  }
}

void Transactions(bool b, bool refreshed, std::optional<sb::FaultKind> fault, std::string_view query) {
  // The pure parts first.
  const std::string without_page = sb::QueryWithoutPage(query);
  Check(without_page.size() <= query.size());
  const std::string href = sb::PageHref("/stet/v1/accounts/acc-1/transactions", without_page, 2);
  Check(href.starts_with("/stet/v1/accounts/acc-1/transactions?") && href.ends_with("page=2"));
  for (const char* name : {"dateFrom", "dateTo", "afterEntryReference", "page"}) {
    const std::string_view raw = sb::RawQueryValue(query, name);
    Check(raw.size() <= query.size());
    for (const bool encode : {true, false}) {
      if (const auto wrong = sb::ColonFormError(raw, encode)) Check(!wrong->empty() && wrong->size() < 200);
    }
  }
  if (const auto fields = sb::ParseForm(query)) {
    for (const sb::FormField& f : *fields) Filter(f.value);
  }

  Harness h(b);
  const std::string token = h.AccessToken(refreshed);
  if (h.scenario.behaviour.stet.consents_endpoint) {
    const httplib::Response opened = h.PutConsents(
        token, R"({"balances":[{"iban":"DE89370400440532013000"}],"transactions":[{"iban":"DE89370400440532013000"},)"
               R"({"other":{"identification":"512108001245126199"}}],"psuIdentity":false})");
    Check(opened.status == 201);
  }
  httplib::Request req;
  req.target = h.module.Root() + "/accounts/acc-1/transactions?" + std::string(query);
  req.set_header("Authorization", "Bearer " + token);
  req.set_header("PSU-IP-Address", "192.0.2.1");  // attended: no quota
  const httplib::Response res = h.Api("GET", "/transactions", req, fault);
  if (res.status != 200) {
    Check(res.status == 400 || res.status == 403);
    return CheckError(h.scenario, res);
  }
  Check(IsJsonObject(res.body));
  simdjson::dom::parser parser;
  simdjson::dom::element doc = parser.parse(res.body).value();
  simdjson::dom::array rows;
  Check(doc["transactions"].get_array().get(rows) == simdjson::SUCCESS);
  Check(rows.size() <= 6);
  std::string_view self;
  Check(doc["_links"]["self"]["href"].get_string().get(self) == simdjson::SUCCESS && !self.empty());
}

void Consents(bool b, std::string_view body) {
  Harness h(b);
  const std::string token = h.AccessToken(false);
  const httplib::Response res = h.PutConsents(token, std::string(body));
  if (!h.scenario.behaviour.stet.consents_endpoint) {
    Check(res.status == 405);
    return CheckError(h.scenario, res);
  }
  if (res.status == 201) return Check(res.body.empty());
  Check(res.status == 400);
  CheckError(h.scenario, res);
}

void TokenOrRevoke(bool b, std::string_view body, bool revoke) {
  Harness h(b);
  const httplib::Response res = h.Token(std::string(body), revoke ? "/stet/revoke" : "/stet/token");
  if (revoke && res.status == 200) return Check(res.body.empty());
  // No code or refresh token was issued by this bank: no grant can succeed.
  Check(res.status == 400 || res.status == 401);
  Check(IsJsonObject(res.body));
  const std::string error = JsonString(res.body, "error");
  Check(error == "invalid_request" || error == "invalid_client" || error == "invalid_grant" ||
        error == "unsupported_grant_type");
  Check(!JsonString(res.body, "error_description").empty());
}

void Authorize(bool b, std::string_view query) {
  Harness h(b);
  const httplib::Response res = h.Authorize(std::string(query));
  if (res.status == 400) {
    Check(res.get_header_value("Content-Type").starts_with("text/html"));
    Check(res.body.size() < 300);
    return;
  }
  Check(res.status == 302);
  // To the redirect_uri (an https URL without a fragment; its own query may hold anything), with a code or an error.
  const std::string location = res.get_header_value("Location");
  Check(location.starts_with("https://") && location.find('#') == std::string::npos);
  Check(location.find("?code=") != std::string::npos || location.find("&code=") != std::string::npos ||
        location.find("?error=") != std::string::npos || location.find("&error=") != std::string::npos);
}

void KeyIdUrl(std::string_view key_id) {
  const std::string fingerprint = st::FingerprintOfKeyIdUrl(key_id);
  if (fingerprint.empty()) return;
  Check(fingerprint.size() == 64 && bankfeed::fuzz::IsLowerHex(fingerprint));
  Check(key_id.starts_with("https://") && key_id.ends_with(fingerprint + ".pem"));
}

void Signature(bool b, bool serial_issuer, std::string_view input) {
  const size_t eol = input.find('\n');
  const std::string_view request_line = input.substr(0, eol);
  std::string_view rest = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
  const size_t space = request_line.find(' ');
  bankfeed::signing::RequestView view;
  view.method = request_line.substr(0, space);
  view.target = space == std::string_view::npos ? std::string_view() : request_line.substr(space + 1);
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty()) break;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view value = line.substr(colon + 1);
    view.headers.push_back({line.substr(0, colon), value.starts_with(' ') ? value.substr(1) : value});
  }
  view.body = rest;
  sb::StetOptions options = Bank(b).behaviour.stet;
  options.key_id = serial_issuer ? sb::StetKeyId::kSerialIssuer : sb::StetKeyId::kUrl;
  const sb::SignatureCheck check = st::VerifyStetSignature(view, options, NonePublished(), Trust());
  if (check.verdict == sb::SignatureVerdict::kValid) {
    Check(check.reason.empty());
  } else {
    Check(!check.reason.empty() && check.reason.size() < 300);
  }
}

BANKFEED_FUZZ_TARGET(stet_sandbox_request) {
  if (size == 0) return 0;
  const std::string_view input = bankfeed::fuzz::AsText(data + 1, size - 1);
  const bool b = (data[0] & 0x80) != 0;
  const bool bit6 = (data[0] & 0x40) != 0;
  switch ((data[0] & 0x3f) % 8) {
    case 0: Filter(input); break;
    case 1: {
      // Bit 6 also picks a link fault from the input's length, as the core's faults would.
      std::optional<sb::FaultKind> fault;
      if (bit6 && input.size() % 3 == 1) fault = sb::FaultKind::kNextLoop;
      if (bit6 && input.size() % 3 == 2) fault = sb::FaultKind::kForeignNext;
      Transactions(b, bit6, fault, input);
      break;
    }
    case 2: Consents(b, input); break;
    case 3: TokenOrRevoke(b, input, false); break;
    case 4: Authorize(b, input); break;
    case 5: TokenOrRevoke(b, input, true); break;
    case 6: KeyIdUrl(input); break;
    default: Signature(b, bit6, input); break;
  }
  return 0;
}

}  // namespace fuzz_stet_sandbox_request
