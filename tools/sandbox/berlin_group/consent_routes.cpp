// Berlin Group consents and SCA: POST/GET/DELETE /v1/consents..., authorisations, and the /sca page.
#include <algorithm>

#include "common/text.hpp"
#include "log/log.hpp"
#include "tools/sandbox/berlin_group/consent_request.hpp"
#include "tools/sandbox/berlin_group/module.hpp"
#include "tools/sandbox/berlin_group/requirements.hpp"
#include "tools/sandbox/bearer.hpp"
#include "tools/sandbox/json_writer.hpp"

namespace bankfeed::sandbox::berlin_group {
namespace {

constexpr std::string_view kPsuMessage = "Please confirm the consent in your banking app.";

bool IsUri(std::string_view uri) {
  return (uri.starts_with("https://") || uri.starts_with("http://")) && uri.size() <= 2048 &&
         uri.find_first_of(" \t") == std::string_view::npos && IsPrintableAscii(uri);
}

std::string_view ApproachHeader(Approach a) {
  switch (a) {
    case Approach::kRedirect: return "REDIRECT";
    case Approach::kDecoupled: return "DECOUPLED";
    case Approach::kOAuth2: return "OAUTH";
  }
  return "REDIRECT";
}

// TPP-Redirect-Preferred: false or TPP-Decoupled-Preferred: true ask for decoupled; the bank offers what it has.
std::optional<Approach> ChooseApproach(const httplib::Request& req, const Behaviour& b) {
  const bool wants_decoupled = EqualsIgnoreCase(req.get_header_value("TPP-Redirect-Preferred"), "false") ||
                               EqualsIgnoreCase(req.get_header_value("TPP-Decoupled-Preferred"), "true");
  if (wants_decoupled && b.Offers(ScaApproachKind::kDecoupled)) return Approach::kDecoupled;
  if (b.Offers(ScaApproachKind::kRedirect)) return Approach::kRedirect;
  if (b.Offers(ScaApproachKind::kDecoupled)) return Approach::kDecoupled;
  return std::nullopt;
}

const ScenarioAccount* AccountByIban(const Psu& psu, const AccountReference& ref) {
  for (const ScenarioAccount& a : psu.accounts) {
    if (a.iban == ref.iban && (ref.currency.empty() || ref.currency == a.currency.code())) return &a;
  }
  return nullptr;
}

const Psu* OwnerOfIban(const Scenario& scenario, std::string_view iban) {
  for (const Psu& p : scenario.psus) {
    for (const ScenarioAccount& a : p.accounts) {
      if (a.iban == iban) return &p;
    }
  }
  return nullptr;
}

// Fills consent.access from the request for `psu`; an IBAN that is not the PSU's is a FORMAT_ERROR.
std::optional<ApiError> ResolveAccess(const ConsentRequest& r, const Psu& psu, Consent& c) {
  const std::pair<std::string_view, const std::string*> all[] = {
      {"allPsd2", &r.all_psd2},
      {"availableAccounts", &r.available_accounts},
      {"availableAccountsWithBalance", &r.available_accounts_with_balance}};
  for (const auto& [key, word] : all) {
    if (word->empty()) continue;
    c.all_accounts_key = key;
    c.all_accounts_word = *word;
    const bool all_psd2 = key == "allPsd2";
    for (const ScenarioAccount& a : psu.accounts) {
      c.access.push_back({a.resource_id, all_psd2 || key == "availableAccountsWithBalance", all_psd2});
    }
    return std::nullopt;  // the widest one given wins; the parser refuses these together with IBAN lists
  }
  const std::pair<const std::vector<AccountReference>*, std::string_view> lists[] = {
      {&r.accounts, "accounts"}, {&r.balances, "balances"}, {&r.transactions, "transactions"}};
  for (const auto& [list, name] : lists) {
    for (size_t i = 0; i < list->size(); ++i) {
      const ScenarioAccount* account = AccountByIban(psu, (*list)[i]);
      if (account == nullptr) {
        return Refuse(400, "FORMAT_ERROR",
                      "access." + std::string(name) + "[" + std::to_string(i) + "]: not an account of the PSU");
      }
      AccountAccess* entry = nullptr;
      for (AccountAccess& e : c.access) {
        if (e.resource_id == account->resource_id) entry = &e;
      }
      if (entry == nullptr) entry = &c.access.emplace_back(AccountAccess{account->resource_id, false, false});
      if (name == "balances") entry->balances = true;
      if (name == "transactions") entry->transactions = true;
    }
  }
  return std::nullopt;
}

void WriteAccess(JsonWriter& w, const Consent& c, const Scenario& scenario) {
  w.Key("access").BeginObject();
  if (!c.all_accounts_key.empty()) {
    w.Key(c.all_accounts_key).String(c.all_accounts_word);
  } else {
    for (const std::string_view list : {"accounts", "balances", "transactions"}) {
      w.Key(list).BeginArray();
      for (const AccountAccess& a : c.access) {
        if ((list == "balances" && !a.balances) || (list == "transactions" && !a.transactions)) continue;
        if (const ScenarioAccount* account = scenario.FindAccount(a.resource_id)) {
          w.BeginObject().Key("iban").String(account->iban).EndObject();
        }
      }
      w.EndArray();
    }
  }
  w.EndObject();
}

}  // namespace

void BerlinGroupModule::WriteAuthorisationLinks(JsonWriter& w, const Authorisation& auth, bool with_status_links) {
  const std::string base = "/v1/consents/" + auth.consent_id;
  std::vector<Link> links;
  if (auth.approach == Approach::kRedirect) links.push_back({"scaRedirect", s_.base_url + "/sca/" + auth.id});
  if (with_status_links) {
    links.push_back({"self", base});
    links.push_back({"status", base + "/status"});
  }
  links.push_back({"scaStatus", base + "/authorisations/" + auth.id});
  WriteLinks(w, links, Options(), false);
}

void BerlinGroupModule::CreateConsent(ApiCall& call) {
  const httplib::Request& req = call.req;
  const Behaviour& b = s_.scenario.behaviour;
  if (auto refused = CheckRequirements(b.require, req, true)) return WriteError(call.res, *refused);
  auto request = ParseConsentRequest(req.body);
  if (!request) return WriteError(call.res, Refuse(400, "FORMAT_ERROR", request.error().message));
  const Date today = s_.clock.Today();
  if (request->valid_until < today) return WriteError(call.res, Refuse(400, "FORMAT_ERROR", "validUntil: in the past"));

  const Psu* psu = nullptr;
  if (req.has_header("PSU-ID")) {
    psu = s_.scenario.FindPsu(req.get_header_value("PSU-ID"));
    if (psu == nullptr) return WriteError(call.res, Refuse(401, "PSU_CREDENTIALS_INVALID", "PSU-ID: unknown PSU"));
  } else if (request->HasAccountLists()) {
    const auto& first = !request->accounts.empty()   ? request->accounts.front()
                        : !request->balances.empty() ? request->balances.front()
                                                     : request->transactions.front();
    psu = OwnerOfIban(s_.scenario, first.iban);
    if (psu == nullptr) return WriteError(call.res, Refuse(400, "FORMAT_ERROR", "access: unknown account"));
  } else {
    psu = &s_.scenario.psus.front();
  }

  Consent c;
  c.psu_id = psu->id;
  if (auto refused = ResolveAccess(*request, *psu, c)) return WriteError(call.res, *refused);
  c.valid_until = request->valid_until;
  c.frequency_per_day = std::min(request->frequency_per_day, b.frequency_per_day);
  c.recurring = request->recurring;
  c.combined_service = request->combined_service;
  c.last_action = today;
  for (const auto& [header, field] : {std::pair{"TPP-Redirect-URI", &c.redirect_uri},
                                      std::pair{"TPP-Nok-Redirect-URI", &c.nok_redirect_uri}}) {
    if (!req.has_header(header)) continue;
    *field = req.get_header_value(header);
    if (!IsUri(*field)) return WriteError(call.res, Refuse(400, "FORMAT_ERROR", std::string(header) + ": not a URI"));
  }

  // OAuth2 pre-step: with a token (or when it is the only approach), the token is the SCA.
  const bool oauth_only = !b.Offers(ScaApproachKind::kRedirect) && !b.Offers(ScaApproachKind::kDecoupled);
  if (b.Offers(ScaApproachKind::kOAuth2) && (req.has_header("Authorization") || oauth_only)) {
    if (!s_.oauth.IsValidAccessToken(BearerToken(req))) {
      return WriteError(call.res, Refuse(401, "TOKEN_INVALID", "Authorization: no valid bearer access token"));
    }
    c.status = ConsentStatus::kValid;
    c.via_token = true;
  }
  const std::optional<Approach> approach = c.via_token ? Approach::kOAuth2 : ChooseApproach(req, b);
  if (!approach) return WriteError(call.res, Refuse(401, "TOKEN_INVALID", "this bank needs the OAuth2 pre-step"));
  if (approach == Approach::kRedirect && c.redirect_uri.empty() && !b.explicit_authorisation) {
    return WriteError(call.res, Refuse(400, "FORMAT_ERROR", "TPP-Redirect-URI: required for the redirect approach"));
  }
  const std::string id = consents_.Add(c);
  const std::string base = "/v1/consents/" + id;
  log::Info("sandbox.consent.created", {{"consent", id}, {"approach", std::string(ApproachHeader(*approach))}});

  JsonWriter w;
  w.BeginObject();
  w.Key("consentStatus").String(ConsentStatusName(c.status));
  w.Key("consentId").String(id);
  if (c.via_token) {
    WriteLinks(w, {{"self", base}, {"status", base + "/status"}}, Options(), false);
  } else if (b.explicit_authorisation) {
    WriteLinks(w, {{"startAuthorisation", base + "/authorisations"}}, Options(), false);
  } else {
    const auto auth = consents_.StartAuthorisation(id, *approach, c.redirect_uri, c.nok_redirect_uri);
    WriteAuthorisationLinks(w, *auth, true);
    if (*approach == Approach::kDecoupled) w.Key("psuMessage").String(kPsuMessage);
  }
  w.EndObject();
  call.res.set_header("Location", WireHref({"self", base}, Options()));
  call.res.set_header("ASPSP-SCA-Approach", std::string(ApproachHeader(*approach)));
  Json(call.res, 201, w.Take());
}

std::optional<Consent> BerlinGroupModule::PolledConsent(ApiCall& call) {
  const std::string id = call.req.matches[1].str();
  const Behaviour& b = s_.scenario.behaviour;
  consents_.Poll(id, {}, b.decoupled_polls, b.sca_outcome == ScaOutcome::kApprove);
  return consents_.Get(id);
}

void BerlinGroupModule::GetConsent(ApiCall& call) {
  const auto c = PolledConsent(call);
  if (!c) return WriteError(call.res, Refuse(403, "CONSENT_UNKNOWN", "no such consent"));
  JsonWriter w;
  w.BeginObject();
  WriteAccess(w, *c, s_.scenario);
  w.Key("recurringIndicator").Bool(c->recurring);
  w.Key("validUntil").String(c->valid_until.ToString());
  w.Key("frequencyPerDay").Int(c->frequency_per_day);
  w.Key("lastActionDate").String(c->last_action.ToString());
  w.Key("consentStatus").String(ConsentStatusName(c->StatusOn(s_.clock.Today())));
  WriteLinks(w, {{"account", "/v1/accounts"}}, Options(), false);
  w.EndObject();
  Json(call.res, 200, w.Take());
}

void BerlinGroupModule::GetConsentStatus(ApiCall& call) {
  const auto c = PolledConsent(call);
  if (!c) return WriteError(call.res, Refuse(403, "CONSENT_UNKNOWN", "no such consent"));
  JsonWriter w;
  w.BeginObject().Key("consentStatus").String(ConsentStatusName(c->StatusOn(s_.clock.Today()))).EndObject();
  Json(call.res, 200, w.Take());
}

void BerlinGroupModule::DeleteConsent(ApiCall& call) {
  if (!consents_.Terminate(call.req.matches[1].str())) {
    return WriteError(call.res, Refuse(403, "CONSENT_UNKNOWN", "no such consent"));
  }
  call.res.status = 204;
}

void BerlinGroupModule::StartAuthorisation(ApiCall& call) {
  const std::string id = call.req.matches[1].str();
  const auto c = consents_.Get(id);
  if (!c) return WriteError(call.res, Refuse(403, "CONSENT_UNKNOWN", "no such consent"));
  const auto approach = ChooseApproach(call.req, s_.scenario.behaviour);
  if (!approach) {
    return WriteError(call.res, Refuse(400, "SERVICE_INVALID", "this bank authorises with the OAuth2 pre-step only"));
  }
  std::string redirect = c->redirect_uri, nok = c->nok_redirect_uri;
  if (call.req.has_header("TPP-Redirect-URI")) redirect = call.req.get_header_value("TPP-Redirect-URI");
  if (call.req.has_header("TPP-Nok-Redirect-URI")) nok = call.req.get_header_value("TPP-Nok-Redirect-URI");
  if (*approach == Approach::kRedirect && !IsUri(redirect)) {
    return WriteError(call.res, Refuse(400, "FORMAT_ERROR", "TPP-Redirect-URI: required for the redirect approach"));
  }
  const auto auth = consents_.StartAuthorisation(id, *approach, redirect, nok);
  if (!auth) return WriteError(call.res, Refuse(409, "STATUS_INVALID", "the consent is not awaiting authorisation"));
  JsonWriter w;
  w.BeginObject();
  w.Key("scaStatus").String(auth->sca_status);
  w.Key("authorisationId").String(auth->id);
  if (*approach == Approach::kDecoupled) w.Key("psuMessage").String(kPsuMessage);
  WriteAuthorisationLinks(w, *auth, false);
  w.EndObject();
  call.res.set_header("ASPSP-SCA-Approach", std::string(ApproachHeader(*approach)));
  Json(call.res, 201, w.Take());
}

void BerlinGroupModule::GetAuthorisation(ApiCall& call) {
  const std::string id = call.req.matches[1].str(), auth_id = call.req.matches[2].str();
  const Behaviour& b = s_.scenario.behaviour;
  consents_.Poll(id, auth_id, b.decoupled_polls, b.sca_outcome == ScaOutcome::kApprove);
  const auto auth = consents_.GetAuthorisation(id, auth_id);
  if (!auth) return WriteError(call.res, Refuse(403, "RESOURCE_UNKNOWN", "no such authorisation"));
  JsonWriter w;
  w.BeginObject().Key("scaStatus").String(auth->sca_status).EndObject();
  Json(call.res, 200, w.Take());
}

void BerlinGroupModule::ScaPage(const httplib::Request& req, httplib::Response& res) {
  const bool approve = s_.scenario.behaviour.sca_outcome == ScaOutcome::kApprove;
  const auto auth = consents_.CompleteSca(req.matches[1].str(), approve);
  if (!auth) {
    res.status = 404;
    res.set_content("<html><body><h1>Unknown authorisation</h1></body></html>", "text/html; charset=utf-8");
    return;
  }
  log::Info("sandbox.sca", {{"consent", auth->consent_id}, {"approved", approve}});
  const std::string& target = approve || auth->nok_redirect_uri.empty() ? auth->redirect_uri : auth->nok_redirect_uri;
  if (auth->approach == Approach::kRedirect && !target.empty()) {
    res.set_redirect(target, 302);  // the TPP's URI exactly as it sent it
    return;
  }
  res.set_content(std::string("<html><body><h1>Consent ") + (approve ? "approved" : "rejected") +
                      "</h1><p>You can close this page.</p></body></html>",
                  "text/html; charset=utf-8");
}

}  // namespace bankfeed::sandbox::berlin_group
