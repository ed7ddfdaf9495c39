#include <exception>
#include <memory>
#include <utility>

#include "daemon/src/call.hpp"
#include "daemon/src/checked_methods.hpp"
#include "daemon/src/convert.hpp"
#include "daemon/src/grpc_status.hpp"
#include "daemon/src/services.hpp"

namespace bankfeed::daemon {
namespace {

// Cursors are "bfc1" and 56 hex digits; anything much longer is refused before it is looked at.
constexpr size_t kMaxCursor = 256;

grpc::Status ReadSyncRequest(const grpc::ByteBuffer& request, v1::SyncRequest& parsed, size_t& limit) {
  if (auto s = ParseRequest(request, parsed); !s.ok()) return s;
  if (auto s = CheckPageSize(parsed.page_size(), limit); !s.ok()) return s;
  if (parsed.cursor().size() > kMaxCursor) return CursorRefused();
  return grpc::Status::OK;
}

}  // namespace

FeedService::FeedService(Core& core) : core_(core) {
  MarkMethodStreamed(1, CheckedServerStream<v1::Feed>(core_, this, 1, &FeedService::Stream));
}

grpc::ServerUnaryReactor* FeedService::Sync(grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
                                            grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto call = std::make_shared<CallLog>(core_, "Feed.Sync", *context);
  // Called once, here or on a FeedPages server thread; `response` stays alive until the reactor is finished.
  FeedPages::Done finish = [call, reactor](const grpc::Status& status) {
    call->Done(status);
    reactor->Finish(status);
  };
  grpc::Status refused;
  try {
    v1::SyncRequest parsed;
    size_t limit = 0;
    refused = call->Authenticate(*context);
    if (refused.ok()) refused = ReadSyncRequest(*request, parsed, limit);
    if (refused.ok()) {
      // A page read ahead is answered on this thread; one still to be read, on a FeedPages thread: gRPC's callback
      // threads must not block.
      core_.pages().ServeAsync(call->tenant(), std::move(*parsed.mutable_cursor()), limit, parsed.include_raw_json(),
                               response, finish);
      return reactor;
    }
  } catch (const std::exception&) {  // nothing was queued: ServeAsync answers every request it takes
    refused = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
  finish(refused);
  return reactor;
}

bool FeedService::OpenStream(const std::string& tenant) {
  std::lock_guard lock(mu_);
  int& open = streams_[tenant];
  if (open >= core_.config().streams_per_tenant) return false;
  ++open;
  core_.metrics().StreamOpened();
  return true;
}

void FeedService::CloseStream(const std::string& tenant) {
  std::lock_guard lock(mu_);
  --streams_[tenant];
  core_.metrics().StreamClosed();
}

grpc::Status FeedService::Stream(grpc::ServerContext* context, const v1::SubscribeRequest* request,
                                 grpc::internal::WriterInterface<v1::SyncResponse>* writer) {
  return RunCall(core_, context, "Feed.Subscribe", [&](const std::string& tenant) {
    size_t limit = 0;
    if (auto s = CheckPageSize(request->page_size(), limit); !s.ok()) return s;
    if (request->cursor().size() > kMaxCursor) return CursorRefused();
    if (!OpenStream(tenant)) {
      return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                          "streams: at most " + std::to_string(core_.config().streams_per_tenant) +
                              " open Subscribe streams per tenant");
    }
    struct Close {
      FeedService& self;
      const std::string& tenant;
      ~Close() { self.CloseStream(tenant); }
    } close{*this, tenant};
    std::string cursor = request->cursor();
    bool first = true;
    // A cancelled or vanished client is noticed within one wait; the daemon stopping ends the stream with OK.
    const FeedReadOptions options{.raw_json = request->include_raw_json()};
    while (!core_.stopping().load() && !context->IsCancelled()) {
      auto page = first ? core_.feed().Sync(tenant, cursor, limit, options)
                        : core_.feed().Wait(tenant, cursor, limit, std::chrono::milliseconds(500), &core_.stopping(),
                                            options);
      if (!page) return FeedReadStatus(page.error());
      if (!first && page->changes.empty()) continue;
      first = false;
      cursor = page->next_cursor;
      core_.metrics().ChangesServed(page->changes.size());
      v1::SyncResponse message;
      ToProto(std::move(*page), request->include_raw_json(), message);
      if (!writer->Write(message)) break;
    }
    return grpc::Status::OK;
  });
}

}  // namespace bankfeed::daemon
