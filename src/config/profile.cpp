// Bank profiles (include/bankfeed/profile.hpp) from YAML. The reading is strict: every key of the file must be one
// this code asks for, every value is checked where it is read, and the first problem becomes a kConfig error with
// the file, line, column and key. specs/banks/README.md documents every key and its default.
#include "bankfeed/profile.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <set>
#include <utility>

#include "common/text.hpp"
#include "config/profile_checks.hpp"
#include "config/profile_files.hpp"
#include "config/yaml_reader.hpp"

namespace bankfeed {
namespace {

using config::JoinPath;
using config::MapReader;
using config::YamlContext;
using Reason = std::optional<std::string>;

constexpr int kMaxProfileDepth = 16;
constexpr size_t kMaxDisplayNameBytes = 200;
constexpr size_t kMaxExtraHeaders = 32;
constexpr std::string_view kApproachWords = "expected one of redirect, decoupled, oauth2";

// A string value that must pass `check`; a failed check is recorded at the value.
std::optional<std::string> CheckedString(MapReader& r, std::string_view key, bool required,
                                         const std::function<Reason(std::string_view)>& check) {
  auto value = required ? r.RequiredString(key) : r.String(key);
  if (!value) return std::nullopt;
  if (Reason reason = check(*value)) {
    r.ctx().Fail(r.Node(key), JoinPath(r.path(), key), *reason);
    return std::nullopt;
  }
  return value;
}

template <typename Duration>
void ReadDuration(MapReader& r, std::string_view key, int64_t min, int64_t max, Duration& out) {
  if (auto v = r.Int(key, min, max)) out = Duration(*v);
}

template <typename T>
void ReadInt(MapReader& r, std::string_view key, int64_t min, int64_t max, T& out) {
  if (auto v = r.Int(key, min, max)) out = static_cast<T>(*v);
}

void ReadBool(MapReader& r, std::string_view key, bool& out) {
  if (auto v = r.Bool(key)) out = *v;
}

// Records "<key>: must not be less than <other>" at `key` (or at `other` when only that one is in the file).
void RequireNotLess(MapReader& r, std::string_view key, std::string_view other, bool ok) {
  if (ok) return;
  const std::string_view at = r.Has(key) ? key : other;
  r.ctx().Fail(r.Node(at), JoinPath(r.path(), key), "must not be less than " + JoinPath(r.path(), other));
}

bool IsEarlier(const YAML::Mark& a, const YAML::Mark& b) {
  return a.line < b.line || (a.line == b.line && a.column < b.column);
}

// Any key anywhere in the file that looks like it holds a secret, the first in the text.
void RejectSecretKeys(YamlContext& ctx, const YAML::Node& root) {
  struct Frame {
    YAML::Node node;
    std::string path;
  };
  std::vector<Frame> stack{{root, ""}};
  YAML::Mark first = YAML::Mark::null_mark();
  std::string first_path;
  const auto container = [](const YAML::Node& n) { return n.IsMap() || n.IsSequence(); };
  while (!stack.empty()) {
    const Frame frame = std::move(stack.back());
    stack.pop_back();
    const YAML::Node& node = frame.node;
    if (node.IsMap()) {
      for (const auto& kv : node) {
        if (!kv.first.IsScalar()) continue;  // reported as "keys must be strings" where it is read
        std::string path = JoinPath(frame.path, kv.first.Scalar());
        if (config::LooksLikeSecretKey(kv.first.Scalar()) &&
            (first_path.empty() || IsEarlier(kv.first.Mark(), first))) {
          first = kv.first.Mark();
          first_path = path;
        }
        if (container(kv.second)) stack.push_back({kv.second, std::move(path)});
      }
    } else if (node.IsSequence()) {
      for (size_t i = 0; i < node.size(); ++i) {
        if (container(node[i])) stack.push_back({node[i], config::IndexPath(frame.path, i)});
      }
    }
  }
  if (!first_path.empty()) ctx.FailAt(first, first_path, config::kNoSecretsReason);
}

// A Validate() error ("cavage.headers[2]: reason") at the place in the file it is about: the value itself when the
// file has it, otherwise the section, otherwise signing:, otherwise the top of the file.
void RecordValidation(YamlContext& ctx, const YAML::Node& root, const Status& status, std::string_view section) {
  if (status) return;
  const std::string& message = status.error().message;
  const size_t colon = message.find(": ");
  const std::string path = colon == std::string::npos ? std::string(section) : "signing." + message.substr(0, colon);
  const std::string reason = colon == std::string::npos ? message : message.substr(colon + 2);
  const YAML::Node at = [&]() -> YAML::Node {
    for (const std::string_view candidate : {std::string_view(path), section, std::string_view("signing")}) {
      YAML::Node node = config::FindPath(root, candidate);
      if (node.IsDefined()) return node;
    }
    return root;
  }();
  ctx.Fail(at, path, reason);
}

// sca: {...}. Returns the list entry that names oauth2, if any (the place to report a missing oauth2 section).
std::optional<YAML::Node> ReadSca(MapReader r, ScaProfile& sca) {
  std::optional<YAML::Node> oauth2_entry;
  const YAML::Node list = r.Node("approaches");
  const std::string path = JoinPath(r.path(), "approaches");
  if (list.IsDefined()) {
    if (!list.IsSequence()) {
      r.ctx().Fail(list, path, "expected a list of approaches (redirect, decoupled, oauth2)");
    } else if (list.size() == 0) {
      r.ctx().Fail(list, path, "at least one approach is needed");
    } else {
      sca.approaches.clear();
      for (size_t i = 0; i < list.size(); ++i) {
        const YAML::Node entry = list[i];
        const std::string entry_path = config::IndexPath(path, i);
        const auto word = config::ReadString(r.ctx(), entry, entry_path);
        if (!word) break;
        const auto approach = ParseScaApproach(*word);
        if (!approach) {
          r.ctx().Fail(entry, entry_path, kApproachWords);
        } else if (*approach == ScaApproach::kEmbedded) {
          r.ctx().Fail(entry, entry_path, "embedded: not supported by bankfeed");
        } else if (std::find(sca.approaches.begin(), sca.approaches.end(), *approach) != sca.approaches.end()) {
          r.ctx().Fail(entry, entry_path, "listed twice");
        } else {
          sca.approaches.push_back(*approach);
          if (*approach == ScaApproach::kOAuth2) oauth2_entry.emplace(entry);
        }
      }
    }
  }
  ReadBool(r, "explicit_start", sca.explicit_start);
  ReadDuration(r, "decoupled_poll_interval_s", 1, 60, sca.decoupled_poll_interval);
  ReadDuration(r, "decoupled_timeout_s", 10, 3600, sca.decoupled_timeout);
  ReadInt(r, "reconfirm_days", 0, 3650, sca.reconfirm_days);
  RequireNotLess(r, "decoupled_timeout_s", "decoupled_poll_interval_s",
                 sca.decoupled_timeout >= sca.decoupled_poll_interval);
  r.Finish();
  return oauth2_entry;
}

OAuth2Profile ReadOAuth2(MapReader r, bool openid) {
  OAuth2Profile o;
  const auto endpoint = [](std::string_view url) {
    return config::CheckHttpsUrl(url, {.allow_query = true, .allow_trailing_slash = true});
  };
  // An OpenID provider's endpoints come from its discovery document; set here, they would be a second truth.
  const auto issuer = [](std::string_view url) { return config::CheckHttpsUrl(url, {.allow_trailing_slash = true}); };
  if (auto v = CheckedString(r, "issuer", openid, issuer)) o.issuer = *v;
  const bool discovered = !o.issuer.empty();
  for (std::string_view key : {"authorization_endpoint", "token_endpoint"}) {
    if (discovered && r.Has(key)) {
      r.ctx().Fail(r.Node(key), JoinPath(r.path(), key), "set, but the issuer's discovery document gives it");
    }
  }
  if (auto v = CheckedString(r, "authorization_endpoint", !discovered, endpoint)) o.authorization_endpoint = *v;
  if (auto v = CheckedString(r, "token_endpoint", !discovered, endpoint)) o.token_endpoint = *v;
  if (auto v = CheckedString(r, "scope", false, config::CheckOAuth2Scope)) o.scope = *v;
  ReadBool(r, "pkce", o.pkce);
  if (auto v = r.Enum<ClientAuthMethod>("client_auth", {{"tls_client_auth", ClientAuthMethod::kTlsClientAuth},
                                                        {"private_key_jwt", ClientAuthMethod::kPrivateKeyJwt}})) {
    o.client_auth = *v;
  }
  // (Not a section named id_token: a key that names a token reads as a secret, and is refused as one.)
  const YAML::Node optional_claims = r.Node("optional_id_claims");
  if (optional_claims.IsDefined()) {
    const std::string path = JoinPath(r.path(), "optional_id_claims");
    std::vector<std::string> words = r.StringList("optional_id_claims");
    for (size_t i = 0; i < words.size(); ++i) {
      if (words[i] == "nonce") {
        o.id_token.nonce_optional = true;
      } else if (words[i] == "s_hash") {
        o.id_token.s_hash_optional = true;
      } else {
        r.ctx().Fail(optional_claims[i], path + "[" + std::to_string(i) + "]", "expected one of nonce, s_hash");
      }
    }
  }
  ReadDuration(r, "request_object_lifetime_s", 60, 3600, o.request_object_lifetime);
  ReadBool(r, "scope_in_grants", o.scope_in_grants);
  if (auto v = CheckedString(r, "revocation_endpoint", false, endpoint)) o.revocation_endpoint = *v;
  r.Finish();
  return o;
}

void ReadCavage(MapReader r, CavageOptions& c) {
  if (auto v = r.String("algorithm")) c.algorithm = *v;
  std::vector<std::string> headers = r.StringList("headers");
  const bool has_headers = r.Has("headers");
  if (has_headers) c.headers = std::move(headers);
  std::vector<std::string> if_present = r.StringList("headers_if_present");
  if (r.Has("headers_if_present")) {
    c.headers_if_present = std::move(if_present);
  } else if (has_headers) {
    // The default "if present" entries that the bank's own header list keeps.
    std::erase_if(c.headers_if_present, [&](const std::string& h) {
      return std::find(c.headers.begin(), c.headers.end(), h) == c.headers.end();
    });
  }
  using Cavage = CavageOptions;
  if (auto v = r.Enum<Cavage::KeyIdFormat>("key_id_format", {{"serial-issuer", Cavage::KeyIdFormat::kSerialIssuer},
                                                             {"url", Cavage::KeyIdFormat::kUrl}})) {
    c.key_id_format = *v;
  }
  ReadBool(r, "serial_uppercase", c.serial_uppercase);
  if (auto v = r.String("key_id_url")) c.key_id_url = *v;
  if (auto v = r.Enum<Cavage::CertificateEncoding>(
          "certificate_encoding",
          {{"base64-der", Cavage::CertificateEncoding::kBase64Der}, {"pem", Cavage::CertificateEncoding::kPem}})) {
    c.certificate_encoding = *v;
  }
  if (auto v = r.Enum<DigestAlgorithm>(
          "digest", {{"sha-256", DigestAlgorithm::kSha256}, {"sha-512", DigestAlgorithm::kSha512}})) {
    c.digest = *v;
  }
  ReadBool(r, "headers_capitalised_in_list", c.headers_capitalised_in_list);
  r.Finish();
}

JwsOptions ReadJws(MapReader r, std::string_view standard_version) {
  JwsOptions j;
  j.form =
      config::IsUkVersionBefore314(standard_version) ? JwsOptions::Form::kV313b64False : JwsOptions::Form::kV314Plus;
  if (auto v = r.Enum<JwsOptions::Form>(
          "form", {{"v3.1.4+", JwsOptions::Form::kV314Plus}, {"v3.1.3-b64-false", JwsOptions::Form::kV313b64False}})) {
    j.form = *v;
  }
  if (auto v = r.String("kid")) j.kid = *v;
  if (auto v = r.String("issuer")) j.issuer = *v;
  if (auto v = r.String("trust_anchor")) j.trust_anchor = *v;
  if (auto v = r.String("content_type")) j.content_type = *v;
  r.Finish();
  return j;
}

void ReadTransport(MapReader r, TransportOptions& t) {
  ReadDuration(r, "connect_timeout_ms", 1, 600'000, t.connect_timeout);
  ReadDuration(r, "total_timeout_ms", 1, 3'600'000, t.total_timeout);
  RequireNotLess(r, "total_timeout_ms", "connect_timeout_ms", t.total_timeout >= t.connect_timeout);
  ReadInt(r, "low_speed_bytes_per_second", 0, 1'000'000'000, t.low_speed_bytes_per_second);
  ReadDuration(r, "low_speed_window_s", 1, 3600, t.low_speed_window);
  ReadInt(r, "max_response_bytes", 1024, int64_t{1} << 30, t.max_response_bytes);
  ReadInt(r, "max_connections", 1, 256, t.max_connections);
  ReadInt(r, "max_connections_per_host", 1, 256, t.max_connections_per_host);
  RequireNotLess(r, "max_connections", "max_connections_per_host", t.max_connections >= t.max_connections_per_host);
  ReadInt(r, "max_redirects", 0, 10, t.max_redirects);
  ReadBool(r, "http2", t.http2);
  r.Finish();
}

void ReadRetry(MapReader r, RetryOptions& o) {
  ReadInt(r, "max_attempts", 1, 10, o.max_attempts);
  ReadDuration(r, "base_delay_ms", 0, 60'000, o.base_delay);
  ReadDuration(r, "max_delay_ms", 0, 600'000, o.max_delay);
  RequireNotLess(r, "max_delay_ms", "base_delay_ms", o.max_delay >= o.base_delay);
  ReadDuration(r, "max_retry_after_s", 0, 86'400, o.max_retry_after);
  r.Finish();
}

void ReadExtraHeaders(MapReader& r, std::map<std::string, std::string>& out) {
  YamlContext& ctx = r.ctx();
  const YAML::Node node = r.Node("extra_headers");
  const std::string path = JoinPath(r.path(), "extra_headers");
  if (!node.IsDefined() || node.IsNull()) return;
  if (!node.IsMap()) {
    ctx.Fail(node, path, "expected a mapping of header names to values");
    return;
  }
  if (node.size() > kMaxExtraHeaders) {
    ctx.Fail(node, path, "more than " + std::to_string(kMaxExtraHeaders) + " headers");
    return;
  }
  std::set<std::string> lower_names;
  for (const auto& kv : node) {
    const auto name = config::ReadString(ctx, kv.first, path);
    if (!name) return;
    const std::string name_path = JoinPath(path, *name);
    if (Reason bad = config::CheckExtraHeaderName(*name)) {
      ctx.Fail(kv.first, name_path, *bad);
      return;
    }
    if (!lower_names.insert(LowerAscii(*name)).second) {
      ctx.Fail(kv.first, name_path, "listed twice (header names ignore case)");
      return;
    }
    const auto value = config::ReadString(ctx, kv.second, name_path);
    if (!value) return;
    if (Reason bad = config::CheckHeaderValue(*value)) {
      ctx.Fail(kv.second, name_path, *bad);
      return;
    }
    out.emplace(*name, *value);
  }
}

// quirks.link_hosts: lower-case host names (letters, digits, '-' and '.'), each with an optional ":port".
void ReadLinkHosts(MapReader& r, std::vector<std::string>& out) {
  const std::string path = JoinPath(r.path(), "link_hosts");
  std::vector<std::string> hosts = r.StringList("link_hosts");
  for (const std::string& entry : hosts) {
    std::string_view host = entry;
    Reason bad;
    if (const size_t colon = host.rfind(':'); colon != std::string_view::npos) {
      const std::string_view port = host.substr(colon + 1);
      int value = 0;
      const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
      if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
        bad = "expected a port from 1 to 65535 after ':'";
      }
      host = host.substr(0, colon);
    }
    const bool name_ok = !host.empty() && host.size() <= 253 && host.front() != '.' && host.back() != '.' &&
                         std::all_of(host.begin(), host.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                         });
    if (!bad && !name_ok) bad = "expected a lower-case host name, optionally with :port (no scheme, no path)";
    if (bad) {
      r.ctx().Fail(r.Node("link_hosts"), path, *bad);
      return;
    }
  }
  if (r.Has("link_hosts")) out = std::move(hosts);
}

void ReadQuirks(MapReader r, Quirks& q) {
  if (auto v = r.Enum<PsuIdPolicy>("psu_id", {{"optional", PsuIdPolicy::kOptional},
                                              {"required", PsuIdPolicy::kRequired},
                                              {"forbidden", PsuIdPolicy::kForbidden}})) {
    q.psu_id = *v;
  }
  if (auto v = CheckedString(r, "psu_id_type", false, config::CheckHeaderValue)) {
    if (q.psu_id == PsuIdPolicy::kForbidden) {
      r.ctx().Fail(r.Node("psu_id_type"), JoinPath(r.path(), "psu_id_type"), "set, but quirks.psu_id is forbidden");
    }
    q.psu_id_type = *v;
  }
  if (auto v = CheckedString(r, "date_query_format", false, config::CheckDateQueryFormat)) q.date_query_format = *v;
  if (auto v = CheckedString(r, "date_time_query_suffix", false, config::CheckDateTimeSuffix)) {
    q.date_time_query_suffix = *v;
  }
  if (auto v = r.Enum<bool>("date_time_colons", {{"encoded", true}, {"literal", false}})) {
    q.date_time_colons_encoded = *v;
  }
  ReadBool(r, "send_date_to", q.send_date_to);
  ReadInt(r, "max_history_days", 1, 36'500, q.max_history_days);
  ReadInt(r, "page_cap", 1, 100'000, q.page_cap);
  ReadBool(r, "trust_transaction_ids", q.trust_transaction_ids);
  ReadInt(r, "page_overlap", 0, 1000, q.page_overlap);
  ReadInt(r, "max_window_days", 0, 36'500, q.max_window_days);
  ReadLinkHosts(r, q.link_hosts);
  if (auto v = r.Enum<DateOrder>("date_order", {{"iso", DateOrder::kIso}, {"day-first", DateOrder::kDayFirst}})) {
    q.values.date_order = *v;
  }
  ReadBool(r, "thousands_separator", q.values.thousands_separator);
  ReadBool(r, "account_ids_change", q.values.account_ids_change);
  ReadExtraHeaders(r, q.extra_headers);
  ReadBool(r, "customer_ip_unattended", q.customer_ip_unattended);
  if (auto v = r.Enum<Quirks::DateFilter>("date_filter", {{"date-time", Quirks::DateFilter::kDateTime},
                                                          {"date", Quirks::DateFilter::kDate}})) {
    q.date_filter = *v;
  }
  ReadBool(r, "single_page", q.single_page);
  ReadBool(r, "last_page_next_self", q.last_page_next_self);
  ReadInt(r, "history_after_refresh_days", 0, 36'500, q.history_after_refresh_days);
  if (auto v = CheckedString(r, "path_segment", false, config::CheckPathSegment)) q.path_segment = *v;
  ReadBool(r, "consents_endpoint", q.consents_endpoint);
  if (auto v = r.Enum<TransactionStatus>("other_status", {{"info", TransactionStatus::kInfo},
                                                          {"pending", TransactionStatus::kPending}})) {
    q.values.other_status = *v;
  }
  r.Finish();
}

void ReadSyncRules(MapReader r, SyncRules& s) {
  ReadInt(r, "overlap_days", 0, 366, s.overlap_days);
  ReadInt(r, "first_sync_days", 1, 36'500, s.first_sync_days);
  ReadInt(r, "pending_booking_days", 0, 366, s.pending_booking_days);
  ReadInt(r, "amount_tolerance_percent", 0, 100, s.amount_tolerance_percent);
  ReadInt(r, "counterparty_min_similarity", 0, 100, s.counterparty_min_similarity);
  r.Finish();
}

// The file name without directories and without ".yaml", or std::nullopt when it does not end in ".yaml".
std::optional<std::string_view> Stem(std::string_view source_name) {
  const size_t slash = source_name.rfind('/');
  const std::string_view base = slash == std::string_view::npos ? source_name : source_name.substr(slash + 1);
  if (!base.ends_with(".yaml")) return std::nullopt;
  return base.substr(0, base.size() - 5);
}

void ReadProfile(YamlContext& ctx, const YAML::Node& root, BankProfile& p) {
  MapReader r(ctx, root, "");
  const auto stem = Stem(ctx.source());
  if (!stem) ctx.FailAt(YAML::Mark::null_mark(), "", "a bank profile's file name must end in .yaml");
  const auto id_check = [](std::string_view id) -> Reason {
    if (config::IsProfileId(id)) return std::nullopt;
    return "expected lower-case letters, digits and '-' (at most " + std::to_string(config::kMaxProfileIdLength) +
           " characters)";
  };
  if (auto id = CheckedString(r, "id", true, id_check)) {
    if (stem && *id != *stem) {
      ctx.Fail(r.Node("id"), "id", "must equal the file name without .yaml (\"" + std::string(*stem) + "\")");
    }
    p.id = *id;
  }
  const auto name_check = [](std::string_view name) { return config::CheckDisplayText(name, kMaxDisplayNameBytes); };
  if (auto name = CheckedString(r, "name", true, name_check)) p.display_name = *name;
  if (auto standard = r.RequiredString("standard")) {
    if (auto parsed = ParseStandard(*standard)) {
      p.standard = *parsed;
    } else {
      ctx.Fail(r.Node("standard"), "standard", "expected one of berlin-group, uk-ob, stet");
    }
  }
  if (auto v = CheckedString(r, "standard_version", true, config::CheckStandardVersion)) p.standard_version = *v;
  // A `{segment}` placeholder (quirks.path_segment) stands for one path segment.
  const auto base_url_check = [](std::string_view url) {
    return config::CheckHttpsUrl(config::WithPathSegment(url, "segment"), {});
  };
  if (auto v = CheckedString(r, "base_url", true, base_url_check)) p.base_url = *v;
  if (auto zone_name = r.RequiredString("timezone")) {
    if (auto zone = TimeZone::Locate(*zone_name)) {
      p.timezone = *zone;
    } else {
      ctx.Fail(r.Node("timezone"), "timezone", "not an IANA time zone name such as Europe/Berlin");
    }
  }

  const std::optional<YAML::Node> oauth2_entry = ReadSca(r.Map("sca"), p.sca);
  const bool has_oauth2 = r.Has("oauth2");
  if (oauth2_entry && !has_oauth2) ctx.Fail(*oauth2_entry, "oauth2", "missing, but sca.approaches lists oauth2");
  if (!oauth2_entry && has_oauth2) ctx.Fail(r.Node("oauth2"), "oauth2", "set, but sca.approaches does not list oauth2");
  MapReader oauth2 = r.Map("oauth2");
  if (has_oauth2) {
    OAuth2Profile read = ReadOAuth2(oauth2, p.standard == Standard::kUkOpenBanking);
    if (oauth2_entry) p.oauth2 = std::move(read);
  }

  MapReader signing = r.Map("signing");
  const bool uk = p.standard == Standard::kUkOpenBanking;
  if (uk && signing.Has("cavage")) {
    ctx.Fail(signing.Node("cavage"), "signing.cavage", "set, but uk-ob banks sign with signing.jws");
  }
  if (p.standard == Standard::kStet) p.cavage = CavageOptions::StetDefaults();
  ReadCavage(signing.Map("cavage"), p.cavage);
  if (signing.Has("jws")) {
    if (!uk) ctx.Fail(signing.Node("jws"), "signing.jws", "set, but only uk-ob banks sign with x-jws-signature");
    p.jws = ReadJws(signing.Map("jws"), p.standard_version);
  } else if (uk) {
    const YAML::Node section = r.Node("signing");
    ctx.Fail(section.IsDefined() ? section : root, "signing.jws", "missing: uk-ob banks sign with x-jws-signature");
  }
  signing.Finish();
  {
    // An empty key_id_url is filled from the TPP's configuration when the connector is made; checked as if set.
    CavageOptions checked = p.cavage;
    if (checked.key_id_format == CavageOptions::KeyIdFormat::kUrl && checked.key_id_url.empty()) {
      checked.key_id_url = "https://tpp.example/qseal/";
    }
    RecordValidation(ctx, root, checked.Validate(), "signing.cavage");
  }
  if (p.jws) RecordValidation(ctx, root, p.jws->Validate(), "signing.jws");

  ReadTransport(r.Map("transport"), p.transport);
  ReadRetry(r.Map("retry"), p.retry);
  ReadQuirks(r.Map("quirks"), p.quirks);
  const bool placeholder = p.base_url.find(config::kPathSegmentPlaceholder) != std::string::npos;
  if (placeholder && p.quirks.path_segment.empty()) {
    ctx.Fail(r.Node("base_url"), "base_url", "has {segment}, but quirks.path_segment is not set");
  } else if (!placeholder && !p.quirks.path_segment.empty()) {
    ctx.Fail(r.Node("quirks")["path_segment"], "quirks.path_segment", "set, but base_url has no {segment}");
  }
  ReadSyncRules(r.Map("sync"), p.sync);
  r.Finish();
  p.transport.bank_id = p.id;
}

}  // namespace

std::string_view ClientAuthMethodName(ClientAuthMethod m) {
  return m == ClientAuthMethod::kPrivateKeyJwt ? "private_key_jwt" : "tls_client_auth";
}

std::string_view ScaApproachName(ScaApproach a) {
  switch (a) {
    case ScaApproach::kRedirect:
      return "redirect";
    case ScaApproach::kDecoupled:
      return "decoupled";
    case ScaApproach::kOAuth2:
      return "oauth2";
    case ScaApproach::kEmbedded:
      return "embedded";
  }
  return "unknown";
}

std::optional<ScaApproach> ParseScaApproach(std::string_view name) {
  for (const ScaApproach a :
       {ScaApproach::kRedirect, ScaApproach::kDecoupled, ScaApproach::kOAuth2, ScaApproach::kEmbedded}) {
    if (name == ScaApproachName(a)) return a;
  }
  return std::nullopt;
}

Result<BankProfile> ParseBankProfile(std::string_view yaml_text, std::string_view source_name) {
  YamlContext ctx{std::string(source_name)};
  const YAML::Node root = ctx.Load(yaml_text, config::kMaxProfileBytes, kMaxProfileDepth);
  if (!ctx.failed()) RejectSecretKeys(ctx, root);
  if (ctx.failed()) return tl::unexpected(*ctx.error());
  BankProfile profile;
  ReadProfile(ctx, root, profile);
  if (ctx.failed()) return tl::unexpected(*ctx.error());
  return profile;
}

}  // namespace bankfeed
