// bankfeed/ids.hpp: deterministic canonical ids.
//
// A transaction's id is "tx_" + the first 128 bits (hex) of SHA-256 over its canonical content fields, its
// account_id and the bank's transaction_id, plus its occurrence index among identical rows. So the same input
// always gives the same ids, and twins (rows identical in every content field) get distinct ones in order.
//
// These ids are unkeyed: anyone can recompute them from a guessed IBAN or payment. A Store therefore never keeps them:
// it hands out keyed forms under its own secret, per tenant (Store::SaveAccounts, Store::KeyTransactionIds; README
// "Ids in a store are keyed"). Without a store (`bankfeed normalize`, `bankfeed fetch`) these are the ids.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "bankfeed/model.hpp"

namespace bankfeed {

// Assigns ids one transaction at a time, in order, counting occurrences among identical rows as it goes. A mapping
// calls Assign on each row as soon as it is read, while the row is still in cache; a consumer that sees rows as a
// stream (pages of one report) can keep one assigner for the whole stream. Not thread-safe.
class BANKFEED_EXPORT TransactionIdAssigner {
 public:
  TransactionIdAssigner();
  ~TransactionIdAssigner();
  TransactionIdAssigner(const TransactionIdAssigner&) = delete;
  TransactionIdAssigner& operator=(const TransactionIdAssigner&) = delete;

  // Sets t.id from t's content and how many identical rows this assigner has already seen.
  void Assign(Transaction& t);

 private:
  struct Slot {
    uint64_t key = 0;  // 0 marks an empty slot
    uint32_t count = 0;
  };
  uint32_t NextOccurrence(uint64_t content_hash);
  void Grow();

  std::string content_;  // scratch for the row's content bytes; its size is the room, not their length
  std::vector<Slot> slots_;
  size_t used_ = 0;
};

// Sets `id` on every transaction; occurrence indexes count within the span, in order. The same as one
// TransactionIdAssigner over the span.
BANKFEED_EXPORT void AssignTransactionIds(std::span<Transaction> transactions);

// The content digest that twins share (hex, 64 digits); useful for reconciliation.
BANKFEED_EXPORT std::string TransactionContentDigest(const Transaction& t);

// 32 bytes (binary) of SHA-256 over the content fields without the bank's own identifiers (transaction_id,
// entry_reference): equal for the same transaction fetched twice from a bank whose ids change between fetches, and
// for twins. The reconciler matches on it with occurrence counting.
BANKFEED_EXPORT std::string TransactionFingerprint(const Transaction& t);

// "acc_" + 32 hex digits over the account's bank identifiers (resource id, IBAN, BBAN, masked PAN, currency); without
// the resource id when it changes over time (Account::resource_id_changes).
BANKFEED_EXPORT std::string AccountIdFor(const Account& a);

}  // namespace bankfeed
