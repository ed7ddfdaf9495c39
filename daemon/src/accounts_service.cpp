#include "daemon/src/call.hpp"
#include "daemon/src/checked_methods.hpp"
#include "daemon/src/convert.hpp"
#include "daemon/src/grpc_status.hpp"
#include "daemon/src/services.hpp"

namespace bankfeed::daemon {

AccountsService::AccountsService(Core& core) : core_(core) {
  MarkMethodStreamed(0, CheckedUnary<v1::Accounts>(core_, this, 0, &AccountsService::ListAccounts));
  MarkMethodStreamed(1, CheckedUnary<v1::Accounts>(core_, this, 1, &AccountsService::GetBalances));
}

grpc::Status AccountsService::ListAccounts(grpc::ServerContext* context, const v1::ListAccountsRequest* request,
                                           v1::ListAccountsResponse* response) {
  return RunCall(core_, context, "Accounts.ListAccounts", [&](const std::string& tenant) {
    if (!request->customer_id().empty()) {
      if (auto s = CheckCustomerId("customer_id", request->customer_id()); !s.ok()) return s;
      if (auto c = core_.store().GetCustomer(tenant, request->customer_id()); !c) {
        return NotFoundOr(c.error(), "customer_id");
      }
    }
    auto accounts = core_.store().ListAccounts(tenant, request->customer_id());
    if (!accounts) return ToGrpcStatus(accounts.error());
    for (const AccountRecord& a : *accounts) ToProto(a, *response->add_accounts());
    return grpc::Status::OK;
  });
}

grpc::Status AccountsService::GetBalances(grpc::ServerContext* context, const v1::GetBalancesRequest* request,
                                          v1::GetBalancesResponse* response) {
  return RunCall(core_, context, "Accounts.GetBalances", [&](const std::string& tenant) {
    if (auto s = CheckCustomerId("customer_id", request->customer_id()); !s.ok()) return s;
    if (auto s = CheckAccountId("account_id", request->account_id()); !s.ok()) return s;
    const AccountRef ref{request->customer_id(), request->account_id()};
    if (auto a = core_.store().GetAccount(tenant, ref); !a) return NotFoundOr(a.error(), "account_id");
    auto balances = core_.store().GetBalances(tenant, ref);
    if (!balances) return NotFoundOr(balances.error(), "account_id");
    for (const Balance& b : *balances) ToProto(b, *response->add_balances());
    return grpc::Status::OK;
  });
}

}  // namespace bankfeed::daemon
