// ConsentGrant <-> JSON. Version 1: {"v":1, ...}. Strict on read: unknown keys and wrong types are errors.
#include <simdjson.h>

#include "bankfeed/connector.hpp"
#include "common/ip_address.hpp"
#include "common/json_object.hpp"
#include "common/text.hpp"

namespace bankfeed {
namespace {

constexpr std::string_view kScopes[] = {"all-accounts", "accounts-only", "listed-accounts"};
constexpr std::string_view kBerlinGroupScopes[] = {"all-psd2", "available-accounts", "dedicated-accounts"};

// The permissions in a fixed order, for the grant's JSON.
struct PermissionField {
  std::string_view name;
  bool ConsentPermissions::*flag;
};
constexpr PermissionField kPermissionFields[] = {
    {"account_details", &ConsentPermissions::account_details},
    {"balances", &ConsentPermissions::balances},
    {"transactions", &ConsentPermissions::transactions},
    {"transaction_details", &ConsentPermissions::transaction_details},
    {"credits", &ConsentPermissions::credits},
    {"debits", &ConsentPermissions::debits}};

std::optional<ConsentStatus> ParseStatus(std::string_view name) {
  for (auto s : {ConsentStatus::kReceived, ConsentStatus::kValid, ConsentStatus::kRejected, ConsentStatus::kRevoked,
                 ConsentStatus::kExpired, ConsentStatus::kTerminated, ConsentStatus::kPartiallyAuthorised}) {
    if (ConsentStatusName(s) == name) return s;
  }
  return std::nullopt;
}


}  // namespace

std::string_view ConsentScopeName(ConsentRequest::Scope scope) { return kScopes[static_cast<int>(scope)]; }

std::optional<ConsentRequest::Scope> ParseConsentScope(std::string_view name) {
  for (int i = 0; i < 3; ++i) {
    if (kScopes[i] == name || kBerlinGroupScopes[i] == name) return static_cast<ConsentRequest::Scope>(i);
  }
  return std::nullopt;
}

std::string GrantToJson(const ConsentGrant& g) {
  JsonObjectWriter w;
  w.Int("v", 1);
  w.Str("bank_id", g.bank_id);
  w.Str("consent_id", g.consent_id);
  w.Str("authorisation_id", g.authorisation_id);
  w.Str("approach", ScaApproachName(g.approach));
  w.Str("status", ConsentStatusName(g.status));
  w.Str("psu_id", g.psu_id);
  w.Str("scope", ConsentScopeName(g.request.scope));
  std::string permissions = "{";
  for (const PermissionField& field : kPermissionFields) {
    if (permissions.size() > 1) permissions += ',';
    AppendJsonString(permissions, field.name);
    permissions += g.request.permissions.*field.flag ? ":true" : ":false";
  }
  w.Raw("permissions", permissions + "}");
  std::string ibans = "[";
  for (size_t i = 0; i < g.request.ibans.size(); ++i) {
    if (i) ibans += ',';
    AppendJsonString(ibans, g.request.ibans[i]);
  }
  w.Raw("ibans", ibans + "]");
  w.Str("valid_until", g.request.valid_until.ToString());
  w.Int("frequency_per_day", g.request.frequency_per_day);
  w.Bool("recurring", g.request.recurring);
  w.Str("redirect_uri", g.request.redirect_uri);
  w.Str("nok_redirect_uri", g.request.nok_redirect_uri);
  w.Str("sca_status_url", g.sca_status_url);
  w.Str("oauth_state", g.oauth_state);
  w.Str("oauth_nonce", g.oauth_nonce);
  w.Str("pkce_verifier", g.pkce_verifier);
  w.Str("access_token", g.access_token);
  if (g.access_token_expires) w.Int("access_token_expires", g.access_token_expires->unix_seconds);
  w.Str("refresh_token", g.refresh_token);
  if (g.access_token_refreshed) w.Bool("access_token_refreshed", true);
  if (!g.id_token_subject.empty()) w.Str("id_token_subject", g.id_token_subject);
  if (g.authorised_at) w.Int("authorised_at", g.authorised_at->unix_seconds);
  if (!g.customer_ip.empty()) w.Str("customer_ip", g.customer_ip);
  if (g.usage_day) {
    w.Str("usage_day", g.usage_day->ToString());
    std::string usage = "{";
    for (const auto& [key, count] : g.usage) {
      if (usage.size() > 1) usage += ',';
      AppendJsonString(usage, key);
      usage += ':' + std::to_string(count);
    }
    w.Raw("usage", usage + "}");
  }
  return w.Finish();
}

Result<ConsentGrant> GrantFromJson(std::string_view json) {
  auto fail = [](std::string_view key, std::string_view reason) {
    return MakeError(ErrorCode::kInvalidInput, "grant." + std::string(key) + ": " + std::string(reason));
  };
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(json.data(), json.size()).get(root) != simdjson::SUCCESS) return fail("(root)", "not a JSON object");
  ConsentGrant g;
  bool versioned = false;
  for (auto field : root) {
    // Named copies, not structured bindings: clang 14 cannot capture bindings in the lambdas below.
    const std::string_view key = field.key;
    const simdjson::dom::element value = field.value;
    std::string_view text;
    int64_t number = 0;
    bool flag = false;
    auto str = [&]() -> Result<std::string> {
      if (value.get_string().get(text) != simdjson::SUCCESS) return fail(key, "expected a string");
      return std::string(text);
    };
    auto date = [&]() -> Result<Date> {
      if (value.get_string().get(text) != simdjson::SUCCESS) return fail(key, "expected a date");
      auto d = Date::Parse(text);
      if (!d) return fail(key, "expected a date");
      return *d;
    };
    if (key == "v") {
      if (value.get_int64().get(number) != simdjson::SUCCESS || number != 1) return fail(key, "expected 1");
      versioned = true;
    } else if (key == "bank_id") {
      BANKFEED_ASSIGN_OR_RETURN(g.bank_id, str());
    } else if (key == "consent_id") {
      BANKFEED_ASSIGN_OR_RETURN(g.consent_id, str());
    } else if (key == "authorisation_id") {
      BANKFEED_ASSIGN_OR_RETURN(g.authorisation_id, str());
    } else if (key == "approach") {
      BANKFEED_ASSIGN_OR_RETURN(auto name, str());
      auto approach = ParseScaApproach(name);
      if (!approach) return fail(key, "unknown approach");
      g.approach = *approach;
    } else if (key == "status") {
      BANKFEED_ASSIGN_OR_RETURN(auto name, str());
      auto status = ParseStatus(name);
      if (!status) return fail(key, "unknown status");
      g.status = *status;
    } else if (key == "psu_id") {
      BANKFEED_ASSIGN_OR_RETURN(g.psu_id, str());
    } else if (key == "scope") {
      BANKFEED_ASSIGN_OR_RETURN(auto name, str());
      auto scope = ParseConsentScope(name);
      if (!scope) return fail(key, "unknown scope");
      g.request.scope = *scope;
    } else if (key == "permissions") {  // absent in grants written before it existed: everything, as they asked
      simdjson::dom::object permissions;
      if (value.get_object().get(permissions) != simdjson::SUCCESS) return fail(key, "expected an object");
      for (auto [name, allowed] : permissions) {
        const PermissionField* permission = nullptr;
        for (const PermissionField& f : kPermissionFields) {
          if (f.name == name) permission = &f;
        }
        if (permission == nullptr) return fail(std::string(key) + "." + std::string(name), "unknown permission");
        if (allowed.get_bool().get(flag) != simdjson::SUCCESS) {
          return fail(std::string(key) + "." + std::string(name), "expected true or false");
        }
        g.request.permissions.*permission->flag = flag;
      }
    } else if (key == "ibans") {
      simdjson::dom::array list;
      if (value.get_array().get(list) != simdjson::SUCCESS) return fail(key, "expected a list");
      for (auto item : list) {
        if (item.get_string().get(text) != simdjson::SUCCESS) return fail(key, "expected strings");
        g.request.ibans.emplace_back(text);
      }
    } else if (key == "valid_until") {
      BANKFEED_ASSIGN_OR_RETURN(g.request.valid_until, date());
    } else if (key == "frequency_per_day") {
      if (value.get_int64().get(number) != simdjson::SUCCESS || number < 1 || number > 10000) {
        return fail(key, "expected an integer from 1 to 10000");
      }
      g.request.frequency_per_day = static_cast<int>(number);
    } else if (key == "recurring") {
      if (value.get_bool().get(flag) != simdjson::SUCCESS) return fail(key, "expected true or false");
      g.request.recurring = flag;
    } else if (key == "redirect_uri") {
      BANKFEED_ASSIGN_OR_RETURN(g.request.redirect_uri, str());
    } else if (key == "nok_redirect_uri") {
      BANKFEED_ASSIGN_OR_RETURN(g.request.nok_redirect_uri, str());
    } else if (key == "sca_status_url") {
      BANKFEED_ASSIGN_OR_RETURN(g.sca_status_url, str());
    } else if (key == "oauth_state") {
      BANKFEED_ASSIGN_OR_RETURN(g.oauth_state, str());
    } else if (key == "oauth_nonce") {
      BANKFEED_ASSIGN_OR_RETURN(g.oauth_nonce, str());
    } else if (key == "pkce_verifier") {
      BANKFEED_ASSIGN_OR_RETURN(g.pkce_verifier, str());
    } else if (key == "access_token") {
      BANKFEED_ASSIGN_OR_RETURN(g.access_token, str());
    } else if (key == "access_token_expires") {
      if (value.get_int64().get(number) != simdjson::SUCCESS) return fail(key, "expected unix seconds");
      g.access_token_expires = DateTime{number, 0, 0};
    } else if (key == "refresh_token") {
      BANKFEED_ASSIGN_OR_RETURN(g.refresh_token, str());
    } else if (key == "access_token_refreshed") {
      if (value.get_bool().get(flag) != simdjson::SUCCESS) return fail(key, "expected true or false");
      g.access_token_refreshed = flag;
    } else if (key == "id_token_subject") {
      BANKFEED_ASSIGN_OR_RETURN(g.id_token_subject, str());
    } else if (key == "authorised_at") {
      if (value.get_int64().get(number) != simdjson::SUCCESS) return fail(key, "expected unix seconds");
      g.authorised_at = DateTime{number, 0, 0};
    } else if (key == "customer_ip") {
      BANKFEED_ASSIGN_OR_RETURN(g.customer_ip, str());
      if (!IsIpAddress(g.customer_ip)) return fail(key, kIpAddressExpected);
    } else if (key == "usage_day") {
      BANKFEED_ASSIGN_OR_RETURN(g.usage_day, date());
    } else if (key == "usage") {
      simdjson::dom::object usage;
      if (value.get_object().get(usage) != simdjson::SUCCESS) return fail(key, "expected an object");
      for (auto [name, count] : usage) {
        if (count.get_int64().get(number) != simdjson::SUCCESS || number < 0 || number > 1000000) {
          return fail(key, "expected counts");
        }
        g.usage[std::string(name)] = static_cast<int>(number);
      }
    } else {
      return fail(key, "unknown key");
    }
  }
  if (!versioned) return fail("v", "missing");
  if (g.bank_id.empty()) return fail("bank_id", "missing");
  return g;
}

}  // namespace bankfeed
