// Feed.Sync's pages, serialized, with the next page read ahead.
//
// A client paging through the feed asks for page N+1 as soon as it has page N; the two sides then wait on each
// other (the daemon reads, decrypts and encodes while the client idles, and the other way round). So when a page
// has more after it, the next one (same tenant, size and raw_json choice, starting at its next_cursor) is built in
// the background while the client is busy with this one, and then the one after it, up to kAhead pages ahead (one
// after the other: where a page starts is known once the page before it is read). The request for a page takes it
// ready, or waits for the build under way rather than starting a second one. kWorkers threads build, so that
// concurrent clients do not queue behind each other.
//
// Why a page read ahead is still a right answer: the feed is a log ordered by sequence, and a cursor is a position
// in it. A page read a moment earlier is what the same request would have got a moment earlier; whatever changed
// since comes after it in the log, so the client sees it on a later page (a row modified meanwhile comes again, as
// `modified`). The one thing that must not be served from memory is erased data: Invalidate(tenant) (Admin.Forget
// calls it once the rows are gone) drops the tenant's pages and any build under way, and a page is never kept
// longer than kMaxAge (which bounds the window for a `bankfeed forget` run by another process on the same store).
//
// Memory: at most kMaxPages pages are kept (the oldest is dropped); kWorkers builds run at a time.
//
// Threads: Feed.Sync runs on gRPC's callback threads, which must not block. ServeAsync answers there only with a
// page that is ready; a page that must still be read (or whose read-ahead is under way) is served by one of
// kServers threads, which then calls back.
#pragma once

#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bankfeed/feed.hpp"

namespace bankfeed::daemon {

class Metrics;

class FeedPages {
 public:
  static constexpr size_t kMaxPages = 4;
  static constexpr size_t kAhead = 2;    // pages read ahead of the one a client has, per tenant/size/raw_json
  static constexpr size_t kWorkers = 2;  // the store has as many feed connections
  static constexpr size_t kServers = 4;  // for requests whose page is not ready (they mostly wait on the store)
  static constexpr std::chrono::seconds kMaxAge{2};

  FeedPages(Feed& feed, Metrics& metrics);
  ~FeedPages();  // Stop()
  FeedPages(const FeedPages&) = delete;
  FeedPages& operator=(const FeedPages&) = delete;

  // The serialized v1.SyncResponse for the tenant's changes after `cursor`, or the status to answer with
  // (INVALID_ARGUMENT for a corrupt or foreign cursor, …). Counts the changes served.
  grpc::Status Serve(const std::string& tenant, const std::string& cursor, size_t limit, bool raw_json,
                     grpc::ByteBuffer& out);

  // The same without blocking the calling thread: `done` gets the status, with `*out` set, on this thread when the
  // page is ready, else on a server thread once it is read. `out` must stay alive until then. Once stopped, the
  // page is read on this thread.
  using Done = std::function<void(const grpc::Status&)>;
  void ServeAsync(std::string tenant, std::string cursor, size_t limit, bool raw_json, grpc::ByteBuffer* out,
                  Done done);

  // Drops the tenant's pages, including a build under way (its result is thrown away).
  void Invalidate(const std::string& tenant);

  // Ends the background threads (builds under way finish first, and so do the requests waiting for a server
  // thread); Serve then builds every page itself.
  void Stop();

 private:
  struct Key {
    std::string tenant, cursor;
    size_t limit;
    bool raw_json;
    auto operator<=>(const Key&) const = default;
  };
  struct Page {
    bool started = false;  // a worker is building it (a request finding it queued builds it itself instead)
    bool ready = false;
    bool dropped = false;  // taken out of pages_ before it was served (evicted, or its tenant invalidated)
    grpc::Status status;
    grpc::ByteBuffer bytes;
    size_t changes = 0;
    std::string next_cursor;
    bool has_more = false;
    uint64_t generation = 0;  // the tenant's generation when the build started
    std::chrono::steady_clock::time_point built;
  };

  struct Request {
    Key key;
    grpc::ByteBuffer* out;
    Done done;
  };

  // Reads and encodes one page (no lock held).
  Page Build(const Key& key) const;
  // Serves a page that is ready, taking it (mu_ held); null when there is none to serve.
  std::shared_ptr<Page> TakeReady(const Key& key);
  // A page's bytes to `out`, counted, and the next page queued (mu_ not held).
  grpc::Status Deliver(const Key& key, const Page& page, grpc::ByteBuffer& out);
  // Queues the build of `key` unless it is there already or kAhead pages of its kind are (mu_ held).
  void Prefetch(const Key& key);
  void Run();
  void RunServer();
  uint64_t GenerationOf(const std::string& tenant) const;  // mu_ held

  Feed& feed_;
  Metrics& metrics_;
  std::mutex mu_;
  std::condition_variable work_cv_;     // a build was queued, or Stop (wakes the workers)
  std::condition_variable ready_cv_;    // a build finished, pages were dropped, or Stop (wakes Serve)
  std::map<Key, std::shared_ptr<Page>> pages_;  // ready or being built
  std::deque<Key> queue_;               // builds not started, oldest first
  std::deque<Request> requests_;        // ServeAsync requests waiting for a server thread, oldest first
  std::condition_variable request_cv_;  // a request was queued, or Stop (wakes the servers)
  std::deque<Key> order_;               // keys of pages_, oldest first (for the cap)
  std::map<std::string, uint64_t, std::less<>> generations_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
  std::vector<std::thread> servers_;
};

}  // namespace bankfeed::daemon
