// STET AIS reads and the consent: GET {root}/accounts, PUT {root}/consents, GET {root}/accounts/{id}/balances,
// behind the bearer token's authorization (checked by Authenticate), the bank's required headers, the consent and
// the quota on unattended reads.
#include <simdjson.h>

#include "tools/sandbox/bearer.hpp"
#include "tools/sandbox/stet/module.hpp"
#include "tools/sandbox/stet/render.hpp"

namespace bankfeed::sandbox::stet {
namespace {

// The PSU's account an AccountIdentification names: {"iban": ...} or {"other": {"identification": <BBAN>}}.
const ScenarioAccount* Identified(const Psu& psu, simdjson::dom::element id) {
  std::string_view iban, bban;
  const bool has_iban = id["iban"].get_string().get(iban) == simdjson::SUCCESS;
  const bool has_bban = id["other"]["identification"].get_string().get(bban) == simdjson::SUCCESS;
  for (const ScenarioAccount& a : psu.accounts) {
    if ((has_iban && a.iban == iban) || (has_bban && std::string_view(a.iban).substr(4) == bban)) return &a;
  }
  return nullptr;
}

}  // namespace

std::optional<ApiError> StetModule::BeginRead(ApiCall& call, std::string_view account_id, std::string_view endpoint,
                                              Read& out) {
  for (const auto& [name, value] : s_.scenario.behaviour.require.headers) {
    if (!call.req.has_header(name)) return StetFormatError(name + ": required by this bank");
    if (call.req.get_header_value(name) != value) return StetFormatError(name + ": a value this bank rejects");
  }
  auto grant = store_.Access(BearerToken(call.req));
  if (!grant) return StetRefuse(401, "TOKEN_INVALID", "Authorization: the authorization has ended");
  out.psu = s_.scenario.FindPsu(grant->authorization.psu_id);
  if (out.psu == nullptr) return StetRefuse(403, "FORBIDDEN", "the authorization has no PSU");
  if (!account_id.empty()) {
    for (const ScenarioAccount& a : out.psu->accounts) {
      if (a.resource_id == account_id) out.account = &a;
    }
    if (out.account == nullptr) return StetRefuse(404, "RESOURCE_UNKNOWN", "accountResourceId: not an account of the PSU");
    if (!Covers(grant->authorization, out.account->resource_id, endpoint)) {
      return StetRefuse(403, "CONSENT_INVALID", "the consent does not cover this account's " + std::string(endpoint));
    }
  }
  out.grant = std::move(*grant);
  return std::nullopt;
}

bool StetModule::Covers(const Authorization& a, const std::string& resource_id, std::string_view endpoint) const {
  if (!s_.scenario.behaviour.stet.consents_endpoint) return true;  // such a bank opens every account of the PSU
  return endpoint == "balances" ? a.consent.balances.contains(resource_id) : a.consent.transactions.contains(resource_id);
}

std::optional<ApiError> StetModule::ConsumeQuota(ApiCall& call, const Read& read, std::string_view endpoint) {
  // Reads with PSU-IP-Address are the PSU's own (attended); a page after the first follows a next link.
  if (call.req.has_header("PSU-IP-Address") || call.page > 1) return std::nullopt;
  const std::string account = read.account != nullptr ? read.account->resource_id : std::string();
  if (s_.quota.TryConsume(read.grant.authorization.id, account, endpoint, s_.clock.Today(),
                          s_.scenario.behaviour.frequency_per_day)) {
    return std::nullopt;
  }
  ++s_.stats.quota_refusals;
  return StetRefuse(429, "ACCESS_EXCEEDED", "the authorization's unattended reads for today are used up");
}

void StetModule::Accounts(ApiCall& call) {
  Read read;
  if (auto refused = BeginRead(call, {}, "accounts", read)) return Fail(call, *refused);
  if (auto refused = ConsumeQuota(call, read, "accounts")) return Fail(call, *refused);
  const Date today = s_.clock.Today();
  std::vector<StetAccountEntry> entries;
  for (const ScenarioAccount& a : read.psu->accounts) {
    StetAccountEntry e{&a, {}, {}, VisibleBalances(a, today)};
    const std::string base = Root() + "/accounts/" + a.resource_id;
    if (Covers(read.grant.authorization, a.resource_id, "balances")) e.balances_href = base + "/balances";
    if (Covers(read.grant.authorization, a.resource_id, "transactions")) e.transactions_href = base + "/transactions";
    entries.push_back(std::move(e));
  }
  Json(call.res, 200, RenderStetAccounts(entries, Root() + "/accounts", {s_.scenario.behaviour, s_.base_url, today}));
}

void StetModule::PutConsents(ApiCall& call) {
  if (!s_.scenario.behaviour.stet.consents_endpoint) {
    return Fail(call, StetRefuse(405, "METHOD_NOT_ALLOWED", "PUT consents: not offered by this bank"));
  }
  Read read;
  if (auto refused = BeginRead(call, {}, "consents", read)) return Fail(call, *refused);
  simdjson::dom::parser parser;
  simdjson::dom::element body;
  if (parser.parse(call.req.body).get(body) != simdjson::SUCCESS || !body.is_object()) {
    return Fail(call, StetFormatError("body: expected a JSON object"));
  }
  StetConsent consent;
  for (const char* list : {"balances", "transactions"}) {
    simdjson::dom::element value;
    if (body[list].get(value) != simdjson::SUCCESS) continue;
    simdjson::dom::array items;
    if (value.get_array().get(items) != simdjson::SUCCESS) {
      return Fail(call, StetFormatError(std::string(list) + ": expected a list of AccountIdentification"));
    }
    size_t index = 0;
    for (simdjson::dom::element id : items) {
      const ScenarioAccount* a = id.is_object() ? Identified(*read.psu, id) : nullptr;
      if (a == nullptr) {
        return Fail(call, StetFormatError(std::string(list) + "[" + std::to_string(index) + "]: not an account of the PSU"));
      }
      (std::string_view(list) == "balances" ? consent.balances : consent.transactions).insert(a->resource_id);
      ++index;
    }
  }
  for (const char* flag : {"trustedBeneficiaries", "psuIdentity"}) {
    simdjson::dom::element value;
    if (body[flag].get(value) == simdjson::SUCCESS && !value.is_bool()) {
      return Fail(call, StetFormatError(std::string(flag) + ": expected true or false"));
    }
  }
  store_.SetConsent(read.grant.authorization.id, std::move(consent));
  call.res.status = 201;
}

void StetModule::Balances(ApiCall& call) {
  Read read;
  if (auto refused = BeginRead(call, call.req.matches[1].str(), "balances", read)) return Fail(call, *refused);
  if (auto refused = ConsumeQuota(call, read, "balances")) return Fail(call, *refused);
  const Date today = s_.clock.Today();
  const std::string self = Root() + "/accounts/" + read.account->resource_id + "/balances";
  Json(call.res, 200,
       RenderStetBalances(*read.account, VisibleBalances(*read.account, today), self,
                          {s_.scenario.behaviour, s_.base_url, today}));
}

}  // namespace bankfeed::sandbox::stet
