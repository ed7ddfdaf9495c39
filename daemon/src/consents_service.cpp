#include <filesystem>

#include "adapters/common/url.hpp"
#include "daemon/src/call.hpp"
#include "daemon/src/checked_methods.hpp"
#include "daemon/src/convert.hpp"
#include "daemon/src/grpc_status.hpp"
#include "daemon/src/services.hpp"

namespace bankfeed::daemon {
namespace {

// Printable ASCII of sensible length: PSU ids and IBANs travel in HTTP headers and bodies.
bool ValidHeaderValue(std::string_view v, size_t max) {
  if (v.empty() || v.size() > max) return false;
  for (char c : v) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

// redirect_uri: the caller's, an https URL, or the configured tpp.redirect_uri when they give none.
grpc::Status RedirectUri(const std::string& asked, const Core& core, std::string& out) {
  if (!asked.empty()) {
    auto url = adapters::ParseUrl(asked, "redirect_uri");
    if (!url || url->scheme != "https") return InvalidArgument("redirect_uri", "expected an https URL");
  }
  out = asked.empty() ? core.config().client.redirect_uri : asked;
  return grpc::Status::OK;
}

grpc::Status ReadRequest(const v1::StartConsentRequest& in, const Core& core, ConsentRequest& out) {
  switch (in.scope()) {
    case v1::StartConsentRequest::SCOPE_UNSPECIFIED:
    case v1::StartConsentRequest::SCOPE_ALL_ACCOUNTS: out.scope = ConsentRequest::Scope::kAllAccounts; break;
    case v1::StartConsentRequest::SCOPE_ACCOUNTS_ONLY: out.scope = ConsentRequest::Scope::kAccountsOnly; break;
    case v1::StartConsentRequest::SCOPE_LISTED_ACCOUNTS: out.scope = ConsentRequest::Scope::kListedAccounts; break;
    default: return InvalidArgument("scope", "unknown value");
  }
  if (out.scope == ConsentRequest::Scope::kListedAccounts && in.ibans().empty()) {
    return InvalidArgument("ibans", "SCOPE_LISTED_ACCOUNTS needs at least one IBAN");
  }
  if (in.has_permissions()) {
    const v1::ConsentPermissions& p = in.permissions();
    out.permissions = ConsentPermissions{p.account_details(), p.balances(),   p.transactions(),
                                         p.transaction_details(), p.credits(), p.debits()};
  }
  for (int i = 0; i < in.ibans_size(); ++i) {
    if (!ValidHeaderValue(in.ibans(i), 34)) return InvalidArgument("ibans[" + std::to_string(i) + "]", "not an IBAN");
    out.ibans.push_back(in.ibans(i));
  }
  if (in.approach() != v1::SCA_APPROACH_UNSPECIFIED) {
    out.approach = FromProto(in.approach());
    if (!out.approach) return InvalidArgument("approach", "unknown value");
  }
  const int64_t today = std::chrono::duration_cast<std::chrono::seconds>(core.Now().time_since_epoch()).count() / 86400;
  if (in.valid_until().empty()) {
    out.valid_until = Date{static_cast<int32_t>(today + 90)};  // the common PSD2 maximum without renewed SCA
  } else {
    auto date = Date::Parse(in.valid_until());
    if (!date) return InvalidArgument("valid_until", "expected YYYY-MM-DD");
    if (date->days_since_epoch < today) return InvalidArgument("valid_until", "in the past");
    out.valid_until = *date;
  }
  if (in.frequency_per_day() < 0 || in.frequency_per_day() > 100) {
    return InvalidArgument("frequency_per_day", "expected 1 to 100 (0: 4)");
  }
  out.frequency_per_day = in.frequency_per_day() == 0 ? 4 : in.frequency_per_day();
  out.recurring = !in.one_off();
  return RedirectUri(in.redirect_uri(), core, out.redirect_uri);
}

PsuContext Psu(const std::string& psu_id, const std::string& ip) {
  PsuContext psu;
  psu.psu_id = psu_id;
  if (!ip.empty()) psu.ip_address = ip;
  return psu;
}

// What the customer does next, for a consent started or authorised again.
void FillStarted(const ConsentRecord& record, const ScaStep& step, v1::StartConsentResponse& out) {
  out.set_consent_id(record.handle);
  out.set_customer_id(record.customer_handle);
  out.set_approach(ToProto(step.approach));
  out.set_status(ToProto(step.status));
  if (step.redirect_url) out.set_sca_url(*step.redirect_url);
  if (step.psu_message) out.set_psu_message(*step.psu_message);
}

void FillState(const ConsentRecord& record, v1::ConsentState& out) {
  out.set_consent_id(record.handle);
  out.set_customer_id(record.customer_handle);
  out.set_bank_id(record.bank_id);
  out.set_status(ToProto(record.grant.status));
}

// Runs `action` on the tenant's stored consent, with the consent locked against a concurrent sync, and saves the
// grant afterwards whatever the outcome (tokens may have moved).
grpc::Status WithConsent(Core& core, const std::string& tenant, const std::string& handle,
                         const std::function<grpc::Status(Connector&, ConsentRecord&)>& action) {
  if (auto s = CheckConsentId("consent_id", handle); !s.ok()) return s;
  if (!core.locks().Lock({handle}, core.stopping())) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the daemon is stopping");
  }
  struct Unlock {
    Core& core;
    const std::string& handle;
    ~Unlock() { core.locks().Unlock({handle}); }
  } unlock{core, handle};
  // And against another process on the store (a `bankfeed sync`, a CLI consent command).
  auto lease = core.store().TryLeaseConsent(tenant, handle);
  if (!lease) return NotFoundOr(lease.error(), "consent_id");
  if (*lease == nullptr) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "consent_id: busy (another process is syncing or updating it)");
  }
  auto record = core.store().LoadConsent(tenant, handle);
  if (!record) return NotFoundOr(record.error(), "consent_id");
  auto connector = core.ConnectorFor(record->bank_id);
  if (!connector) return ToGrpcStatus(connector.error());
  grpc::Status status = action(**connector, *record);
  if (auto saved = core.store().SaveConsent(*record); !saved) return ToGrpcStatus(saved.error());
  return status;
}

}  // namespace

ConsentsService::ConsentsService(Core& core) : core_(core) {
  MarkMethodStreamed(0, CheckedUnary<v1::Consents>(core_, this, 0, &ConsentsService::StartConsent));
  MarkMethodStreamed(1, CheckedUnary<v1::Consents>(core_, this, 1, &ConsentsService::CompleteConsent));
  MarkMethodStreamed(2, CheckedUnary<v1::Consents>(core_, this, 2, &ConsentsService::GetConsentStatus));
  MarkMethodStreamed(3, CheckedUnary<v1::Consents>(core_, this, 3, &ConsentsService::RevokeConsent));
  MarkMethodStreamed(4, CheckedUnary<v1::Consents>(core_, this, 4, &ConsentsService::ReauthenticateConsent));
}

grpc::Status ConsentsService::StartConsent(grpc::ServerContext* context, const v1::StartConsentRequest* request,
                                           v1::StartConsentResponse* response) {
  return RunCall(core_, context, "Consents.StartConsent", [&](const std::string& tenant) {
    if (!IsProfileId(request->bank_id())) return InvalidArgument("bank_id", "expected a bank profile id");
    const auto profile = std::filesystem::path(core_.config().client.profiles_dir) / (request->bank_id() + ".yaml");
    if (!std::filesystem::exists(profile)) {
      return grpc::Status(grpc::StatusCode::NOT_FOUND, "bank_id: no such bank profile");
    }
    if (!ValidHeaderValue(request->psu_id(), 256)) {
      return InvalidArgument("psu_id", "required: 1 to 256 printable ASCII characters");
    }
    if (auto s = CheckPsuIpAddress(request->psu_ip_address()); !s.ok()) return s;
    ConsentRequest consent;
    if (auto s = ReadRequest(*request, core_, consent); !s.ok()) return s;
    auto connector = core_.ConnectorFor(request->bank_id());
    if (!connector) return ToGrpcStatus(connector.error());
    ConsentRecord record;
    record.tenant = tenant;
    record.bank_id = request->bank_id();
    auto step = (*connector)->StartConsent(consent, Psu(request->psu_id(), request->psu_ip_address()), record.grant);
    if (!step) return ToGrpcStatus(step.error());
    // Only now, with a consent the bank accepted: a refused start stores nothing about the customer.
    auto customer = core_.store().EnsureCustomer(tenant, request->psu_id());
    if (!customer) return ToGrpcStatus(customer.error());
    record.customer_handle = customer->handle;
    auto handle = core_.store().SaveConsent(record);
    if (!handle) return ToGrpcStatus(handle.error());
    record.handle = *handle;
    FillStarted(record, *step, *response);
    return grpc::Status::OK;
  });
}

grpc::Status ConsentsService::CompleteConsent(grpc::ServerContext* context, const v1::CompleteConsentRequest* request,
                                              v1::ConsentState* response) {
  return RunCall(core_, context, "Consents.CompleteConsent", [&](const std::string& tenant) {
    if (auto s = CheckPsuIpAddress(request->psu_ip_address()); !s.ok()) return s;
    if (request->callback_url().size() > 8192) return InvalidArgument("callback_url", "longer than 8192 characters");
    return WithConsent(core_, tenant, request->consent_id(), [&](Connector& connector, ConsentRecord& record) {
      auto params = ParseCallbackUrl(request->callback_url());
      if (!params) return ToGrpcStatus(params.error());
      auto status =
          connector.CompleteConsent(record.grant, *params, Psu(record.grant.psu_id, request->psu_ip_address()));
      if (!status) return ToGrpcStatus(status.error());
      FillState(record, *response);
      return grpc::Status::OK;
    });
  });
}

grpc::Status ConsentsService::GetConsentStatus(grpc::ServerContext* context, const v1::GetConsentStatusRequest* request,
                                               v1::ConsentState* response) {
  return RunCall(core_, context, "Consents.GetConsentStatus", [&](const std::string& tenant) {
    return WithConsent(core_, tenant, request->consent_id(), [&](Connector& connector, ConsentRecord& record) {
      auto consent = connector.GetConsent(record.grant);
      if (!consent) return ToGrpcStatus(consent.error());
      FillState(record, *response);
      if (consent->status) response->set_status(ToProto(*consent->status));
      if (consent->valid_until) response->set_valid_until(consent->valid_until->ToString());
      if (consent->frequency_per_day) response->set_frequency_per_day(*consent->frequency_per_day);
      return grpc::Status::OK;
    });
  });
}

grpc::Status ConsentsService::RevokeConsent(grpc::ServerContext* context, const v1::RevokeConsentRequest* request,
                                            v1::ConsentState* response) {
  return RunCall(core_, context, "Consents.RevokeConsent", [&](const std::string& tenant) {
    return WithConsent(core_, tenant, request->consent_id(), [&](Connector& connector, ConsentRecord& record) {
      auto revoked = connector.RevokeConsent(record.grant);
      if (!revoked) return ToGrpcStatus(revoked.error());
      FillState(record, *response);
      return grpc::Status::OK;
    });
  });
}

// The CLI's `consent reauth`: a new authorisation of the same consent at the bank, which CompleteConsent finishes.
grpc::Status ConsentsService::ReauthenticateConsent(grpc::ServerContext* context,
                                                    const v1::ReauthenticateConsentRequest* request,
                                                    v1::StartConsentResponse* response) {
  return RunCall(core_, context, "Consents.ReauthenticateConsent", [&](const std::string& tenant) {
    if (auto s = CheckPsuIpAddress(request->psu_ip_address()); !s.ok()) return s;
    std::string redirect_uri;
    if (auto s = RedirectUri(request->redirect_uri(), core_, redirect_uri); !s.ok()) return s;
    return WithConsent(core_, tenant, request->consent_id(), [&](Connector& connector, ConsentRecord& record) {
      if (record.grant.status != ConsentStatus::kValid) {
        return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                            "consent_id: not valid (" + std::string(ConsentStatusName(record.grant.status)) +
                                "); start a new consent");
      }
      // Elsewhere a start on a valid grant would replace the bank's consent, not authorise it again.
      if (connector.profile().sca.reconfirm_days <= 0) {
        return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                            "consent_id: bank " + record.bank_id +
                                " has no reconfirmation rule (sca.reconfirm_days): its consents are not authorised "
                                "again; start a new consent");
      }
      ConsentRequest again = record.grant.request;
      again.redirect_uri = redirect_uri;
      auto step = connector.StartConsent(again, Psu(record.grant.psu_id, request->psu_ip_address()), record.grant);
      if (!step) return ToGrpcStatus(step.error());
      FillStarted(record, *step, *response);
      return grpc::Status::OK;
    });
  });
}

grpc::Status NotFoundOr(const Error& error, std::string_view field) {
  if (error.code == ErrorCode::kNotFound) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, std::string(field) + ": not found");
  }
  return ToGrpcStatus(error);
}

}  // namespace bankfeed::daemon
