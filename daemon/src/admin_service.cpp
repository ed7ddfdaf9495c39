#include <algorithm>
#include <chrono>
#include <map>

#include "daemon/src/call.hpp"
#include "daemon/src/checked_methods.hpp"
#include "daemon/src/convert.hpp"
#include "daemon/src/grpc_status.hpp"
#include "daemon/src/scheduler.hpp"
#include "daemon/src/services.hpp"
#include "bankfeed/client.hpp"

namespace bankfeed::daemon {
namespace {

int64_t NowSeconds(const Core& core) {
  return std::chrono::duration_cast<std::chrono::seconds>(core.Now().time_since_epoch()).count();
}

}  // namespace

AdminService::AdminService(Core& core) : core_(core) {
  MarkMethodStreamed(0, CheckedUnary<v1::Admin>(core_, this, 0, &AdminService::TriggerSync));
  MarkMethodStreamed(1, CheckedUnary<v1::Admin>(core_, this, 1, &AdminService::GetSyncStatus));
  MarkMethodStreamed(2, CheckedUnary<v1::Admin>(core_, this, 2, &AdminService::Forget));
}

grpc::Status AdminService::TriggerSync(grpc::ServerContext* context, const v1::TriggerSyncRequest* request,
                                       v1::TriggerSyncResponse* response) {
  return RunCall(core_, context, "Admin.TriggerSync", [&](const std::string& tenant) {
    if (auto s = CheckPsuIpAddress(request->psu_ip_address()); !s.ok()) return s;
    const bool by_customer = !request->customer_id().empty();
    const bool by_consent = !request->consent_id().empty();
    if (by_customer == by_consent) return InvalidArgument("customer_id", "give exactly one of customer_id and consent_id");
    SyncOptions options;
    options.tenant = tenant;
    if (by_customer) {
      if (auto s = CheckCustomerId("customer_id", request->customer_id()); !s.ok()) return s;
      if (auto c = core_.store().GetCustomer(tenant, request->customer_id()); !c) {
        return NotFoundOr(c.error(), "customer_id");
      }
      options.customer_handle = request->customer_id();
    } else {
      if (auto s = CheckConsentId("consent_id", request->consent_id()); !s.ok()) return s;
      if (auto c = core_.store().LoadConsent(tenant, request->consent_id()); !c) {
        return NotFoundOr(c.error(), "consent_id");
      }
      options.consent_handle = request->consent_id();
    }
    if (!request->account_id().empty()) {
      if (!by_customer) return InvalidArgument("account_id", "needs customer_id");
      if (auto s = CheckAccountId("account_id", request->account_id()); !s.ok()) return s;
      if (auto a = core_.store().GetAccount(tenant, {request->customer_id(), request->account_id()}); !a) {
        return NotFoundOr(a.error(), "account_id");
      }
      options.account_id = request->account_id();
    }
    if (!request->psu_ip_address().empty()) options.psu_ip_address = request->psu_ip_address();
    options.refresh_accounts = request->refresh_accounts();
    options.ignore_retry_at = request->force();
    options.max_parallel = core_.config().scheduler.max_parallel;
    options.per_bank_parallel = core_.config().scheduler.per_bank_parallel;
    auto report = core_.RunSync(options, "rpc", /*wait=*/true);
    if (!report) return ToGrpcStatus(report.error());
    for (const AccountSyncResult& r : report->accounts) ToProto(r, *response->add_accounts());
    return grpc::Status::OK;
  });
}

grpc::Status AdminService::GetSyncStatus(grpc::ServerContext* context, const v1::GetSyncStatusRequest* request,
                                         v1::GetSyncStatusResponse* response) {
  return RunCall(core_, context, "Admin.GetSyncStatus", [&](const std::string& tenant) {
    if (!request->customer_id().empty()) {
      if (auto s = CheckCustomerId("customer_id", request->customer_id()); !s.ok()) return s;
      if (auto c = core_.store().GetCustomer(tenant, request->customer_id()); !c) {
        return NotFoundOr(c.error(), "customer_id");
      }
    }
    if (!request->account_id().empty()) {
      if (request->customer_id().empty()) return InvalidArgument("account_id", "needs customer_id");
      if (auto s = CheckAccountId("account_id", request->account_id()); !s.ok()) return s;
      if (auto a = core_.store().GetAccount(tenant, {request->customer_id(), request->account_id()}); !a) {
        return NotFoundOr(a.error(), "account_id");
      }
    }
    auto accounts = core_.store().ListAccounts(tenant, request->customer_id());
    if (!accounts) return ToGrpcStatus(accounts.error());
    auto consents = core_.store().ListConsents(tenant);
    if (!consents) return ToGrpcStatus(consents.error());
    std::map<std::string, const ConsentRecord*> by_handle;
    for (const ConsentRecord& c : *consents) by_handle[c.handle] = &c;
    const int64_t now_s = NowSeconds(core_);
    for (const AccountRecord& a : *accounts) {
      if (!request->account_id().empty() && a.ref.account_id != request->account_id()) continue;
      v1::AccountSyncStatus& out = *response->add_accounts();
      out.set_customer_id(a.ref.customer_handle);
      out.set_consent_id(a.consent_handle);
      out.set_account_id(a.ref.account_id);
      out.set_bank_id(a.bank_id);
      out.set_outcome(ToProto(a.state.outcome));
      out.set_detail(a.state.detail);
      if (a.state.last_attempt) ToProto(*a.state.last_attempt, *out.mutable_last_attempt());
      if (a.state.last_success) ToProto(*a.state.last_success, *out.mutable_last_success());
      if (a.state.retry_at) ToProto(*a.state.retry_at, *out.mutable_retry_at());
      if (a.state.last_booked_date) out.set_last_booked_date(a.state.last_booked_date->ToString());
      out.set_quarantined(a.state.quarantined);
      auto consent = by_handle.find(a.consent_handle);
      if (consent == by_handle.end()) continue;
      if (auto profile = core_.ProfileFor(a.bank_id); profile) {
        const QuotaLeft q = QuotaFor(consent->second->grant, a.account, profile->timezone.LocalDate(now_s));
        out.set_quota_left(q.left);
        out.set_quota_per_day(q.per_day);
        if (auto by = ReconfirmBy(consent->second->grant, *profile)) out.set_reconfirm_by(by->ToString());
      }
      if (auto next = NextRun(*consent->second, a, now_s)) ToProto(*next, *out.mutable_next_run());
    }
    return grpc::Status::OK;
  });
}

grpc::Status AdminService::Forget(grpc::ServerContext* context, const v1::ForgetRequest* request,
                                  v1::ForgetResponse* response) {
  return RunCall(core_, context, "Admin.Forget", [&](const std::string& tenant) {
    if (request->customer_id().empty() == request->psu_id().empty()) {
      return InvalidArgument("customer_id", "give exactly one of customer_id and psu_id");
    }
    std::string customer;
    if (!request->customer_id().empty()) {
      if (auto s = CheckCustomerId("customer_id", request->customer_id()); !s.ok()) return s;
      auto c = core_.store().GetCustomer(tenant, request->customer_id());
      if (!c) return NotFoundOr(c.error(), "customer_id");
      customer = c->handle;
    } else {
      if (request->psu_id().size() > 256) return InvalidArgument("psu_id", "longer than 256 characters");
      auto c = core_.store().FindCustomer(tenant, request->psu_id());
      if (!c) return NotFoundOr(c.error(), "psu_id");
      customer = c->handle;
    }
    // No sync of the customer's consents may run meanwhile: it would write rows back after the purge. This
    // daemon's own syncs are waited for here, another process's through the consents' leases (ForgetCustomer),
    // within one bound in all.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::seconds(core_.config().forget_wait_seconds);
    auto consents = core_.store().ListCustomerConsents(tenant, customer);
    if (!consents) return ToGrpcStatus(consents.error());
    std::vector<std::string> handles;
    for (const ConsentRecord& c : *consents) handles.push_back(c.handle);
    switch (core_.locks().LockUntil(handles, core_.stopping(), deadline)) {
      case ConsentLocks::Wait::kHeld: break;
      case ConsentLocks::Wait::kStopping: return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the daemon is stopping");
      case ConsentLocks::Wait::kTimedOut:
        return grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            "customer_id: this daemon is still syncing the customer's consents after " +
                                std::to_string(core_.config().forget_wait_seconds) +
                                " s; nothing revoked or deleted; retry");
    }
    const ConnectorFactory factory = [this](const std::string& bank) { return core_.ConnectorFor(bank); };
    const auto left = std::max(std::chrono::steady_clock::duration::zero(),
                               deadline - std::chrono::steady_clock::now());
    auto outcome = ForgetCustomer(core_.store(), factory, tenant, customer, request->even_if_revoke_fails(),
                                       std::chrono::duration_cast<std::chrono::milliseconds>(left));
    core_.locks().Unlock(handles);
    core_.pages().Invalidate(tenant);  // no page read ahead before the erasure may be served after it
    if (!outcome) return ToGrpcStatus(outcome.error());
    if (outcome->stopped_by) {
      const ConsentRevocation& failed = outcome->consents.back();
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "consent_id: " + failed.consent_handle + " could not be revoked at " + failed.bank_id + " (" +
                              std::string(ErrorCodeName(failed.error->code)) +
                              "); nothing deleted; retry, or set even_if_revoke_fails");
    }
    response->set_customer_id(customer);
    response->set_consents(outcome->report->consents);
    response->set_accounts(outcome->report->accounts);
    response->set_transactions(outcome->report->transactions);
    response->set_balances(outcome->report->balances);
    response->set_changes(outcome->report->changes);
    response->set_quarantined(outcome->report->quarantined);
    for (const ConsentRevocation& c : outcome->consents) {
      if (c.error) response->add_not_revoked(c.consent_handle);
    }
    return grpc::Status::OK;
  });
}

}  // namespace bankfeed::daemon
