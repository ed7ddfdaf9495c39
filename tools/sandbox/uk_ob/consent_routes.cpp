// Account-access consents: POST, GET and DELETE /open-banking/v3.1/aisp/account-access-consents[/{ConsentId}],
// with the client's client-credentials token (checked by Authenticate). A consent belongs to the client that
// created it; another client's is as unknown as one that does not exist.
#include "log/log.hpp"
#include "tools/sandbox/uk_ob/consent_request.hpp"
#include "tools/sandbox/uk_ob/module.hpp"

namespace bankfeed::sandbox::uk_ob {

void UkObModule::CreateConsent(ApiCall& call) {
  const auto grant = BearerGrant(call.req);
  if (!grant) return WriteError(call.res, UkRefuse(401, "UK.OBIE.Unauthorized", "Authorization: expired"));
  if (auto refused = RequiredHeaders(call.req, false)) return WriteError(call.res, *refused);
  auto request = ParseAccessConsentRequest(call.req.body);
  if (!request) return WriteError(call.res, request.error());
  if (request->expiration && request->expiration->date < s_.clock.Today()) {
    return WriteError(call.res, UkRefuse(400, "UK.OBIE.Field.Invalid", "Data.ExpirationDateTime: in the past"));
  }
  const AccessConsent consent = consents_.Add(grant->client_id, std::move(*request));
  log::Info("sandbox.uk.consent.created", {{"consent", consent.id}});
  const std::string self = std::string(kConsentsPath) + "/" + consent.id;
  call.res.set_header("Location", UkHref(self, RenderOptions()));
  JsonAnswer(call.res, 201, RenderAccessConsent(consent, {self, {}, {}, {}, {}}, RenderOptions()));
}

std::optional<AccessConsent> UkObModule::OwnConsent(ApiCall& call) {
  const auto grant = BearerGrant(call.req);
  auto consent = consents_.Get(call.req.matches[1].str());
  if (!grant || !consent || consent->client_id != grant->client_id) {
    WriteError(call.res, UkRefuse(400, "UK.OBIE.Resource.NotFound", "ConsentId: no such consent of this client"));
    return std::nullopt;
  }
  return consent;
}

void UkObModule::GetConsent(ApiCall& call) {
  const auto consent = OwnConsent(call);
  if (!consent) return;
  const std::string self = std::string(kConsentsPath) + "/" + consent->id;
  JsonAnswer(call.res, 200, RenderAccessConsent(*consent, {self, {}, {}, {}, {}}, RenderOptions()));
}

void UkObModule::DeleteConsent(ApiCall& call) {
  const auto consent = OwnConsent(call);
  if (!consent) return;
  consents_.Revoke(consent->id);
  log::Info("sandbox.uk.consent.revoked", {{"consent", consent->id}});
  call.res.status = 204;
}

}  // namespace bankfeed::sandbox::uk_ob
