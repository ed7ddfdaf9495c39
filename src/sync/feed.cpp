#include "bankfeed/feed.hpp"

#include <openssl/evp.h>

#include <array>
#include <cstring>

#include "common/text.hpp"

namespace bankfeed {
namespace {

constexpr std::string_view kCursorPrefix = "bfc1";
constexpr size_t kCursorBytes = 8 + 8 + 8 + 4;  // store, tenant, seq, check

std::array<unsigned char, 32> Sha256(std::string_view data) {
  std::array<unsigned char, 32> out{};
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

}  // namespace

Feed::Feed(Store& store) : store_(store), store_id_(store.StoreId()) {}

std::string Feed::EncodeCursor(std::string_view tenant, int64_t seq) const {
  std::array<unsigned char, kCursorBytes> bytes{};
  std::memcpy(bytes.data(), Sha256(store_id_).data(), 8);
  std::memcpy(bytes.data() + 8, Sha256(tenant).data(), 8);
  for (int i = 0; i < 8; ++i) bytes[16 + i] = static_cast<unsigned char>(static_cast<uint64_t>(seq) >> (56 - 8 * i));
  const auto check = Sha256(std::string_view(reinterpret_cast<const char*>(bytes.data()), 24));
  std::memcpy(bytes.data() + 24, check.data(), 4);
  std::string out(kCursorPrefix);
  out.resize(kCursorPrefix.size() + 2 * bytes.size());
  LowerHexInto(bytes.data(), bytes.size(), out.data() + kCursorPrefix.size());
  return out;
}

Result<int64_t> Feed::DecodeCursor(std::string_view tenant, std::string_view cursor) const {
  if (cursor.empty()) return 0;
  // One message for every cursor that is not this feed's, whatever is wrong with it: telling "another store" or
  // "another tenant" from "corrupt" would confirm to a caller that a cursor it holds is genuine.
  const auto bad = [](std::string_view why) { return MakeError(ErrorCode::kInvalidArgument, "cursor: " + std::string(why)); };
  constexpr std::string_view kNotOurs = "not a cursor of this feed";
  if (!cursor.starts_with(kCursorPrefix) || cursor.size() != kCursorPrefix.size() + 2 * kCursorBytes) {
    return bad(kNotOurs);
  }
  std::array<unsigned char, kCursorBytes> bytes{};
  for (size_t i = 0; i < kCursorBytes; ++i) {
    const int hi = LowerHexValue(cursor[kCursorPrefix.size() + 2 * i]);
    const int lo = LowerHexValue(cursor[kCursorPrefix.size() + 2 * i + 1]);
    if (hi < 0 || lo < 0) return bad(kNotOurs);
    bytes[i] = static_cast<unsigned char>(hi << 4 | lo);
  }
  const auto check = Sha256(std::string_view(reinterpret_cast<const char*>(bytes.data()), 24));
  if (std::memcmp(bytes.data() + 24, check.data(), 4) != 0 ||
      std::memcmp(bytes.data(), Sha256(store_id_).data(), 8) != 0 ||
      std::memcmp(bytes.data() + 8, Sha256(tenant).data(), 8) != 0) {
    return bad(kNotOurs);
  }
  uint64_t seq = 0;
  for (int i = 0; i < 8; ++i) seq = seq << 8 | bytes[16 + i];
  if (seq > static_cast<uint64_t>(INT64_MAX)) return bad(kNotOurs);
  auto head = store_.HeadSeq(tenant);
  if (!head) return tl::unexpected(head.error());
  if (static_cast<int64_t>(seq) > *head) return bad("ahead of the feed");
  return static_cast<int64_t>(seq);
}

Result<FeedPage> Feed::Sync(std::string_view tenant, std::string_view cursor, size_t limit,
                            const FeedReadOptions& options) {
  if (limit < 1 || limit > kMaxFeedPage) {
    return MakeError(ErrorCode::kInvalidArgument, "limit: expected 1 to " + std::to_string(kMaxFeedPage));
  }
  auto after = DecodeCursor(tenant, cursor);
  if (!after) return tl::unexpected(after.error());
  int64_t position = *after;
  return SyncAfter(tenant, position, limit, options);
}

Result<FeedPage> Feed::SyncAfter(std::string_view tenant, int64_t& position, size_t limit,
                                 const FeedReadOptions& options) {
  auto read = store_.ReadFeed(tenant, position, limit, options);
  if (!read) return tl::unexpected(read.error());
  FeedPage page;
  page.changes = std::move(read->entries);
  page.has_more = read->has_more;
  position = std::max(read->last_seq, position);
  page.next_cursor = EncodeCursor(tenant, position);
  return page;
}

Result<FeedPage> Feed::Wait(std::string_view tenant, std::string_view cursor, size_t limit,
                            std::chrono::milliseconds timeout, const std::atomic<bool>* stop,
                            const FeedReadOptions& options) {
  if (limit < 1 || limit > kMaxFeedPage) {
    return MakeError(ErrorCode::kInvalidArgument, "limit: expected 1 to " + std::to_string(kMaxFeedPage));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto after = DecodeCursor(tenant, cursor);
  if (!after) return tl::unexpected(after.error());
  int64_t position = *after;
  for (;;) {
    auto page = SyncAfter(tenant, position, limit, options);
    if (!page || !page->changes.empty() || page->has_more) return page;
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline || (stop && stop->load())) return page;
    std::unique_lock lock(mu_);
    cv_.wait_until(lock, std::min(deadline, now + poll), [&] {
      const auto h = heads_.find(tenant);
      return (stop && stop->load()) || (h != heads_.end() && h->second > position);
    });
  }
}

Status Feed::Subscribe(std::string_view tenant, std::string_view cursor,
                       const std::function<bool(const FeedPage&)>& on_page, const std::atomic<bool>& stop,
                       size_t limit) {
  std::string position(cursor);
  while (!stop.load()) {
    auto page = Wait(tenant, position, limit, std::chrono::seconds(1), &stop);
    if (!page) return tl::unexpected(page.error());
    position = page->next_cursor;
    if (!page->changes.empty() && !on_page(*page)) return {};
  }
  return {};
}

void Feed::Notify(const std::string& tenant, int64_t head_seq) {
  {
    std::lock_guard lock(mu_);
    int64_t& head = heads_[tenant];
    head = std::max(head, head_seq);
  }
  cv_.notify_all();
}

}  // namespace bankfeed
