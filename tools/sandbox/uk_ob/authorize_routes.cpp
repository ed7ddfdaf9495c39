// GET /as/authorize: the FAPI 1.0 Advanced hybrid flow's front channel (the PSU's browser, no client certificate).
// The request object is verified (uk_ob/request_object.hpp); the PSU (the scenario's first, or `psu=<id>` in the
// query) approves or rejects per behaviour.sca_outcome; the answer is a 302 to the redirect URI with the result in
// the fragment: code, id_token and state, or error and state.
#include "log/log.hpp"
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/uk_ob/id_token.hpp"
#include "tools/sandbox/uk_ob/module.hpp"
#include "tools/sandbox/uk_ob/request_object.hpp"

namespace bankfeed::sandbox::uk_ob {
void UkObModule::Authorize(const httplib::Request& req, httplib::Response& res) {
  const auto refuse_page = [&](std::string_view reason) {
    ++s_.stats.bad_request_object;
    log::Info("sandbox.uk.authorize", {{"outcome", "refused"}});
    AuthorizationRefusalPage(res, reason);
  };
  auto query = ParseForm(QueryOf(req.target));
  if (!query) return refuse_page(query.error().message);
  const std::string* client_id = FindField(*query, "client_id");
  if (client_id == nullptr) return refuse_page("client_id: missing");
  const auto client = clients_.Get(*client_id);
  if (!client) return refuse_page("client_id: not a registered client");
  // RFC 6749 §4.1.2.1: an error goes back to the client only over a redirect URI registered for it.
  const std::string* query_redirect = FindField(*query, "redirect_uri");
  if (query_redirect != nullptr && !client->HasRedirectUri(*query_redirect)) {
    return refuse_page("redirect_uri: not registered for the client");
  }
  const std::string* query_state = FindField(*query, "state");
  const auto refuse = [&](std::string redirect, std::string_view error, std::string_view description,
                          std::string_view state) {
    if (redirect.empty()) return refuse_page(description);
    ++s_.stats.bad_request_object;
    log::Info("sandbox.uk.authorize", {{"outcome", error}});
    RedirectWithParams(res, redirect, '#', {{"error", error}, {"error_description", description}, {"state", state}});
  };
  const std::string trusted = query_redirect != nullptr ? *query_redirect : std::string();
  const std::string* request = FindField(*query, "request");
  if (request == nullptr) {
    return refuse(trusted, "invalid_request", "request: missing (a signed request object is required)",
                  query_state != nullptr ? *query_state : "");
  }
  const RequestObjectContext context{*client, Issuer(), *query, UnixNow(),
                                     [this](std::string_view id) { return consents_.Get(id); }};
  auto verified = VerifyRequestObject(*request, context);
  if (!verified) {
    const RequestObjectError& e = verified.error();
    const std::string state = !e.state.empty() ? e.state : query_state != nullptr ? *query_state : "";
    return refuse(trusted.empty() ? e.redirect_uri : trusted, "invalid_request_object", e.description, state);
  }
  const AuthorizationRequest& a = *verified;

  const Psu* psu = &s_.scenario.psus.front();
  if (const std::string* chosen = FindField(*query, "psu")) {
    psu = s_.scenario.FindPsu(*chosen);
    if (psu == nullptr) return refuse(a.redirect_uri, "access_denied", "psu: not a customer of this bank", a.state);
  }
  const bool approve = s_.scenario.behaviour.sca_outcome == ScaOutcome::kApprove;
  consents_.Settle(a.consent_id, approve, psu->id);
  log::Info("sandbox.uk.authorize", {{"consent", a.consent_id}, {"approved", approve}});
  if (!approve) {
    return RedirectWithParams(res, a.redirect_uri, '#',
        {{"error", "access_denied"}, {"error_description", "the PSU rejected the consent"}, {"state", a.state}});
  }
  const int64_t now = UnixNow();
  const std::string code = tokens_.IssueCode({client->client_id, a.consent_id, a.redirect_uri, a.nonce, now});
  const IdTokenContent content{Issuer(), client->client_id, a.consent_id, a.nonce, now, now, code, a.state, {}};
  const std::string id_token = MakeIdToken(content, keys_, s_.scenario.behaviour.oidc.id_token_fault);
  RedirectWithParams(res, a.redirect_uri, '#', {{"code", code}, {"id_token", id_token}, {"state", a.state}});
}

}  // namespace bankfeed::sandbox::uk_ob
