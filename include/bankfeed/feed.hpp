// bankfeed/feed.hpp: the aggregated, deduplicated feed behind a cursor (docs/DESIGN.md §6).
//
// The feed is a tenant's ordered change log: `added`, `modified` and `removed` transactions. A client keeps the
// cursor of the last page it applied and asks for what came after it:
//
//   bankfeed::Feed feed(*store);
//   std::string cursor;                                   // empty: from the start
//   for (;;) {
//     auto page = feed.Sync("default", cursor, 1000);
//     if (!page) { ...page.error()... ; break; }
//     for (const auto& c : page->changes) apply(c);      // upsert added/modified, delete removed
//     cursor = page->next_cursor;                         // persist it together with what was applied
//     if (!page->has_more) break;
//   }
//
// Reading from the start reproduces the current set: each current transaction once, at its latest change, and
// removals (of rows a client may have seen earlier). The same data re-synced adds nothing.
//
// A cursor is opaque text ("bfc1" and 56 hex digits), stable across restarts and valid as long as the store lives: it
// names the store, the tenant and a position. A cursor of another store or tenant, or a corrupt one, is refused with
// kInvalidArgument "cursor: not a cursor of this feed" (one message for all, so that it never confirms that a cursor
// is genuine), never read as something else; one of this feed's cursors past its head is "cursor: ahead of the feed".
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/export.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/store.hpp"

namespace bankfeed {

inline constexpr size_t kMaxFeedPage = 10'000;

struct FeedPage {
  std::vector<FeedEntry> changes;
  std::string next_cursor;  // pass it to the next call (also when `changes` is empty)
  bool has_more = false;    // more changes are ready now
};

class BANKFEED_EXPORT Feed {
 public:
  explicit Feed(Store& store);

  // Up to `limit` changes (1..kMaxFeedPage) after `cursor` (empty: from the start). `options.raw_json` false leaves
  // each transaction's raw_json empty.
  Result<FeedPage> Sync(std::string_view tenant, std::string_view cursor, size_t limit,
                        const FeedReadOptions& options = {});

  // Like Sync, but when nothing is there yet, waits up to `timeout` for a change (woken by Notify, and checking the
  // store at least every `poll` for changes another process wrote). Returns an empty page on timeout or when `stop`
  // becomes true.
  Result<FeedPage> Wait(std::string_view tenant, std::string_view cursor, size_t limit,
                        std::chrono::milliseconds timeout, const std::atomic<bool>* stop = nullptr,
                        const FeedReadOptions& options = {});

  // Streams pages as changes arrive, starting after `cursor`, until `on_page` returns false, `stop` becomes true or
  // an error occurs (returned). `on_page` runs on the calling thread.
  Status Subscribe(std::string_view tenant, std::string_view cursor,
                   const std::function<bool(const FeedPage&)>& on_page, const std::atomic<bool>& stop,
                   size_t limit = 1000);

  // Wakes Wait and Subscribe callers of `tenant` (give it to SyncOptions::on_commit).
  void Notify(const std::string& tenant, int64_t head_seq);

  // The cursor text for a position, and back (kInvalidArgument for a corrupt or foreign cursor).
  std::string EncodeCursor(std::string_view tenant, int64_t seq) const;
  Result<int64_t> DecodeCursor(std::string_view tenant, std::string_view cursor) const;

  std::chrono::milliseconds poll = std::chrono::milliseconds(200);

 private:
  // Reads after `position` and moves it to where the page ends.
  Result<FeedPage> SyncAfter(std::string_view tenant, int64_t& position, size_t limit, const FeedReadOptions& options);

  Store& store_;
  std::string store_id_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, int64_t, std::less<>> heads_;  // latest notified head per tenant
};

}  // namespace bankfeed
