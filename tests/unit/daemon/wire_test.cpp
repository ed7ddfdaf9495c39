// AppendSyncResponse (daemon/src/wire.hpp) writes exactly the bytes that ToProto + SerializeAsString give, over
// records with every field of the API set, a minimal one, removals, both counterparty sides, empty parties and
// pages with and without raw JSON. A field added to the API (and to ToProto) but not to the writer fails here: the
// first test checks that its records really set every field.
#include "daemon/src/wire.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "bankfeed/v1/feed.pb.h"
#include "daemon/src/convert.hpp"
#include "unit/store/store_test_util.hpp"

namespace bankfeed::daemon {
namespace {

using store::testing::AccId;
using store::testing::FullTx;
using store::testing::TxId;

FeedEntry Entry(int64_t seq, ChangeKind kind, std::optional<FeedTransaction> t) {
  FeedEntry e;
  e.seq = seq;
  e.kind = kind;
  e.customer_handle = "cu_0123456789abcdef01234567";
  e.account_id = AccId(7);
  e.transaction_id = t ? t->transaction.id : TxId(static_cast<uint64_t>(seq));
  e.transaction = std::move(t);
  return e;
}

// Every field of v1.Transaction and v1.Change set (FullTx leaves entry_reference empty).
FeedTransaction EveryField() {
  FeedTransaction f = FullTx();
  f.transaction.entry_reference = "ENTRY-1";
  return f;
}

std::string ViaMessages(const FeedPage& page, bool raw_json) {
  FeedPage copy = page;
  v1::SyncResponse message;
  ToProto(std::move(copy), raw_json, message);
  return message.SerializeAsString();
}

std::string Direct(const FeedPage& page, bool raw_json) {
  FeedPage copy = page;
  std::string out;
  AppendSyncResponse(std::move(copy), raw_json, out);
  return out;
}

TEST(DaemonWire, TheTestRecordsSetEveryFieldOfTheApi) {
  FeedPage page;
  page.changes.push_back(Entry(1, ChangeKind::kAdded, EveryField()));
  page.next_cursor = "bfc1…";
  page.has_more = true;
  v1::SyncResponse message;
  ToProto(std::move(page), /*include_raw_json=*/true, message);
  const auto every_field_set = [](const google::protobuf::Message& m) {
    const google::protobuf::Reflection* r = m.GetReflection();
    const google::protobuf::Descriptor* d = m.GetDescriptor();
    for (int i = 0; i < d->field_count(); ++i) {
      const google::protobuf::FieldDescriptor* f = d->field(i);
      if (f->is_repeated() ? r->FieldSize(m, f) == 0 : !r->HasField(m, f)) {
        ADD_FAILURE() << d->full_name() << "." << f->name() << " is not set by the test records";
      }
    }
  };
  every_field_set(message);
  ASSERT_EQ(message.changes_size(), 1);
  every_field_set(message.changes(0));
  every_field_set(message.changes(0).transaction());
  every_field_set(message.changes(0).transaction().amount());
  every_field_set(message.changes(0).transaction().creditor());
}

TEST(DaemonWire, BytesAreTheGeneratedSerializersBytes) {
  FeedTransaction credit = EveryField();  // a credit: the debtor is the counterparty
  credit.transaction.amount = store::testing::M("15.00");
  FeedTransaction minimal;
  minimal.transaction.id = TxId(2);
  FeedTransaction empty_parties = FullTx();
  empty_parties.transaction.creditor = Party{};
  empty_parties.transaction.debtor.reset();
  empty_parties.pending_transaction_id.reset();
  FeedTransaction no_parties = FullTx();
  no_parties.transaction.creditor.reset();
  no_parties.transaction.debtor.reset();

  std::vector<FeedPage> pages(4);
  pages[0].changes = {Entry(1, ChangeKind::kAdded, EveryField()), Entry(2, ChangeKind::kModified, credit),
                      Entry(3, ChangeKind::kRemoved, std::nullopt), Entry(300, ChangeKind::kAdded, minimal),
                      Entry(int64_t{1} << 40, ChangeKind::kAdded, empty_parties),
                      Entry(5, ChangeKind::kAdded, no_parties)};
  pages[0].next_cursor = "bfc1" + std::string(56, 'a');
  pages[0].has_more = true;
  pages[1].next_cursor = "bfc1" + std::string(56, 'b');  // an empty page
  pages[2].changes = {Entry(0, ChangeKind::kRemoved, std::nullopt)};  // defaults everywhere
  std::string long_remittance(100000, 'r');  // lengths past one varint byte, and past two
  FeedTransaction big = EveryField();
  big.transaction.remittance = long_remittance;
  pages[3].changes = {Entry(7, ChangeKind::kAdded, big)};
  for (size_t i = 0; i < pages.size(); ++i) {
    for (const bool raw_json : {false, true}) {
      SCOPED_TRACE(::testing::Message() << "page " << i << ", raw_json " << raw_json);
      const std::string expected = ViaMessages(pages[i], raw_json);
      EXPECT_EQ(Direct(pages[i], raw_json), expected);
    }
  }
}

TEST(DaemonWire, AppendsToWhatIsThere) {
  FeedPage page;
  page.changes = {Entry(1, ChangeKind::kAdded, EveryField())};
  std::string out = "prefix";
  AppendSyncResponse(FeedPage(page), false, out);
  EXPECT_EQ(out, "prefix" + ViaMessages(page, false));
}

}  // namespace
}  // namespace bankfeed::daemon
