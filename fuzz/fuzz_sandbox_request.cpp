// Fuzzes what the sandbox bank parses from a client's request, without a server. The first byte picks the parser,
// the rest is its input:
//   0  berlin_group::ParseConsentRequest (the POST /v1/consents body)
//   1  ParseForm and OAuthServer::Token (the form body of POST /oauth/token)
//   2  query strings: ParseForm, PageOfTarget, QueryWithoutPage, ParseQueryDate, OAuthServer::Authorize
//   3  ParseClockBody (POST /sandbox/clock)
//   4  the signature path: "METHOD TARGET\n", header lines, an empty line, the body -> VerifyCavageRequest against
//      a fixed self-signed certificate (FAKE; the seeds were signed with its key, which is not kept)
//   5  ParseRawHeaders (the raw request head the HTTPS server re-reads)
// Refusals are kInvalidInput with short messages that name fields, never values; accepted input satisfies what the
// handlers rely on.
#include <algorithm>
#include <set>

#include "fuzz_common.hpp"
#include "tools/sandbox/berlin_group/consent_request.hpp"
#include "tools/sandbox/berlin_group/pagination.hpp"
#include "tools/sandbox/berlin_group/requirements.hpp"
#include "tools/sandbox/core_routes.hpp"
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/https_server.hpp"
#include "tools/sandbox/oauth.hpp"
#include "tools/sandbox/request_auth.hpp"
#include "tools/sandbox/router.hpp"
#include "tools/sandbox/scenario.hpp"

namespace fuzz_sandbox_request {

using bankfeed::fuzz::Check;
namespace sb = bankfeed::sandbox;

// Self-signed, RSA 2048, serial 5AFE01, valid 2020-2120: "CN=bankfeed sandbox fuzz CA (FAKE)".
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
    "-----END CERTIFICATE-----\n"
    ;

const sb::TrustStore& Trust() {
  static const sb::TrustStore trust = *sb::TrustStore::FromPem(kCertificatePem);
  return trust;
}

void CheckMessage(const bankfeed::Error& e) {
  Check(e.code == bankfeed::ErrorCode::kInvalidInput);
  Check(!e.message.empty() && e.message.size() < 200);
}

void ConsentRequest(std::string_view body) {
  const auto r = sb::berlin_group::ParseConsentRequest(body);
  if (!r) return CheckMessage(r.error());
  Check(r->frequency_per_day >= 1);
  const bool all = !r->all_psd2.empty() || !r->available_accounts.empty() || !r->available_accounts_with_balance.empty();
  Check(all != r->HasAccountLists());
  for (const auto* list : {&r->accounts, &r->balances, &r->transactions}) {
    Check(list->size() <= sb::berlin_group::kMaxAccountReferences);
    for (const auto& ref : *list) Check(sb::IsValidIban(ref.iban));
  }
}

void Form(std::string_view body) {
  const auto strict = sb::ParseForm(body, true);
  const auto lenient = sb::ParseForm(body, false);
  if (strict) {
    Check(lenient.has_value() && lenient->size() == strict->size() && strict->size() <= sb::kMaxFormFields);
    std::set<std::string> names;
    for (const sb::FormField& f : *strict) Check(!f.name.empty() && names.insert(f.name).second);
  }
  if (!lenient) return CheckMessage(lenient.error());
  sb::OAuthServer oauth(std::chrono::seconds(60));
  const auto grant = oauth.Token(*lenient);
  Check(!grant.has_value());  // no code or refresh token was ever issued by this server
  const std::string& e = grant.error().error;
  Check(e == "invalid_request" || e == "invalid_grant" || e == "unsupported_grant_type");
}

void Query(std::string_view target) {
  const int64_t page = sb::PageOfTarget(target);
  Check(page >= 0 && page <= 1'000'000);
  const std::string rest = sb::berlin_group::QueryWithoutPage(sb::QueryOf(target));
  for (size_t at = 0; at <= rest.size();) {  // no "page" parameter is left, and no empty segment
    const size_t amp = std::min(rest.find('&', at), rest.size());
    const std::string_view item = std::string_view(rest).substr(at, amp - at);
    Check(rest.empty() || (!item.empty() && item != "page" && !item.starts_with("page=")));
    at = amp + 1;
  }
  const auto fields = sb::ParseForm(sb::QueryOf(target));
  if (!fields) return CheckMessage(fields.error());
  for (const sb::FormField& f : *fields) {
    for (const char* format : {"%Y-%m-%d", "%d.%m.%Y", "%Y%m%d"}) {
      if (auto d = sb::berlin_group::ParseQueryDate(f.value, format)) Check(bankfeed::Date::Parse(d->ToString()).has_value());
    }
  }
  sb::OAuthServer oauth(std::chrono::seconds(60));
  const sb::AuthorizeOutcome out = oauth.Authorize(*fields);
  Check(out.status == 302 || out.status == 400);
  if (out.status == 302) Check(out.location.starts_with("http"));
}

void Clock(std::string_view body) {
  const auto today = sb::ParseClockBody(body);
  if (!today) return CheckMessage(today.error());
  Check(bankfeed::Date::Parse(today->ToString()).has_value());
}

void Signature(std::string_view input) {
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
  const sb::SignatureCheck check = sb::VerifyCavageRequest(view, Trust());
  if (check.verdict == sb::SignatureVerdict::kValid) {
    Check(check.reason.empty());
  } else {
    Check(!check.reason.empty() && check.reason.size() < 300);
  }
}

void RawHeaders(std::string_view head) {
  const std::optional<httplib::Headers> headers = sb::ParseRawHeaders(head);
  if (!headers) return;
  for (const auto& [name, value] : *headers) {
    Check(!name.empty() && name.find(':') == std::string::npos && name.find('\n') == std::string::npos);
    Check(value.find('\n') == std::string::npos);
  }
}

BANKFEED_FUZZ_TARGET(sandbox_request) {
  if (size == 0) return 0;
  const std::string_view input = bankfeed::fuzz::AsText(data + 1, size - 1);
  switch (data[0] % 6) {
    case 0: ConsentRequest(input); break;
    case 1: Form(input); break;
    case 2: Query(input); break;
    case 3: Clock(input); break;
    case 4: Signature(input); break;
    default: RawHeaders(input); break;
  }
  return 0;
}

}  // namespace fuzz_sandbox_request
