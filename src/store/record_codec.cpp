// The store's binary record format. See store/record_codec.hpp for the layout.
//
// Each record's fields are listed once, in a template run by both the Writer and the Reader, so the two cannot
// drift apart. Both keep the first error and ignore everything after it; the Reader never reads past its input and
// never allocates more than the input's size.
#include "store/record_codec.hpp"

#include <cstdint>
#include <optional>
#include <utility>

namespace bankfeed::store {
namespace {

template <class IO, class P>
void PartyFields(IO& io, P& p) {
  auto bits = io.Bitmap(6);
  io.Opt(bits, p.name);
  io.Opt(bits, p.iban);
  io.Opt(bits, p.bban);
  io.Opt(bits, p.bic);
  io.Opt(bits, p.masked_pan);
  io.Opt(bits, p.ultimate_name);
}

class Writer {
 public:
  struct Presence {
    size_t pos;
    int next = 0;
  };

  // `expected`: the record's likely size, reserved up front (fewer reallocations, so fewer freed copies of the
  // plaintext left behind).
  explicit Writer(char kind, size_t expected = 0) : Writer(kind, owned_, expected) {}
  // Writes into `out`, cleared first; its capacity is reused.
  Writer(char kind, std::string& out, size_t expected) : out_(out) {
    out_.clear();
    out_.reserve(2 + expected);
    out_.push_back(kind);
    out_.push_back(static_cast<char>(kRecordVersion));
  }

  Presence Bitmap(int fields) {
    Presence p{out_.size()};
    out_.append(static_cast<size_t>((fields + 7) / 8), '\0');
    return p;
  }
  template <class T>
  void Opt(Presence& p, const std::optional<T>& v) {
    const int bit = p.next++;
    if (!v) return;
    char& byte = out_[p.pos + static_cast<size_t>(bit / 8)];
    byte = static_cast<char>(byte | (1 << (bit % 8)));
    Val(*v);
  }
  template <class E>
  void Enum(E value, int count) {
    const int v = static_cast<int>(value);
    if (v < 0 || v >= count) return Fail("record: an enum value is out of range");
    out_.push_back(static_cast<char>(v));
  }

  void Val(const std::string& s) {
    Unsigned(s.size());
    out_ += s;
  }
  void RawJson(const std::string& s) { Val(s); }
  void Val(bool b) { out_.push_back(b ? 1 : 0); }
  void Val(int64_t v) { Unsigned((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void Val(const Date& d) { Val(int64_t{d.days_since_epoch}); }
  void Val(const DateTime& t) {
    if (t.nanos < 0 || t.nanos > 999'999'999 || t.fraction_digits < 0 || t.fraction_digits > 9) {
      return Fail("record: a date-time has nanos or fraction digits out of range");
    }
    Val(t.unix_seconds);
    Unsigned(static_cast<uint64_t>(t.nanos));
    out_.push_back(static_cast<char>(t.fraction_digits));
  }
  void Val(const Decimal& d) { Val(d.ToString()); }
  void Val(const Money& m) {
    Val(m.amount);
    if (m.currency.empty()) {
      out_.append(3, '\0');
    } else {
      out_ += m.currency.code();
    }
  }
  void Val(const Party& p) { PartyFields(*this, p); }

  Result<std::string> Finish() {
    BANKFEED_RETURN_IF_ERROR(FinishInPlace());
    return std::move(out_);
  }
  Status FinishInPlace() {
    if (!error_.empty()) return MakeError(ErrorCode::kInvalidArgument, std::move(error_));
    return {};
  }

 private:
  void Unsigned(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void Fail(std::string_view reason) {
    if (error_.empty()) error_ = reason;
  }

  std::string owned_;  // the output unless the caller gave its own
  std::string& out_;
  std::string error_;
};

class Reader {
 public:
  struct Presence {
    uint64_t bits;
    int next = 0;
  };

  // `raw_json`: false skips a transaction's raw JSON (its length is still checked; the field is left empty).
  Reader(std::string_view in, char kind, bool raw_json = true) : in_(in), raw_json_(raw_json) {
    if (in_.empty()) {
      Fail("record: empty");
    } else if (in_[0] != kind) {
      Fail("record: wrong record kind");
    } else if (in_.size() < 2) {
      Fail("record: truncated");
    } else if (static_cast<unsigned char>(in_[1]) != kRecordVersion) {
      Fail("record: unsupported version");
    } else {
      pos_ = 2;
    }
  }

  Presence Bitmap(int fields) {
    uint64_t bits = 0;
    const int bytes = (fields + 7) / 8;
    for (int i = 0; i < bytes; ++i) bits |= uint64_t{Byte()} << (8 * i);
    if ((bits >> fields) != 0) Fail("record: unknown presence bits");
    return Presence{failed() ? 0 : bits};
  }
  template <class T>
  void Opt(Presence& p, std::optional<T>& v) {
    const int bit = p.next++;
    if (((p.bits >> bit) & 1) == 0) return;
    v.emplace();
    Val(*v);
  }
  template <class E>
  void Enum(E& value, int count) {
    const unsigned char b = Byte();
    if (b >= count) return Fail("record: an enum value is out of range");
    value = static_cast<E>(b);
  }

  void Val(std::string& s) {
    const uint64_t n = Unsigned();
    if (n > in_.size() - pos_) return Fail("record: truncated");
    s.assign(in_.substr(pos_, static_cast<size_t>(n)));
    pos_ += static_cast<size_t>(n);
  }
  void RawJson(std::string& s) {
    if (raw_json_) return Val(s);
    const uint64_t n = Unsigned();
    if (n > in_.size() - pos_) return Fail("record: truncated");
    pos_ += static_cast<size_t>(n);
  }
  void Val(bool& b) {
    const unsigned char v = Byte();
    if (v > 1) return Fail("record: a boolean is neither 0 nor 1");
    b = v == 1;
  }
  void Val(int64_t& v) {
    const uint64_t u = Unsigned();
    v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
  }
  void Val(Date& d) {
    int64_t v = 0;
    Val(v);
    if (v < INT32_MIN || v > INT32_MAX) return Fail("record: a date is out of range");
    d.days_since_epoch = static_cast<int32_t>(v);
  }
  void Val(DateTime& t) {
    Val(t.unix_seconds);
    const uint64_t nanos = Unsigned();
    const unsigned char digits = Byte();
    if (nanos > 999'999'999 || digits > 9) return Fail("record: a date-time is out of range");
    t.nanos = static_cast<int32_t>(nanos);
    t.fraction_digits = static_cast<int8_t>(digits);
  }
  void Val(Decimal& d) {
    std::string text;
    Val(text);
    if (failed()) return;
    auto parsed = Decimal::Parse(text);
    if (!parsed || parsed->ToString() != text) return Fail("record: a decimal is not canonical");
    d = *parsed;
  }
  void Val(Money& m) {
    Val(m.amount);
    if (failed()) return;
    if (in_.size() - pos_ < 3) return Fail("record: truncated");
    const std::string_view code = in_.substr(pos_, 3);
    pos_ += 3;
    if (code == std::string_view("\0\0\0", 3)) {
      m.currency = Currency();
      return;
    }
    auto currency = Currency::Parse(code);
    if (!currency || currency->code() != code) return Fail("record: a currency is not three letters A-Z");
    m.currency = *currency;
  }
  void Val(Party& p) { PartyFields(*this, p); }

  // The whole record was read, without an error.
  Status Check() {
    if (!failed() && pos_ != in_.size()) Fail("record: trailing bytes");
    if (failed()) return MakeError(ErrorCode::kInvalidInput, std::string(error_));
    return {};
  }
  template <class T>
  Result<T> Finish(T&& value) {
    BANKFEED_RETURN_IF_ERROR(Check());
    return std::forward<T>(value);
  }
  bool failed() const { return !error_.empty(); }

 private:
  unsigned char Byte() {
    if (pos_ >= in_.size()) {
      Fail("record: truncated");
      return 0;
    }
    return static_cast<unsigned char>(in_[pos_++]);
  }
  uint64_t Unsigned() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const unsigned char b = Byte();
      if (failed()) return 0;
      if (shift == 63 && b > 1) break;  // more than 64 bits
      v |= uint64_t{b & 0x7fu} << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) break;  // a redundant continuation: not minimal
        return v;
      }
    }
    Fail("record: a varint is too long or not minimal");
    return 0;
  }
  void Fail(std::string_view reason) {
    if (error_.empty()) error_ = reason;
    pos_ = in_.size();  // stop reading
  }

  std::string_view in_;
  bool raw_json_ = true;
  size_t pos_ = 0;
  std::string_view error_;  // always a string literal
};

template <class IO, class T>
void TransactionFields(IO& io, T& t) {
  auto bits = io.Bitmap(20);
  io.Val(t.id);
  io.Opt(bits, t.account_id);
  io.Enum(t.status, 3);  // booked, pending, info: a rejected row (no money moved) is never stored
  io.Val(t.amount);
  io.Opt(bits, t.booking_date);
  io.Opt(bits, t.value_date);
  io.Opt(bits, t.transaction_date);
  io.Opt(bits, t.booking_datetime);
  io.Opt(bits, t.value_datetime);
  io.Opt(bits, t.transaction_id);
  io.Opt(bits, t.entry_reference);
  io.Opt(bits, t.end_to_end_id);
  io.Opt(bits, t.mandate_id);
  io.Opt(bits, t.creditor_id);
  io.Opt(bits, t.creditor);
  io.Opt(bits, t.debtor);
  io.Opt(bits, t.remittance);
  io.Opt(bits, t.remittance_reference);
  io.Opt(bits, t.bank_transaction_code);
  io.Opt(bits, t.proprietary_code);
  io.Opt(bits, t.merchant_category_code);
  io.Opt(bits, t.original_amount);
  io.Opt(bits, t.exchange_rate);
  io.RawJson(t.raw_json);
}

template <class IO, class T>
void FeedTransactionFields(IO& io, T& f) {
  auto bits = io.Bitmap(1);
  TransactionFields(io, f.transaction);
  io.Opt(bits, f.pending_transaction_id);
}

template <class IO, class A>
void AccountFields(IO& io, A& a) {
  auto bits = io.Bitmap(11);
  io.Val(a.id);
  io.Opt(bits, a.resource_id);
  io.Opt(bits, a.iban);
  io.Opt(bits, a.bban);
  io.Opt(bits, a.masked_pan);
  io.Opt(bits, a.currency);
  io.Opt(bits, a.name);
  io.Opt(bits, a.product);
  io.Opt(bits, a.owner_name);
  io.Opt(bits, a.cash_account_type);
  io.Opt(bits, a.status);
  io.Opt(bits, a.bic);
}

template <class IO, class B>
void BalanceFields(IO& io, B& b) {
  auto bits = io.Bitmap(5);  // bank_type came last: older records have its bit clear
  io.Opt(bits, b.account_id);
  io.Val(b.type);
  io.Val(b.amount);
  io.Opt(bits, b.credit_limit_included);
  io.Opt(bits, b.reference_date);
  io.Opt(bits, b.last_change_datetime);
  io.Opt(bits, b.bank_type);
}

template <class IO, class S>
void SyncStateFields(IO& io, S& s) {
  auto bits = io.Bitmap(6);
  io.Enum(s.outcome, 7);
  io.Val(s.detail);
  io.Opt(bits, s.last_booked_date);
  io.Opt(bits, s.window_from);
  io.Opt(bits, s.window_to);
  io.Opt(bits, s.last_attempt);
  io.Opt(bits, s.last_success);
  io.Opt(bits, s.retry_at);
  io.Val(s.pages);
  io.Val(s.fetched);
}

}  // namespace

// Room for a transaction's fields besides its raw JSON, typically.
constexpr size_t kTransactionFieldsBytes = 256;

Result<std::string> EncodeTransaction(const Transaction& t) {
  Writer w(kRecordTransaction, t.raw_json.size() + kTransactionFieldsBytes);
  TransactionFields(w, t);
  return w.Finish();
}

Result<Transaction> DecodeTransaction(std::string_view bytes) {
  Reader r(bytes, kRecordTransaction);
  Transaction t;
  TransactionFields(r, t);
  return r.Finish(std::move(t));
}

Result<std::string> EncodeFeedTransaction(const FeedTransaction& t) {
  Writer w(kRecordFeedTransaction, t.transaction.raw_json.size() + kTransactionFieldsBytes);
  FeedTransactionFields(w, t);
  return w.Finish();
}

Status EncodeFeedTransactionInto(const FeedTransaction& t, std::string& out) {
  Writer w(kRecordFeedTransaction, out, t.transaction.raw_json.size() + kTransactionFieldsBytes);
  FeedTransactionFields(w, t);
  return w.FinishInPlace();
}

Result<FeedTransaction> DecodeFeedTransaction(std::string_view bytes, bool raw_json) {
  Result<FeedTransaction> t(tl::in_place);
  if (Status decoded = DecodeFeedTransactionInto(bytes, *t, raw_json); !decoded) t = tl::unexpected(decoded.error());
  return t;
}

Status DecodeFeedTransactionInto(std::string_view bytes, FeedTransaction& out, bool raw_json) {
  Reader r(bytes, kRecordFeedTransaction, raw_json);
  FeedTransactionFields(r, out);
  return r.Check();
}

Result<std::string> EncodeAccount(const Account& a) {
  Writer w(kRecordAccount);
  AccountFields(w, a);
  return w.Finish();
}

Result<Account> DecodeAccount(std::string_view bytes) {
  Reader r(bytes, kRecordAccount);
  Account a;
  AccountFields(r, a);
  return r.Finish(std::move(a));
}

Result<std::string> EncodeBalance(const Balance& b) {
  Writer w(kRecordBalance);
  BalanceFields(w, b);
  return w.Finish();
}

Result<Balance> DecodeBalance(std::string_view bytes) {
  Reader r(bytes, kRecordBalance);
  Balance b;
  BalanceFields(r, b);
  return r.Finish(std::move(b));
}

Result<std::string> EncodeSyncState(const SyncState& s) {
  Writer w(kRecordSyncState);
  SyncStateFields(w, s);
  return w.Finish();
}

Result<SyncState> DecodeSyncState(std::string_view bytes) {
  Reader r(bytes, kRecordSyncState);
  SyncState s;
  SyncStateFields(r, s);
  return r.Finish(std::move(s));
}

}  // namespace bankfeed::store
