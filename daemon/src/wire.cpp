#include "daemon/src/wire.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/wire_format_lite.h>

#include <cstdint>

#include "bankfeed/v1/feed.pb.h"
#include "bankfeed/v1/types.pb.h"
#include "daemon/src/convert.hpp"

namespace bankfeed::daemon {
namespace {

using google::protobuf::internal::WireFormatLite;

// Appends fields to a string, as the generated serializer writes them: proto3 defaults (empty strings, zero
// numbers and enums, false) are left out; a nested message is written whenever it is present, even if empty.
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void String(int field, std::string_view s) {
    if (s.empty()) return;
    Tag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
    Varint(s.size());
    out_.append(s);
  }
  void Optional(int field, const OptString& s) {
    if (s) String(field, *s);
  }
  void Enum(int field, int value) {
    if (value == 0) return;
    Tag(field, WireFormatLite::WIRETYPE_VARINT);
    Varint(static_cast<uint64_t>(static_cast<int64_t>(value)));  // negative values take ten bytes, as protobuf writes them
  }
  void Int64(int field, int64_t value) {
    if (value == 0) return;
    Tag(field, WireFormatLite::WIRETYPE_VARINT);
    Varint(static_cast<uint64_t>(value));
  }
  void Bool(int field, bool value) {
    if (!value) return;
    Tag(field, WireFormatLite::WIRETYPE_VARINT);
    Varint(1);
  }
  // A nested message whose bytes are `body`.
  void Message(int field, std::string_view body) {
    Tag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED);
    Varint(body.size());
    out_.append(body);
  }

 private:
  void Tag(int field, WireFormatLite::WireType type) { Varint(WireFormatLite::MakeTag(field, type)); }
  void Varint(uint64_t value) {
    uint8_t buf[10];  // a 64-bit varint's most
    const uint8_t* end = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(value, buf);
    out_.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(end - buf));
  }

  std::string& out_;
};

// Scratch buffers for the nested messages of one change, reused from change to change.
struct Scratch {
  std::string change, transaction, money, creditor, debtor;
};

const std::string& MoneyBytes(const Money& m, std::string& out) {
  out.clear();
  Writer w(out);
  w.String(v1::Money::kAmountFieldNumber, m.ToString());
  w.String(v1::Money::kCurrencyFieldNumber, m.currency.code());
  return out;
}

const std::string& PartyBytes(const Party& p, std::string& out) {
  out.clear();
  Writer w(out);
  w.Optional(v1::Party::kNameFieldNumber, p.name);
  w.Optional(v1::Party::kIbanFieldNumber, p.iban);
  w.Optional(v1::Party::kBbanFieldNumber, p.bban);
  w.Optional(v1::Party::kBicFieldNumber, p.bic);
  w.Optional(v1::Party::kMaskedPanFieldNumber, p.masked_pan);
  w.Optional(v1::Party::kUltimateNameFieldNumber, p.ultimate_name);
  return out;
}

template <class T>
void Text(Writer& w, int field, const std::optional<T>& value) {
  if (value) w.String(field, value->ToString());
}

void TransactionBytes(const Transaction& t, bool include_raw_json, Scratch& s) {
  using T = v1::Transaction;
  s.transaction.clear();
  Writer w(s.transaction);
  w.String(T::kIdFieldNumber, t.id);
  w.Optional(T::kAccountIdFieldNumber, t.account_id);
  w.Enum(T::kStatusFieldNumber, ToProto(t.status));
  w.Message(T::kAmountFieldNumber, MoneyBytes(t.amount, s.money));
  Text(w, T::kBookingDateFieldNumber, t.booking_date);
  Text(w, T::kValueDateFieldNumber, t.value_date);
  Text(w, T::kTransactionDateFieldNumber, t.transaction_date);
  Text(w, T::kBookingDatetimeFieldNumber, t.booking_datetime);
  Text(w, T::kValueDatetimeFieldNumber, t.value_datetime);
  w.Optional(T::kBankTransactionIdFieldNumber, t.transaction_id);
  w.Optional(T::kEntryReferenceFieldNumber, t.entry_reference);
  w.Optional(T::kEndToEndIdFieldNumber, t.end_to_end_id);
  w.Optional(T::kMandateIdFieldNumber, t.mandate_id);
  w.Optional(T::kCreditorIdFieldNumber, t.creditor_id);
  if (t.creditor) w.Message(T::kCreditorFieldNumber, PartyBytes(*t.creditor, s.creditor));
  if (t.debtor) w.Message(T::kDebtorFieldNumber, PartyBytes(*t.debtor, s.debtor));
  // The counterparty is one of the two (Transaction::Counterparty), written again as it is.
  const std::optional<Party>& counterparty = t.Counterparty();
  if (counterparty.has_value()) {
    w.Message(T::kCounterpartyFieldNumber, &counterparty == &t.creditor ? s.creditor : s.debtor);
  }
  w.Optional(T::kRemittanceFieldNumber, t.remittance);
  w.Optional(T::kRemittanceReferenceFieldNumber, t.remittance_reference);
  w.Optional(T::kBankTransactionCodeFieldNumber, t.bank_transaction_code);
  w.Optional(T::kProprietaryCodeFieldNumber, t.proprietary_code);
  w.Optional(T::kMerchantCategoryCodeFieldNumber, t.merchant_category_code);
  if (t.original_amount) w.Message(T::kOriginalAmountFieldNumber, MoneyBytes(*t.original_amount, s.money));
  Text(w, T::kExchangeRateFieldNumber, t.exchange_rate);
  if (include_raw_json) w.String(T::kRawJsonFieldNumber, t.raw_json);
}

void ChangeBytes(const FeedEntry& e, bool include_raw_json, Scratch& s) {
  using C = v1::Change;
  s.change.clear();
  Writer w(s.change);
  w.Enum(C::kKindFieldNumber, ToProto(e.kind));
  w.String(C::kCustomerIdFieldNumber, e.customer_handle);
  w.String(C::kAccountIdFieldNumber, e.account_id);
  w.String(C::kTransactionIdFieldNumber, e.transaction_id);
  if (e.transaction) {
    TransactionBytes(e.transaction->transaction, include_raw_json, s);
    w.Message(C::kTransactionFieldNumber, s.transaction);
    w.Optional(C::kPendingTransactionIdFieldNumber, e.transaction->pending_transaction_id);
  }
  w.Int64(C::kSequenceFieldNumber, e.seq);
}

}  // namespace

void AppendSyncResponse(FeedPage&& page, bool include_raw_json, std::string& out) {
  Writer w(out);
  Scratch scratch;
  for (const FeedEntry& e : page.changes) {
    ChangeBytes(e, include_raw_json, scratch);
    w.Message(v1::SyncResponse::kChangesFieldNumber, scratch.change);
  }
  w.String(v1::SyncResponse::kNextCursorFieldNumber, page.next_cursor);
  w.Bool(v1::SyncResponse::kHasMoreFieldNumber, page.has_more);
  page.changes.clear();
}

}  // namespace bankfeed::daemon
