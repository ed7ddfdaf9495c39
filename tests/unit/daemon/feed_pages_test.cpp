// FeedPages (Feed.Sync's serialized pages, read ahead): what a client pages through is exactly what the library's
// Feed gives; a page read ahead is never served to another tenant, to a request with another size or raw_json
// choice, or after the tenant's data was erased; and it keeps working once stopped. ServeAsync (Feed.Sync's way,
// from gRPC's callback threads) answers a page read ahead on the calling thread and any other on its own threads.
#include "daemon/src/feed_pages.hpp"

#include <google/protobuf/util/message_differencer.h>
#include <grpcpp/impl/codegen/proto_utils.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "bankfeed/v1/feed.pb.h"
#include "daemon/src/convert.hpp"
#include "daemon/src/metrics.hpp"
#include "unit/store/store_test_util.hpp"

namespace bankfeed::daemon {
namespace {

using store::testing::D;
using store::testing::Tx;

class FeedPagesTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store_ = OpenStore();
    ASSERT_NE(store_, nullptr);
    alice_ = MakeAccount(*store_, "t1", "psu-alice", 1);
    bob_ = MakeAccount(*store_, "t1", "psu-bob", 2);
    other_tenant_ = MakeAccount(*store_, "t2", "psu-carol", 3);
    // Alternating commits, so that every page holds both customers' rows.
    for (uint64_t batch = 0; batch < 6; ++batch) {
      for (const AccountRef* ref : {&alice_, &bob_, &other_tenant_}) {
        AccountCommit c;
        c.account = *ref;
        for (uint64_t i = 0; i < 4; ++i) {
          const uint64_t n = 1000 * (ref == &alice_ ? 1 : ref == &bob_ ? 2 : 3) + 10 * batch + i;
          c.added.push_back(Tx(n, D(2025, 1, 1 + static_cast<unsigned>(batch))));
        }
        c.state.outcome = SyncOutcome::kOk;
        ASSERT_TRUE(store_->CommitAccountSync(c).has_value());
      }
    }
    feed_ = std::make_unique<Feed>(*store_);
    pages_ = std::make_unique<FeedPages>(*feed_, metrics_);
  }
  void TearDown() override {
    pages_.reset();
    feed_.reset();
  }

  static v1::SyncResponse Parse(const grpc::ByteBuffer& bytes) {
    grpc::ByteBuffer copy(bytes);
    v1::SyncResponse out;
    EXPECT_TRUE(grpc::SerializationTraits<v1::SyncResponse>::Deserialize(&copy, &out).ok());
    return out;
  }

  // The page as the library gives it, in the API's form.
  v1::SyncResponse Direct(const std::string& tenant, const std::string& cursor, size_t limit, bool raw_json) {
    auto page = feed_->Sync(tenant, cursor, limit, FeedReadOptions{.raw_json = raw_json});
    EXPECT_TRUE(page.has_value()) << page.error().ToString();
    v1::SyncResponse out;
    if (page) ToProto(std::move(*page), raw_json, out);
    return out;
  }

  v1::SyncResponse Served(const std::string& tenant, const std::string& cursor, size_t limit, bool raw_json) {
    grpc::ByteBuffer bytes;
    const grpc::Status status = pages_->Serve(tenant, cursor, limit, raw_json, bytes);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return Parse(bytes);
  }

  std::unique_ptr<Store> store_;
  AccountRef alice_, bob_, other_tenant_;
  Metrics metrics_;
  std::unique_ptr<Feed> feed_;
  std::unique_ptr<FeedPages> pages_;
};

TEST_F(FeedPagesTest, PagingGivesExactlyWhatTheFeedGives) {
  for (const bool raw_json : {false, true}) {
    std::string cursor;
    size_t changes = 0;
    for (int page = 0; page < 100; ++page) {
      const v1::SyncResponse served = Served("t1", cursor, 5, raw_json);
      // Give the read-ahead time to be used (or not): either way the bytes must be the library's page.
      const v1::SyncResponse direct = Direct("t1", cursor, 5, raw_json);
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(served, direct)) << "page " << page;
      for (const v1::Change& c : served.changes()) {
        EXPECT_EQ(c.transaction().raw_json().empty(), !raw_json);
      }
      changes += static_cast<size_t>(served.changes_size());
      cursor = served.next_cursor();
      if (!served.has_more()) break;
    }
    EXPECT_EQ(changes, 48u);
  }
}

TEST_F(FeedPagesTest, APageReadAheadIsOnlyServedToTheSameRequest) {
  const v1::SyncResponse first = Served("t1", "", 5, false);
  ASSERT_TRUE(first.has_more());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // the next page is read ahead meanwhile
  // Another tenant with this cursor: refused as the library refuses it, not served the page read ahead.
  grpc::ByteBuffer bytes;
  const grpc::Status foreign = pages_->Serve("t2", first.next_cursor(), 5, false, bytes);
  EXPECT_EQ(foreign.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(foreign.error_message().rfind("cursor", 0), 0u) << foreign.error_message();
  // Another size, or the raw JSON asked for: the page as that request gives it.
  const v1::SyncResponse bigger = Served("t1", first.next_cursor(), 7, false);
  EXPECT_EQ(bigger.changes_size(), 7);
  const v1::SyncResponse raw = Served("t1", first.next_cursor(), 5, true);
  ASSERT_GT(raw.changes_size(), 0);
  EXPECT_FALSE(raw.changes(0).transaction().raw_json().empty());
  // And the request it was read for gets it.
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(Served("t1", first.next_cursor(), 5, false),
                                                                  Direct("t1", first.next_cursor(), 5, false)));
}

TEST_F(FeedPagesTest, NothingReadAheadIsServedAfterTheCustomerIsErased) {
  const v1::SyncResponse first = Served("t1", "", 5, false);
  ASSERT_TRUE(first.has_more());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // pages after it are read ahead, with Bob's rows
  ASSERT_TRUE(store_->ForgetCustomer("t1", bob_.customer_handle).has_value());
  pages_->Invalidate("t1");
  std::string cursor = first.next_cursor();
  for (int page = 0; page < 100; ++page) {
    const v1::SyncResponse served = Served("t1", cursor, 5, false);
    for (const v1::Change& c : served.changes()) {
      EXPECT_NE(c.customer_id(), bob_.customer_handle) << "an erased customer's row was served";
    }
    cursor = served.next_cursor();
    if (!served.has_more()) break;
  }
}

TEST_F(FeedPagesTest, ServesItsOwnPagesOnceStopped) {
  const v1::SyncResponse first = Served("t1", "", 5, false);
  pages_->Stop();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(Served("t1", first.next_cursor(), 5, false),
                                                                  Direct("t1", first.next_cursor(), 5, false)));
}

TEST_F(FeedPagesTest, ConcurrentClientsEachGetTheWholeFeed) {
  std::vector<std::thread> clients;
  std::vector<size_t> seen(4, 0);
  for (size_t i = 0; i < seen.size(); ++i) {
    clients.emplace_back([&, i] {
      std::string cursor;
      for (int page = 0; page < 100; ++page) {
        grpc::ByteBuffer bytes;
        if (!pages_->Serve("t1", cursor, 3 + i % 2, i % 2 == 0, bytes).ok()) return;
        const v1::SyncResponse served = Parse(bytes);
        seen[i] += static_cast<size_t>(served.changes_size());
        cursor = served.next_cursor();
        if (!served.has_more()) break;
      }
    });
  }
  for (std::thread& t : clients) t.join();
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 48u) << "client " << i;
}

// What ServeAsync answered, and on which thread.
struct Answer {
  grpc::Status status;
  std::thread::id thread;
};

TEST_F(FeedPagesTest, ServeAsyncAnswersAPageReadAheadAtOnceAndReadsAnyOtherOnItsOwnThreads) {
  const std::thread::id caller = std::this_thread::get_id();
  std::string cursor;
  size_t changes = 0, on_caller = 0, elsewhere = 0;
  for (int page = 0; page < 100; ++page) {
    grpc::ByteBuffer bytes;
    std::promise<Answer> answered;
    pages_->ServeAsync("t1", cursor, 5, false, &bytes, [&](const grpc::Status& status) {
      answered.set_value(Answer{status, std::this_thread::get_id()});
    });
    const Answer answer = answered.get_future().get();
    ASSERT_TRUE(answer.status.ok()) << answer.status.error_message();
    (answer.thread == caller ? on_caller : elsewhere) += 1;
    if (page == 0) {
      EXPECT_NE(answer.thread, caller) << "the first page was not read ahead: not on the caller's thread";
    }
    const v1::SyncResponse served = Parse(bytes);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(served, Direct("t1", cursor, 5, false)))
        << "page " << page;
    changes += static_cast<size_t>(served.changes_size());
    cursor = served.next_cursor();
    if (!served.has_more()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(150));  // the next page is read ahead meanwhile
  }
  EXPECT_EQ(changes, 48u);
  EXPECT_GE(elsewhere, 1u);
  EXPECT_GE(on_caller, 1u) << "no page read ahead was answered at once";
}

TEST_F(FeedPagesTest, ServeAsyncAnswersEveryRequestOnceEvenWhenStoppedMeanwhile) {
  constexpr int kRequests = 12;
  std::vector<grpc::ByteBuffer> bytes(kRequests);
  std::vector<std::promise<grpc::Status>> answered(kRequests);
  std::atomic<int> calls{0};
  for (int i = 0; i < kRequests; ++i) {
    pages_->ServeAsync(i % 2 == 0 ? "t1" : "t2", "", 1 + static_cast<size_t>(i), i % 3 == 0, &bytes[i],
                       [&, i](const grpc::Status& status) {
                         ++calls;
                         answered[i].set_value(status);
                       });
  }
  pages_->Stop();  // returns once every queued request is answered
  EXPECT_EQ(calls.load(), kRequests);
  for (int i = 0; i < kRequests; ++i) {
    const grpc::Status status = answered[i].get_future().get();
    ASSERT_TRUE(status.ok()) << status.error_message();
    EXPECT_EQ(Parse(bytes[i]).changes_size(), 1 + i) << "request " << i;
  }
  // Once stopped, on the calling thread.
  grpc::ByteBuffer after;
  std::thread::id answered_on;
  pages_->ServeAsync("t1", "", 5, false, &after, [&](const grpc::Status& status) {
    EXPECT_TRUE(status.ok());
    answered_on = std::this_thread::get_id();
  });
  EXPECT_EQ(answered_on, std::this_thread::get_id());
  EXPECT_EQ(Parse(after).changes_size(), 5);
}

}  // namespace
}  // namespace bankfeed::daemon
