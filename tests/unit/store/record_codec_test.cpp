// store::record_codec: exact round trips and a strict decoder.
#include "store/record_codec.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "store_test_util.hpp"

namespace bankfeed::store {
namespace {

using testing::D;
using testing::FullTx;
using testing::M;
using testing::SameFeedTransaction;
using testing::SameTransaction;

void ExpectRefused(std::string_view bytes) {
  auto t = DecodeFeedTransaction(bytes);
  ASSERT_FALSE(t.has_value()) << "accepted " << bytes.size() << " bytes";
  EXPECT_EQ(t.error().code, ErrorCode::kInvalidInput);
  EXPECT_TRUE(t.error().message.starts_with("record: ")) << t.error().message;
}

TEST(StoreRecordCodec, FullFeedTransactionRoundTripsExactly) {
  const FeedTransaction f = FullTx();
  auto bytes = EncodeFeedTransaction(f);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  EXPECT_EQ((*bytes)[0], kRecordFeedTransaction);
  EXPECT_EQ(static_cast<unsigned char>((*bytes)[1]), kRecordVersion);
  auto back = DecodeFeedTransaction(*bytes);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_TRUE(SameFeedTransaction(f, *back));
  EXPECT_EQ(back->transaction.booking_datetime->fraction_digits, 3);
  EXPECT_EQ(back->transaction.value_datetime->nanos, 999999999);
  EXPECT_EQ(back->transaction.exchange_rate->scale(), 18);
  EXPECT_EQ(back->transaction.amount.ToString(), "-1234567890.123456789");
  EXPECT_EQ(back->transaction.amount.currency.code(), "KWD");
  EXPECT_EQ(back->transaction.remittance->size(), 18u);  // the NUL byte survives
  EXPECT_EQ(*EncodeFeedTransaction(*back), *bytes);
}

// One buffer reused for several records (as the store's commit encodes them) gives each record's own bytes, whatever
// the buffer held before; a refused record leaves the buffer reusable.
TEST(StoreRecordCodec, EncodingIntoAReusedBufferGivesTheSameBytes) {
  const FeedTransaction full = FullTx();
  FeedTransaction minimal;
  minimal.transaction.id = testing::TxId(1);
  FeedTransaction bad = full;
  bad.transaction.status = static_cast<TransactionStatus>(7);
  std::string buffer = "stale bytes from an earlier record";
  const FeedTransaction* const cases[] = {&full, &minimal, &bad, &full, &minimal};
  for (const FeedTransaction* f : cases) {
    const Status into = EncodeFeedTransactionInto(*f, buffer);
    auto fresh = EncodeFeedTransaction(*f);
    ASSERT_EQ(into.has_value(), fresh.has_value());
    if (!fresh) {
      EXPECT_EQ(into.error().code, ErrorCode::kInvalidArgument);
      EXPECT_EQ(into.error().message, fresh.error().message);
      continue;
    }
    EXPECT_EQ(buffer, *fresh);
  }
}

// A reader that does not show the raw JSON skips it: every other field decodes the same, the record is checked all
// the same (every truncation still refused), and decoding into a record gives what decoding to a value gives.
TEST(StoreRecordCodec, RawJsonCanBeSkipped) {
  const FeedTransaction full = FullTx();
  ASSERT_FALSE(full.transaction.raw_json.empty());
  auto bytes = EncodeFeedTransaction(full);
  ASSERT_TRUE(bytes.has_value()) << bytes.error().message;
  auto lean = DecodeFeedTransaction(*bytes, /*raw_json=*/false);
  ASSERT_TRUE(lean.has_value()) << lean.error().message;
  EXPECT_TRUE(lean->transaction.raw_json.empty());
  FeedTransaction expected = full;
  expected.transaction.raw_json.clear();
  EXPECT_TRUE(SameFeedTransaction(expected, *lean));
  FeedTransaction into;
  ASSERT_TRUE(DecodeFeedTransactionInto(*bytes, into).has_value());
  EXPECT_TRUE(SameFeedTransaction(full, into));
  for (size_t n = 0; n < bytes->size(); ++n) {
    EXPECT_FALSE(DecodeFeedTransaction(std::string_view(*bytes).substr(0, n), false).has_value()) << n;
  }
  EXPECT_FALSE(DecodeFeedTransaction(*bytes + '\0', false).has_value());
}

TEST(StoreRecordCodec, MinimalTransactionRoundTrips) {
  Transaction t;  // everything default: empty id, empty currency, zero amount
  auto bytes = EncodeTransaction(t);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_EQ(bytes->size(), 13u) << "kind, version, 3-byte bitmap, id, status, \"0\", 3-byte currency, raw_json";
  auto back = DecodeTransaction(*bytes);
  ASSERT_TRUE(back.has_value()) << back.error().message;
  EXPECT_TRUE(SameTransaction(t, *back));
  EXPECT_TRUE(back->amount.currency.empty());
  FeedTransaction f;
  f.transaction.id = testing::TxId(1);
  auto fb = EncodeFeedTransaction(f);
  ASSERT_TRUE(fb.has_value());
  auto fback = DecodeFeedTransaction(*fb);
  ASSERT_TRUE(fback.has_value());
  EXPECT_TRUE(SameFeedTransaction(f, *fback));
  EXPECT_FALSE(fback->pending_transaction_id.has_value());
}

TEST(StoreRecordCodec, AccountBalanceAndSyncStateRoundTrip) {
  Account a = testing::SampleAccount(3, "DE89370400440532013000", "Erika Mustermann");
  a.bic = "COBADEFFXXX";
  a.masked_pan = "";
  auto ab = EncodeAccount(a);
  ASSERT_TRUE(ab.has_value());
  auto aback = DecodeAccount(*ab);
  ASSERT_TRUE(aback.has_value());
  EXPECT_EQ(aback->id, a.id);
  EXPECT_EQ(aback->iban, a.iban);
  EXPECT_EQ(aback->owner_name, a.owner_name);
  EXPECT_EQ(aback->bic, a.bic);
  EXPECT_EQ(aback->masked_pan, std::optional<std::string>(""));
  EXPECT_FALSE(aback->bban.has_value());

  Balance b = testing::SampleBalance("CLBD", "1234.5");
  b.account_id = testing::AccId(3);
  b.credit_limit_included = true;
  auto bb = EncodeBalance(b);
  ASSERT_TRUE(bb.has_value());
  auto bback = DecodeBalance(*bb);
  ASSERT_TRUE(bback.has_value());
  EXPECT_EQ(bback->type, "CLBD");
  EXPECT_EQ(bback->amount, b.amount);
  EXPECT_EQ(bback->amount.ToString(), "1234.50");
  EXPECT_EQ(bback->credit_limit_included, std::optional<bool>(true));
  EXPECT_EQ(bback->reference_date, b.reference_date);
  EXPECT_EQ(bback->last_change_datetime, b.last_change_datetime);
  EXPECT_EQ(bback->account_id, b.account_id);

  SyncState s;
  s.outcome = SyncOutcome::kRateLimited;
  s.detail = "rate_limited: retry later";
  s.last_booked_date = D(2025, 1, 30);
  s.window_from = D(2024, 12, 1);
  s.retry_at = DateTime{1738400000, 0, 0};
  s.pages = 3;
  s.fetched = -1;
  auto sb = EncodeSyncState(s);
  ASSERT_TRUE(sb.has_value());
  auto sback = DecodeSyncState(*sb);
  ASSERT_TRUE(sback.has_value());
  EXPECT_EQ(sback->outcome, s.outcome);
  EXPECT_EQ(sback->detail, s.detail);
  EXPECT_EQ(sback->last_booked_date, s.last_booked_date);
  EXPECT_EQ(sback->window_from, s.window_from);
  EXPECT_FALSE(sback->window_to.has_value());
  EXPECT_EQ(sback->retry_at, s.retry_at);
  EXPECT_EQ(sback->pages, 3);
  EXPECT_EQ(sback->fetched, -1);
}

TEST(StoreRecordCodec, EncoderRefusesValuesOutsideTheModel) {
  FeedTransaction f = FullTx();
  f.transaction.booking_datetime->nanos = 1'000'000'000;
  auto bytes = EncodeFeedTransaction(f);
  ASSERT_FALSE(bytes.has_value());
  EXPECT_EQ(bytes.error().code, ErrorCode::kInvalidArgument);
  f = FullTx();
  f.transaction.value_datetime->fraction_digits = 10;
  EXPECT_FALSE(EncodeFeedTransaction(f).has_value());
  f = FullTx();
  f.transaction.status = static_cast<TransactionStatus>(7);
  EXPECT_FALSE(EncodeFeedTransaction(f).has_value());
}

TEST(StoreRecordCodec, RefusesEveryTruncation) {
  auto bytes = EncodeFeedTransaction(FullTx());
  ASSERT_TRUE(bytes.has_value());
  for (size_t n = 0; n < bytes->size(); ++n) ExpectRefused(std::string_view(*bytes).substr(0, n));
  ExpectRefused(*bytes + '\0');  // trailing bytes
}

TEST(StoreRecordCodec, RefusesMalformedBytes) {
  auto good = EncodeFeedTransaction(FullTx());
  ASSERT_TRUE(good.has_value());
  std::string b = *good;
  b[0] = kRecordTransaction;  // another kind
  ExpectRefused(b);
  b = *good;
  b[1] = 2;  // a version this build does not know
  ExpectRefused(b);
  b = *good;
  b[2] = static_cast<char>(0x02);  // the feed record's bitmap has 1 field: bit 1 is unknown
  ExpectRefused(b);
  ExpectRefused(std::string("\xff\xff\xff\xff", 4));
  ExpectRefused("");

  // Hand-built transaction bodies: 'F' 1 | bitmap(1) | bitmap(3) | id | status | amount ...
  const std::string head = std::string("F\x01\x00\x00\x00\x00", 6);
  const std::string id = std::string("\x01", 1) + "x";
  auto with_amount = [&](std::string_view decimal, std::string_view currency, char status = 0) {
    return head + id + std::string(1, status) + std::string(1, static_cast<char>(decimal.size())) +
           std::string(decimal) + std::string(currency) + std::string("\x00", 1);
  };
  ASSERT_TRUE(DecodeFeedTransaction(with_amount("1.5", "EUR")).has_value()) << "the hand-built record is valid";
  ExpectRefused(with_amount("1.50", "EUR"));  // not canonical: trailing zero
  ExpectRefused(with_amount("+1.5", "EUR"));
  ExpectRefused(with_amount("1e5", "EUR"));
  ExpectRefused(with_amount("1.5", "eur"));
  ExpectRefused(with_amount("1.5", std::string("E\0R", 3)));
  ExpectRefused(with_amount("1.5", "EUR", 3));  // status out of range
  // A non-minimal varint for the id's length (0x81 0x00 = 1).
  ExpectRefused(head + std::string("\x81\x00", 2) + "x" + std::string("\x00\x01", 2) + "1" + "EUR" +
                std::string("\x00", 1));
  // A length beyond the input.
  ExpectRefused(head + std::string("\x7f", 1) + "x");
  // An 11-byte varint.
  ExpectRefused(head + std::string(10, '\xff') + std::string("\x01", 1));
}

TEST(StoreRecordCodec, ReencodingAnAcceptedMutationGivesTheSameBytes) {
  auto good = EncodeFeedTransaction(FullTx());
  ASSERT_TRUE(good.has_value());
  // Flip each bit in turn: whatever is accepted must be canonical (the fuzz target checks the same).
  for (size_t i = 0; i < good->size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      std::string b = *good;
      b[i] = static_cast<char>(b[i] ^ (1 << bit));
      auto t = DecodeFeedTransaction(b);
      if (!t) {
        EXPECT_EQ(t.error().code, ErrorCode::kInvalidInput);
        continue;
      }
      auto again = EncodeFeedTransaction(*t);
      ASSERT_TRUE(again.has_value());
      EXPECT_EQ(*again, b) << "byte " << i << " bit " << bit;
    }
  }
}

// The fuzz seeds (fuzz/corpus/store_record) are records of the current format: each decodes under its kind and
// encodes back to the same bytes, except the two broken on purpose.
TEST(StoreRecordCodec, FuzzSeedsAreCurrentRecords) {
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(BANKFEED_STORE_CORPUS)) {
    const std::string name = entry.path().filename().string();
    const std::string bytes = testing::ReadAll(entry.path().string());
    ++seen;
    bool ok = false;
    if (name.starts_with("feed-")) {
      auto r = DecodeFeedTransaction(bytes);
      ok = r && *EncodeFeedTransaction(*r) == bytes;
    } else if (name.starts_with("transaction-")) {
      auto r = DecodeTransaction(bytes);
      ok = r && *EncodeTransaction(*r) == bytes;
    } else if (name == "account") {
      auto r = DecodeAccount(bytes);
      ok = r && *EncodeAccount(*r) == bytes;
    } else if (name == "balance") {
      auto r = DecodeBalance(bytes);
      ok = r && *EncodeBalance(*r) == bytes;
    } else if (name == "sync-state") {
      auto r = DecodeSyncState(bytes);
      ok = r && *EncodeSyncState(*r) == bytes;
    }
    const bool broken = name == "feed-truncated" || name == "feed-bad-bitmap";
    EXPECT_EQ(ok, !broken) << name;
  }
  EXPECT_GE(seen, 9);
}

}  // namespace
}  // namespace bankfeed::store
