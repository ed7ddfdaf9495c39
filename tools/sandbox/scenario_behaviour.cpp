// Scenario behaviour: paging, ids, quota, SCA, wire shapes, enforced quirks, faults, OpenID Connect (oidc)
// and STET (scenario_stet.cpp).
#include <algorithm>
#include <array>

#include "common/text.hpp"
#include "tools/sandbox/scenario_internal.hpp"

namespace bankfeed::sandbox {
namespace {

using config::JoinPath;
using config::MapReader;

constexpr std::array<std::pair<std::string_view, FaultKind>, 13> kFaultKinds{{
    {"http_429", FaultKind::kHttp429},
    {"http_500", FaultKind::kHttp500},
    {"http_503", FaultKind::kHttp503},
    {"truncated_body", FaultKind::kTruncatedBody},
    {"reset", FaultKind::kReset},
    {"slow_body_ms", FaultKind::kSlowBody},
    {"garbage_body", FaultKind::kGarbageBody},
    {"html_error", FaultKind::kHtmlError},
    {"problem_json", FaultKind::kProblemJson},
    {"empty_error", FaultKind::kEmptyError},
    {"consent_expired", FaultKind::kConsentExpired},
    {"next_loop", FaultKind::kNextLoop},
    {"foreign_next", FaultKind::kForeignNext},
}};

constexpr std::array<std::pair<std::string_view, ClientAuthMethod>, 2> kClientAuthMethods{{
    {"tls_client_auth", ClientAuthMethod::kTlsClientAuth},
    {"private_key_jwt", ClientAuthMethod::kPrivateKeyJwt},
}};

constexpr std::array<std::pair<std::string_view, IdTokenFault>, 15> kIdTokenFaults{{
    {"wrong_key", IdTokenFault::kWrongKey},
    {"alg_none", IdTokenFault::kAlgNone},
    {"hs256_public_key", IdTokenFault::kHs256PublicKey},
    {"bad_c_hash", IdTokenFault::kBadCHash},
    {"bad_s_hash", IdTokenFault::kBadSHash},
    {"other_nonce", IdTokenFault::kOtherNonce},
    {"other_intent_id", IdTokenFault::kOtherIntentId},
    {"expired", IdTokenFault::kExpired},
    {"other_issuer", IdTokenFault::kOtherIssuer},
    {"other_audience", IdTokenFault::kOtherAudience},
    {"unknown_kid", IdTokenFault::kUnknownKid},
    {"future_iat", IdTokenFault::kFutureIat},
    {"missing_nonce", IdTokenFault::kMissingNonce},
    {"missing_s_hash", IdTokenFault::kMissingSHash},
    {"missing_c_hash", IdTokenFault::kMissingCHash},
}};

void Fail(MapReader& r, std::string_view key, std::string_view reason) {
  r.ctx().Fail(r.Node(key), JoinPath(r.path(), key), reason);
}

FaultSpec ReadFault(MapReader& r) {
  FaultSpec f;
  std::vector<std::pair<std::string_view, FaultKind>> words(kFaultKinds.begin(), kFaultKinds.end());
  if (!r.Has("kind")) r.RequiredString("kind");  // records "missing" at the entry
  const auto kind = r.Enum<FaultKind>("kind", words);
  f.kind = kind.value_or(FaultKind::kHttp500);

  int selectors = 0;
  std::string_view first_selector;
  const auto selector = [&](std::string_view key, FaultSpec::Selector s) {
    if (!r.Has(key)) return false;
    if (++selectors > 1) {
      Fail(r, key, "a fault takes one selector; " + std::string(first_selector) + " is given already");
      return false;
    }
    first_selector = key;
    f.selector = s;
    return true;
  };
  if (selector("request", FaultSpec::Selector::kRequest)) f.n = r.Int("request", 1, 1'000'000'000).value_or(1);
  if (selector("every", FaultSpec::Selector::kEvery)) f.n = r.Int("every", 1, 1'000'000'000).value_or(1);
  if (selector("page", FaultSpec::Selector::kPage)) f.n = r.Int("page", 1, 1'000'000).value_or(1);
  if (selector("probability", FaultSpec::Selector::kProbability)) f.probability = r.Probability("probability").value_or(0);
  // Mark every selector key as read, so a second one is reported as such rather than as an unknown key.
  for (std::string_view key : {"request", "every", "page", "probability"}) r.Node(key);

  if (auto path = r.String("path")) {
    if (path->empty() || !IsPrintableAscii(*path)) Fail(r, "path", "expected a non-empty part of a URL path");
    f.path = *path;
  }
  if (auto method = r.String("method")) {
    if (*method != "GET" && *method != "POST" && *method != "PUT" && *method != "DELETE") {
      Fail(r, "method", "expected GET, POST, PUT or DELETE");
    }
    f.method = *method;
  }
  f.retry_after_s = r.Int("retry_after_s", 0, 86'400);
  if (f.retry_after_s && f.kind != FaultKind::kHttp429 && f.kind != FaultKind::kHttp503) {
    Fail(r, "retry_after_s", "only http_429 and http_503 take retry_after_s");
  }
  const auto value = r.Int("value", 1, 600'000);
  if (f.kind == FaultKind::kSlowBody) {
    if (!r.Has("value")) Fail(r, "kind", "slow_body_ms needs value: the delay in milliseconds");
    f.value_ms = value.value_or(1);
  } else if (r.Has("value")) {
    Fail(r, "value", "only slow_body_ms takes a value");
  }
  f.times = r.Int("times", 1, 1'000'000'000);
  r.Finish();
  return f;
}

void ReadWire(MapReader& r, WireOptions& out) {
  out.amounts_as_numbers = r.Bool("amounts_as_numbers").value_or(false);
  out.thousands_separator = r.Bool("thousands_separator").value_or(false);
  if (out.amounts_as_numbers && out.thousands_separator) {
    Fail(r, "thousands_separator", "a JSON number has no thousands separator; not with amounts_as_numbers");
  }
  out.links_absolute = r.Enum<bool>("links", {{"absolute", true}, {"relative", false}}).value_or(true);
  out.links_as_array = r.Bool("links_as_array").value_or(false);
  for (std::string& id : r.StringList("day_first_rows")) out.day_first_rows.insert(std::move(id));
  out.day_first_from = r.Date_("day_first_from");
  r.Finish();
}

// %Y, %m and %d exactly once each, other characters literal and visible ASCII (the profile's date_query_format).
bool IsDateFormat(std::string_view f) {
  int y = 0, m = 0, d = 0;
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] <= 0x20 || f[i] >= 0x7f) return false;
    if (f[i] != '%') continue;
    if (++i == f.size()) return false;
    if (f[i] == 'Y') {
      ++y;
    } else if (f[i] == 'm') {
      ++m;
    } else if (f[i] == 'd') {
      ++d;
    } else {
      return false;
    }
  }
  return y == 1 && m == 1 && d == 1;
}

void ReadRequire(MapReader& r, Requirements& out) {
  out.psu_id = r.Enum<PsuIdRule>("psu_id", {{"optional", PsuIdRule::kOptional},
                                             {"required", PsuIdRule::kRequired},
                                             {"forbidden", PsuIdRule::kForbidden}})
                   .value_or(PsuIdRule::kOptional);
  if (auto type = r.String("psu_id_type")) {
    if (type->empty() || !IsPrintableAscii(*type)) Fail(r, "psu_id_type", "expected a non-empty header value");
    out.psu_id_type = *type;
  }
  if (auto format = r.String("date_format")) {
    if (!IsDateFormat(*format)) Fail(r, "date_format", "expected %Y, %m and %d once each and literal characters");
    out.date_format = *format;
  }
  out.date_to = r.Enum<DateToRule>("date_to", {{"allowed", DateToRule::kAllowed},
                                               {"forbidden", DateToRule::kForbidden},
                                               {"required", DateToRule::kRequired}})
                    .value_or(DateToRule::kAllowed);
  out.max_history_days = r.Int("max_history_days", 1, 36'500);
  out.max_window_days = r.Int("max_window_days", 1, 36'500);
  if (auto suffix = r.String("date_time_suffix")) {
    if (suffix->empty() || suffix->size() > 16 || suffix->find_first_not_of("0123456789Z+-:.") != std::string::npos) {
      Fail(r, "date_time_suffix", "expected a zone or fraction such as Z or +00:00");
    }
    out.date_time_suffix = *suffix;
  }
  out.date_time_colons_encoded = r.Enum<bool>("date_time_colons", {{"encoded", true}, {"literal", false}});
  out.headers = r.StringMap("headers");
  for (const auto& [name, value] : out.headers) {
    if (!IsToken(name) || !IsPrintableAscii(value)) {
      Fail(r, "headers", "expected header names (tokens) with printable ASCII values");
      break;
    }
  }
  r.Finish();
}

void ReadOidc(MapReader& r, OidcOptions& out) {
  if (r.Has("client_auth")) {
    out.client_auth.clear();
    const std::vector<std::string> words = r.StringList("client_auth");
    for (const std::string& w : words) {
      const auto* it = std::find_if(kClientAuthMethods.begin(), kClientAuthMethods.end(),
                                    [&](const auto& entry) { return entry.first == w; });
      if (it == kClientAuthMethods.end()) {
        Fail(r, "client_auth", "expected a list of tls_client_auth, private_key_jwt");
      } else if (out.Supports(it->second)) {
        Fail(r, "client_auth", "lists " + w + " twice");
      } else {
        out.client_auth.push_back(it->second);
      }
    }
    if (words.empty()) Fail(r, "client_auth", "expected at least one of tls_client_auth, private_key_jwt");
  }
  out.refresh_tokens = r.Enum<RefreshMode>("refresh_tokens", {{"rotate", RefreshMode::kRotate},
                                                              {"reuse", RefreshMode::kReuse},
                                                              {"none", RefreshMode::kNone}})
                           .value_or(RefreshMode::kRotate);
  const std::vector<std::pair<std::string_view, IdTokenFault>> faults(kIdTokenFaults.begin(), kIdTokenFaults.end());
  out.id_token_fault = r.Enum<IdTokenFault>("id_token_fault", faults);
  out.token_id_token = r.Enum<TokenIdToken>("token_id_token", {{"none", TokenIdToken::kNone},
                                                               {"valid", TokenIdToken::kValid},
                                                               {"other_sub", TokenIdToken::kOtherSub},
                                                               {"wrong_key", TokenIdToken::kWrongKey},
                                                               {"other_issuer", TokenIdToken::kOtherIssuer},
                                                               {"bad_at_hash", TokenIdToken::kBadAtHash}});
  out.rotate_signing_key = r.Bool("rotate_signing_key").value_or(false);
  out.discovery_fault = r.Enum<DiscoveryFault>("discovery_fault", {{"other_issuer", DiscoveryFault::kOtherIssuer},
                                                                   {"http_jwks_uri", DiscoveryFault::kHttpJwksUri},
                                                                   {"foreign_jwks_uri", DiscoveryFault::kForeignJwksUri}});
  out.require_customer_ip = r.Bool("require_customer_ip").value_or(false);
  out.wrong_interaction_id = r.Bool("wrong_interaction_id").value_or(false);
  r.Finish();
}

}  // namespace

std::string_view ClientAuthMethodName(ClientAuthMethod method) {
  for (const auto& [name, m] : kClientAuthMethods) {
    if (m == method) return name;
  }
  return "unknown";
}

std::string_view IdTokenFaultName(IdTokenFault fault) {
  for (const auto& [name, f] : kIdTokenFaults) {
    if (f == fault) return name;
  }
  return "unknown";
}

bool OidcOptions::Supports(ClientAuthMethod m) const {
  return std::find(client_auth.begin(), client_auth.end(), m) != client_auth.end();
}

std::string_view FaultKindName(FaultKind kind) {
  for (const auto& [name, k] : kFaultKinds) {
    if (k == kind) return name;
  }
  return "unknown";
}

std::optional<FaultKind> ParseFaultKind(std::string_view name) {
  for (const auto& [n, k] : kFaultKinds) {
    if (n == name) return k;
  }
  return std::nullopt;
}

namespace detail {

void ReadBehaviour(MapReader& r, Behaviour& out) {
  out.page_size = r.Int("page_size", 1, 10'000).value_or(50);
  out.ids = r.Enum<IdMode>("ids", {{"stable", IdMode::kStable}, {"unstable", IdMode::kUnstable}, {"none", IdMode::kNone}})
                .value_or(IdMode::kStable);
  out.page_overlap = r.Int("page_overlap", 0, 10'000).value_or(0);
  if (out.page_overlap >= out.page_size) Fail(r, "page_overlap", "must be smaller than page_size");
  out.latency_ms = r.Int("latency_ms", 0, 60'000).value_or(0);
  out.frequency_per_day = r.Int("frequency_per_day", 1, 1'000'000).value_or(4);
  for (MapReader& f : r.MapList("faults")) out.faults.push_back(ReadFault(f));

  if (r.Has("sca_approaches")) {
    out.sca_approaches.clear();
    const std::vector<std::string> words = r.StringList("sca_approaches");
    for (const std::string& w : words) {
      std::optional<ScaApproachKind> a;
      if (w == "redirect") a = ScaApproachKind::kRedirect;
      if (w == "decoupled") a = ScaApproachKind::kDecoupled;
      if (w == "oauth2") a = ScaApproachKind::kOAuth2;
      if (!a) {
        Fail(r, "sca_approaches", "expected a list of redirect, decoupled, oauth2");
      } else if (out.Offers(*a)) {
        Fail(r, "sca_approaches", "lists " + w + " twice");
      } else {
        out.sca_approaches.push_back(*a);
      }
    }
    if (words.empty()) Fail(r, "sca_approaches", "expected at least one of redirect, decoupled, oauth2");
  }
  out.decoupled_polls = r.Int("decoupled_polls", 0, 1000).value_or(2);
  out.explicit_authorisation = r.Bool("explicit_authorisation").value_or(false);
  out.sca_outcome =
      r.Enum<ScaOutcome>("sca_outcome", {{"approve", ScaOutcome::kApprove}, {"reject", ScaOutcome::kReject}})
          .value_or(ScaOutcome::kApprove);
  out.token_ttl_s = r.Int("token_ttl_s", 1, 30 * 86'400).value_or(3600);
  out.account_ids_change_every_days = r.Int("account_ids_change_every_days", 1, 3650).value_or(0);
  MapReader wire = r.Map("wire");
  ReadWire(wire, out.wire);
  MapReader require = r.Map("require");
  ReadRequire(require, out.require);
  MapReader oidc = r.Map("oidc");
  ReadOidc(oidc, out.oidc);
  MapReader stet = r.Map("stet");
  ReadStet(stet, out.stet);
  r.Finish();
}

}  // namespace detail
}  // namespace bankfeed::sandbox
