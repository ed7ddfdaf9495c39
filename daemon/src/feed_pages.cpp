#include "daemon/src/feed_pages.hpp"

#include <grpcpp/support/slice.h>

#include <algorithm>
#include <exception>
#include <memory>
#include <utility>

#include "daemon/src/grpc_status.hpp"
#include "daemon/src/metrics.hpp"
#include "daemon/src/wire.hpp"

namespace bankfeed::daemon {

FeedPages::FeedPages(Feed& feed, Metrics& metrics) : feed_(feed), metrics_(metrics) {
  for (size_t i = 0; i < kWorkers; ++i) workers_.emplace_back([this] { Run(); });
  for (size_t i = 0; i < kServers; ++i) servers_.emplace_back([this] { RunServer(); });
}

FeedPages::~FeedPages() { Stop(); }

void FeedPages::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  work_cv_.notify_all();
  ready_cv_.notify_all();
  request_cv_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  for (std::thread& server : servers_) {
    if (server.joinable()) server.join();
  }
}

uint64_t FeedPages::GenerationOf(const std::string& tenant) const {
  const auto it = generations_.find(tenant);
  return it == generations_.end() ? 0 : it->second;
}

FeedPages::Page FeedPages::Build(const Key& key) const {
  Page page;
  auto read = feed_.Sync(key.tenant, key.cursor, key.limit, FeedReadOptions{.raw_json = key.raw_json});
  if (!read) {
    page.status = FeedReadStatus(read.error());
    return page;
  }
  page.changes = read->changes.size();
  page.next_cursor = read->next_cursor;
  page.has_more = read->has_more;
  // Written straight to the wire format (wire.hpp), into one buffer that the ByteBuffer's slice then owns.
  auto bytes = std::make_unique<std::string>();
  bytes->reserve(512 * page.changes + 128);
  AppendSyncResponse(std::move(*read), key.raw_json, *bytes);
  std::string* const owned = bytes.release();
  grpc::Slice slice(owned->data(), owned->size(), [](void* p) { delete static_cast<std::string*>(p); }, owned);
  page.bytes = grpc::ByteBuffer(&slice, 1);
  return page;
}

grpc::Status FeedPages::Serve(const std::string& tenant, const std::string& cursor, size_t limit, bool raw_json,
                              grpc::ByteBuffer& out) {
  const Key key{tenant, cursor, limit, raw_json};
  std::shared_ptr<Page> page;
  {
    std::unique_lock lock(mu_);
    if (const auto it = pages_.find(key); it != pages_.end() && !it->second->started) {
      // Queued but not started: built here rather than after the builds ahead of it.
      it->second->dropped = true;
      pages_.erase(it);
      std::erase(order_, key);
      std::erase(queue_, key);
    } else if (it != pages_.end()) {
      const std::shared_ptr<Page> found = it->second;
      const uint64_t generation = GenerationOf(tenant);
      // Under way: wait for it rather than read the same page twice.
      ready_cv_.wait(lock, [&] {
        return found->ready || found->dropped || stopping_ || GenerationOf(tenant) != generation;
      });
      if (const auto again = pages_.find(key); again != pages_.end() && again->second == found) {
        pages_.erase(again);
        std::erase(order_, key);
        std::erase(queue_, key);
      }
      const bool fresh = std::chrono::steady_clock::now() - found->built <= kMaxAge;
      if (found->ready && !found->dropped && found->generation == GenerationOf(tenant) && fresh) page = found;
    }
  }
  if (!page) page = std::make_shared<Page>(Build(key));
  return Deliver(key, *page, out);
}

grpc::Status FeedPages::Deliver(const Key& key, const Page& page, grpc::ByteBuffer& out) {
  if (!page.status.ok()) return page.status;
  out = page.bytes;
  metrics_.ChangesServed(page.changes);
  if (page.has_more) {
    std::lock_guard lock(mu_);
    Prefetch(Key{key.tenant, page.next_cursor, key.limit, key.raw_json});
  }
  return grpc::Status::OK;
}

std::shared_ptr<FeedPages::Page> FeedPages::TakeReady(const Key& key) {
  const auto it = pages_.find(key);
  if (it == pages_.end() || !it->second->ready) return nullptr;
  const std::shared_ptr<Page> found = it->second;
  pages_.erase(it);
  std::erase(order_, key);
  const bool fresh = std::chrono::steady_clock::now() - found->built <= kMaxAge;
  if (found->dropped || found->generation != GenerationOf(key.tenant) || !fresh) return nullptr;
  return found;
}

void FeedPages::ServeAsync(std::string tenant, std::string cursor, size_t limit, bool raw_json, grpc::ByteBuffer* out,
                           Done done) {
  Key key{std::move(tenant), std::move(cursor), limit, raw_json};
  std::shared_ptr<Page> ready;
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      ready = TakeReady(key);
      if (!ready) {
        requests_.push_back(Request{std::move(key), out, std::move(done)});
        request_cv_.notify_one();
        return;
      }
    }
  }
  grpc::Status status;
  try {
    status = ready ? Deliver(key, *ready, *out) : Serve(key.tenant, key.cursor, key.limit, key.raw_json, *out);
  } catch (const std::exception&) {
    status = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
  }
  done(status);
}

void FeedPages::RunServer() {
  std::unique_lock lock(mu_);
  for (;;) {
    request_cv_.wait(lock, [this] { return stopping_ || !requests_.empty(); });
    if (requests_.empty()) return;  // stopping, with every request answered
    Request request = std::move(requests_.front());
    requests_.pop_front();
    lock.unlock();
    grpc::Status status;
    try {
      status = Serve(request.key.tenant, request.key.cursor, request.key.limit, request.key.raw_json, *request.out);
    } catch (const std::exception&) {
      status = grpc::Status(grpc::StatusCode::INTERNAL, "internal error");
    }
    request.done(status);
    lock.lock();
  }
}

void FeedPages::Prefetch(const Key& key) {
  if (stopping_ || pages_.count(key) != 0) return;
  const auto same_kind = [&](const auto& entry) {
    const Key& k = entry.first;
    return k.tenant == key.tenant && k.limit == key.limit && k.raw_json == key.raw_json;
  };
  if (static_cast<size_t>(std::count_if(pages_.begin(), pages_.end(), same_kind)) >= kAhead) return;
  while (pages_.size() >= kMaxPages && !order_.empty()) {
    const Key oldest = order_.front();
    order_.pop_front();
    // A build under way finishes into a page nobody can find; one not started never will, so whoever waits for
    // it builds its own.
    if (const auto it = pages_.find(oldest); it != pages_.end()) {
      it->second->dropped = true;
      pages_.erase(it);
      ready_cv_.notify_all();
    }
    std::erase(queue_, oldest);
  }
  pages_.emplace(key, std::make_shared<Page>());
  order_.push_back(key);
  queue_.push_back(key);
  work_cv_.notify_one();
}

void FeedPages::Invalidate(const std::string& tenant) {
  {
    std::lock_guard lock(mu_);
    ++generations_[tenant];
    std::erase_if(pages_, [&](const auto& entry) {
      if (entry.first.tenant != tenant) return false;
      entry.second->dropped = true;
      return true;
    });
    std::erase_if(order_, [&](const Key& k) { return k.tenant == tenant; });
    std::erase_if(queue_, [&](const Key& k) { return k.tenant == tenant; });
  }
  ready_cv_.notify_all();  // waiters for the dropped pages build their own
}

void FeedPages::Run() {
  std::unique_lock lock(mu_);
  for (;;) {
    work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_) return;
    const Key key = queue_.front();
    queue_.pop_front();
    const auto it = pages_.find(key);
    if (it == pages_.end()) continue;
    const std::shared_ptr<Page> page = it->second;
    page->started = true;
    const uint64_t generation = GenerationOf(key.tenant);
    lock.unlock();
    Page built = Build(key);
    lock.lock();
    const bool dropped = page->dropped;
    *page = std::move(built);
    page->dropped = dropped;
    page->generation = generation;
    page->built = std::chrono::steady_clock::now();
    page->ready = true;
    // The page after it too, if it is still wanted (not dropped meanwhile) and fewer than kAhead are ahead.
    if (page->status.ok() && page->has_more && generation == GenerationOf(key.tenant)) {
      if (const auto now = pages_.find(key); now != pages_.end() && now->second == page) {
        Prefetch(Key{key.tenant, page->next_cursor, key.limit, key.raw_json});
      }
    }
    ready_cv_.notify_all();
  }
}

}  // namespace bankfeed::daemon
