// The four services of bankfeed/v1, thin over the library: each RPC reads its request from bytes (checked_methods.hpp:
// a string that is not UTF-8 is INVALID_ARGUMENT naming the field), checks its arguments (naming the field), runs as
// the caller's tenant (call.hpp), and translates bankfeed errors (grpc_status.hpp). Another tenant's ids are
// NOT_FOUND, exactly like ids that do not exist.
#pragma once

#include <map>
#include <mutex>

#include "bankfeed/v1/accounts.grpc.pb.h"
#include "bankfeed/v1/admin.grpc.pb.h"
#include "bankfeed/v1/consents.grpc.pb.h"
#include "bankfeed/v1/feed.grpc.pb.h"
#include "daemon/src/core.hpp"

namespace bankfeed::daemon {

class ConsentsService final : public v1::Consents::Service {
 public:
  explicit ConsentsService(Core& core);
  grpc::Status StartConsent(grpc::ServerContext* context, const v1::StartConsentRequest* request,
                            v1::StartConsentResponse* response) override;
  grpc::Status CompleteConsent(grpc::ServerContext* context, const v1::CompleteConsentRequest* request,
                               v1::ConsentState* response) override;
  grpc::Status GetConsentStatus(grpc::ServerContext* context, const v1::GetConsentStatusRequest* request,
                                v1::ConsentState* response) override;
  grpc::Status RevokeConsent(grpc::ServerContext* context, const v1::RevokeConsentRequest* request,
                             v1::ConsentState* response) override;
  grpc::Status ReauthenticateConsent(grpc::ServerContext* context, const v1::ReauthenticateConsentRequest* request,
                                     v1::StartConsentResponse* response) override;

 private:
  Core& core_;
};

class AccountsService final : public v1::Accounts::Service {
 public:
  explicit AccountsService(Core& core);
  grpc::Status ListAccounts(grpc::ServerContext* context, const v1::ListAccountsRequest* request,
                            v1::ListAccountsResponse* response) override;
  grpc::Status GetBalances(grpc::ServerContext* context, const v1::GetBalancesRequest* request,
                           v1::GetBalancesResponse* response) override;

 private:
  Core& core_;
};

// Feed.Sync is a raw callback method: the response is the page FeedPages serialized (read ahead, usually), handed
// over as bytes; the wire format is the generated SyncResponse's all the same. The handler runs on a gRPC callback
// thread, which must not block: it answers there with a page read ahead, and hands a page still to be read to
// FeedPages' server threads, which finish the call.
class FeedService final : public v1::Feed::WithRawCallbackMethod_Sync<v1::Feed::Service> {
 public:
  explicit FeedService(Core& core);
  grpc::ServerUnaryReactor* Sync(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                 grpc::ByteBuffer* response) override;
  // Feed.Subscribe, registered as a checked server stream (the generated Subscribe is never called).
  grpc::Status Stream(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                      grpc::internal::WriterInterface<v1::SyncResponse>* writer);

 private:
  bool OpenStream(const std::string& tenant);
  void CloseStream(const std::string& tenant);

  Core& core_;
  std::mutex mu_;
  std::map<std::string, int> streams_;  // open Subscribe streams per tenant
};

class AdminService final : public v1::Admin::Service {
 public:
  explicit AdminService(Core& core);
  grpc::Status TriggerSync(grpc::ServerContext* context, const v1::TriggerSyncRequest* request,
                           v1::TriggerSyncResponse* response) override;
  grpc::Status GetSyncStatus(grpc::ServerContext* context, const v1::GetSyncStatusRequest* request,
                             v1::GetSyncStatusResponse* response) override;
  grpc::Status Forget(grpc::ServerContext* context, const v1::ForgetRequest* request,
                      v1::ForgetResponse* response) override;

 private:
  Core& core_;
};

// A stored record, or NOT_FOUND naming `field` when the store says kNotFound (another tenant's id included).
grpc::Status NotFoundOr(const Error& error, std::string_view field);

}  // namespace bankfeed::daemon
