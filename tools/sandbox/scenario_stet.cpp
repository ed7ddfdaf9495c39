// Scenario behaviour.stet: the STET bank's own options (README "STET"). Strict like the rest of the parser: an
// unknown key or a bad value is an error naming the file, line and key path.
#include "common/text.hpp"
#include "tools/sandbox/scenario_internal.hpp"

namespace bankfeed::sandbox::detail {
namespace {

using config::MapReader;

void Fail(MapReader& r, std::string_view key, std::string_view reason) {
  r.ctx().Fail(r.Node(key), config::JoinPath(r.path(), key), reason);
}

bool IsPathSegment(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok) return false;
  }
  return true;
}

// A signed header name as the Signature's headers="..." lists it: lower-case token, or (request-target).
bool IsSignedHeaderName(std::string_view s) {
  if (s == "(request-target)") return true;
  if (!IsToken(s)) return false;
  for (const char c : s) {
    if (c >= 'A' && c <= 'Z') return false;
  }
  return true;
}

}  // namespace

void ReadStet(MapReader& r, StetOptions& out) {
  if (auto segment = r.String("path_segment")) {
    if (!IsPathSegment(*segment)) Fail(r, "path_segment", "expected 1 to 32 of A-Z a-z 0-9 -");
    out.path_segment = *segment;
  }
  if (auto client_id = r.String("client_id")) {
    if (client_id->empty() || client_id->size() > 128 || !IsPrintableAscii(*client_id)) {
      Fail(r, "client_id", "expected 1 to 128 printable ASCII characters");
    }
    out.client_id = *client_id;
  }
  out.pkce = r.Bool("pkce").value_or(false);
  out.extended_history = r.Bool("extended_history").value_or(false);
  out.token_scope = r.Enum<StetTokenScope>("token_scope", {{"optional", StetTokenScope::kOptional},
                                                           {"required", StetTokenScope::kRequired},
                                                           {"forbidden", StetTokenScope::kForbidden}})
                        .value_or(StetTokenScope::kOptional);
  out.token_without_access_token = r.Bool("token_without_access_token").value_or(false);
  out.key_id = r.Enum<StetKeyId>("key_id", {{"url", StetKeyId::kUrl}, {"serial-issuer", StetKeyId::kSerialIssuer}})
                   .value_or(StetKeyId::kUrl);
  if (r.Has("signed_headers")) {
    out.signed_headers = r.StringList("signed_headers");
    if (out.signed_headers.empty()) Fail(r, "signed_headers", "expected at least one header name");
    for (const std::string& name : out.signed_headers) {
      if (!IsSignedHeaderName(name)) {
        Fail(r, "signed_headers", "expected lower-case header names or (request-target)");
        break;
      }
    }
  }
  out.error_shape = r.Enum<StetErrorShape>("error_shape", {{"stet", StetErrorShape::kStet},
                                                           {"oauth", StetErrorShape::kOAuth},
                                                           {"plain", StetErrorShape::kPlain}})
                        .value_or(StetErrorShape::kStet);
  out.account_id_other = r.Enum<bool>("account_id", {{"iban", false}, {"other", true}}).value_or(false);
  out.balances_in_accounts = r.Bool("balances_in_accounts").value_or(false);
  out.consents_endpoint = r.Bool("consents_endpoint").value_or(true);
  out.pending_status_othr = r.Enum<bool>("pending_status", {{"PDNG", false}, {"OTHR", true}}).value_or(false);
  out.empty_dates = r.Bool("empty_dates").value_or(false);
  out.remittance_as_list = r.Bool("remittance_as_list").value_or(false);
  out.last_page_next_self = r.Bool("last_page_next_self").value_or(false);
  out.single_page = r.Bool("single_page").value_or(false);
  if (out.single_page && out.last_page_next_self) {
    Fail(r, "single_page", "a bank that ignores paging has no last page; not with last_page_next_self");
  }
  out.date_filter = r.Enum<StetDateFilter>("date_filter", {{"date-time", StetDateFilter::kDateTime},
                                                           {"date", StetDateFilter::kDate}})
                        .value_or(StetDateFilter::kDateTime);
  out.history_after_refresh_days = r.Int("history_after_refresh_days", 0, 36'500);
  r.Finish();
}

}  // namespace bankfeed::sandbox::detail
