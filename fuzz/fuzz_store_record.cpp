// Fuzzes the SQLite store's record decoder (src/store/record_codec.hpp): the bytes go through every record kind's
// decoder. A refusal is kInvalidInput "record: ...". An accepted input is canonical: encoding the decoded record
// gives back the input byte for byte, so no two byte strings decode to the same record and nothing is dropped. The
// seeds (corpus/store_record) are encoded sample records of each kind, made by the store's unit tests' data.
#include "fuzz_common.hpp"

#include "store/record_codec.hpp"

namespace fuzz_store_record {

namespace store = bankfeed::store;
using bankfeed::fuzz::Check;

template <class T, class Encode>
void CheckDecoded(const bankfeed::Result<T>& decoded, Encode encode, std::string_view input) {
  if (!decoded) {
    Check(decoded.error().code == bankfeed::ErrorCode::kInvalidInput &&
          decoded.error().message.starts_with("record: "));
    return;
  }
  const auto again = encode(*decoded);
  Check(again.has_value() && *again == input);
}

void CheckTransaction(const bankfeed::Transaction& t) {
  if (!t.amount.currency.empty()) bankfeed::fuzz::CheckMoney(t.amount);
  if (t.original_amount && !t.original_amount->currency.empty()) bankfeed::fuzz::CheckMoney(*t.original_amount);
  for (const auto* dt : {&t.booking_datetime, &t.value_datetime}) {
    if (*dt) Check((*dt)->nanos >= 0 && (*dt)->nanos <= 999'999'999 && (*dt)->fraction_digits <= 9);
  }
}

BANKFEED_FUZZ_TARGET(store_record) {
  const std::string_view input = bankfeed::fuzz::AsText(data, size);

  const auto feed = store::DecodeFeedTransaction(input);
  CheckDecoded(feed, store::EncodeFeedTransaction, input);
  if (feed) CheckTransaction(feed->transaction);
  const auto tx = store::DecodeTransaction(input);
  CheckDecoded(tx, store::EncodeTransaction, input);
  if (tx) CheckTransaction(*tx);
  CheckDecoded(store::DecodeAccount(input), store::EncodeAccount, input);
  CheckDecoded(store::DecodeBalance(input), store::EncodeBalance, input);
  CheckDecoded(store::DecodeSyncState(input), store::EncodeSyncState, input);
  // At most one kind accepts any input: the first byte names it.
  Check(static_cast<int>(feed.has_value()) + static_cast<int>(tx.has_value()) <= 1);
  return 0;
}

}  // namespace fuzz_store_record
