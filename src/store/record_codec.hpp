// store/record_codec.hpp: the compact binary form of the records the store keeps (internal to src/store).
//
// The store seals these bytes with crypto::Aead, so they are never read without first passing authentication; the
// decoder is strict all the same (it is fuzzed: fuzz/fuzz_store_record.cpp), and for any input it either returns
// kInvalidInput "record: <reason>" or a record that encodes back to exactly the input bytes.
//
// Layout: a kind byte ('T' Transaction, 'F' FeedTransaction, 'A' Account, 'B' Balance, 'S' SyncState), a version
// byte (1), then the fields in declaration order:
//   integers     unsigned LEB128 varints, minimal (no redundant 0x80 continuation), at most 64 bits; signed ones
//                zigzag-mapped first;
//   strings      varint length, then the bytes (any bytes: raw_json and names pass through untouched);
//   optionals    a presence bitmap up front (little-endian, 1 byte per 8 fields), each present field in order;
//                bits beyond the record's field count must be 0;
//   Date         zigzag varint of days_since_epoch (must fit int32);
//   DateTime     zigzag varint unix_seconds, varint nanos (< 10^9), one byte fraction_digits (0..9);
//   Decimal      its canonical text (Decimal::ToString(): the scale is the number of fraction digits), which must
//                parse back to the same text;
//   Currency     three bytes: A-Z, or three zero bytes for an empty currency;
//   Money        Decimal, then Currency;
//   enums, bools one byte within range.
// A new field or a changed layout takes a new version byte; decoders keep reading the old versions.
//
// Encoding fails only for values that the types allow but the model does not (kInvalidArgument naming the field):
// a DateTime with nanos outside 0..999,999,999 or fraction_digits outside 0..9, or an enum value out of range.
#pragma once

#include <string>
#include <string_view>

#include "bankfeed/model.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/store.hpp"

namespace bankfeed::store {

inline constexpr char kRecordTransaction = 'T';
inline constexpr char kRecordFeedTransaction = 'F';
inline constexpr char kRecordAccount = 'A';
inline constexpr char kRecordBalance = 'B';
inline constexpr char kRecordSyncState = 'S';
inline constexpr unsigned char kRecordVersion = 1;

Result<std::string> EncodeTransaction(const Transaction& t);
Result<Transaction> DecodeTransaction(std::string_view bytes);

Result<std::string> EncodeFeedTransaction(const FeedTransaction& t);
// The same bytes, written into `out` (cleared first, its capacity reused: one buffer for many records). On an error
// `out` holds a partial record.
Status EncodeFeedTransactionInto(const FeedTransaction& t, std::string& out);
// `raw_json` false leaves Transaction::raw_json empty (the record is checked all the same).
Result<FeedTransaction> DecodeFeedTransaction(std::string_view bytes, bool raw_json = true);
// The same into `out` (a fresh FeedTransaction: fields the record leaves out are not reset). On an error `out` holds
// part of the record.
Status DecodeFeedTransactionInto(std::string_view bytes, FeedTransaction& out, bool raw_json = true);

Result<std::string> EncodeAccount(const Account& a);
Result<Account> DecodeAccount(std::string_view bytes);

Result<std::string> EncodeBalance(const Balance& b);
Result<Balance> DecodeBalance(std::string_view bytes);

Result<std::string> EncodeSyncState(const SyncState& s);
Result<SyncState> DecodeSyncState(std::string_view bytes);

}  // namespace bankfeed::store
