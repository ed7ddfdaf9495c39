// The canonical JSON Lines form (docs/CANONICAL.md): fixed key order, every key present, null for absent values.
#include "bankfeed/canonical_json.hpp"

#include <cstring>
#include <type_traits>

#include "common/text.hpp"

namespace bankfeed {
namespace {

// The output is written through a plain pointer into `out`, which is grown ahead of the pointer and cut back to what
// was written when the top-level object ends. std::string's append and push_back would check and update the string's
// size at every call (and reload it after every byte stored, since a char store may alias it): that bookkeeping was
// most of `bankfeed normalize`'s formatting time.
class Cursor {
 public:
  explicit Cursor(std::string& out) : out_(out), used_(out.size()) { Grow(kSlack); }
  Cursor(const Cursor&) = delete;
  Cursor& operator=(const Cursor&) = delete;
  ~Cursor() { out_.resize(used_); }

  // At least n writable bytes at the cursor; Advance(k) commits k <= n of them.
  char* Room(size_t n) {
    if (out_.size() - used_ < n) Grow(n);
    return out_.data() + used_;
  }
  void Advance(size_t k) { used_ += k; }
  void Put(std::string_view s) {
    std::memcpy(Room(s.size()), s.data(), s.size());
    used_ += s.size();
  }
  void Put(char c) {
    *Room(1) = c;
    ++used_;
  }
  // A JSON string (common/text.hpp's escapes).
  void PutString(std::string_view s) {
    char* const begin = Room(JsonStringBound(s.size()));
    used_ += static_cast<size_t>(WriteJsonString(begin, s) - begin);
  }
  // Text that an AppendTo(std::string&) formatter writes (dates, decimals), through a scratch string that each
  // thread reuses (a date-time is longer than the short-string buffer).
  template <typename Format>
  void PutFormatted(Format&& format) {
    thread_local std::string scratch;
    scratch.clear();
    format(scratch);
    Put(scratch);
  }

 private:
  static constexpr size_t kSlack = 1024;  // a typical record in one growth
  // Only the room asked for and the slack are zero-filled; std::string's capacity grows geometrically by itself.
  void Grow(size_t n) { out_.resize(used_ + n + kSlack); }

  std::string& out_;
  size_t used_;  // out_'s bytes that are output; the rest is room, cut off by the destructor
};

class Writer {
 public:
  explicit Writer(Cursor& out) : out_(out) { out_.Put('{'); }
  void End() { out_.Put('}'); }

  void Key(std::string_view k) {
    char* d = out_.Room(k.size() + 4);
    const size_t comma = first_ ? 0 : 1;
    d[0] = ',';
    d[comma] = '"';
    std::memcpy(d + comma + 1, k.data(), k.size());
    d[comma + 1 + k.size()] = '"';
    d[comma + 2 + k.size()] = ':';
    out_.Advance(comma + 3 + k.size());
    first_ = false;
  }
  void Null() { out_.Put("null"); }
  void Str(std::string_view v) { out_.PutString(v); }
  void Field(std::string_view k, std::string_view v) { Key(k), Str(v); }
  void Field(std::string_view k, const std::string& v) { Key(k), Str(v); }
  void Field(std::string_view k, const OptString& v) {
    Key(k);
    v ? Str(*v) : Null();
  }
  template <typename DateOrTime>
  void Field(std::string_view k, const std::optional<DateOrTime>& d)
    requires(std::is_same_v<DateOrTime, Date> || std::is_same_v<DateOrTime, DateTime>)
  {
    Key(k);
    if (!d) return Null();
    out_.PutFormatted([&](std::string& s) {
      s.push_back('"');
      d->AppendTo(s);
      s.push_back('"');
    });
  }
  void Field(std::string_view k, const std::optional<bool>& b) {
    Key(k);
    if (b) {
      out_.Put(*b ? "true" : "false");
    } else {
      Null();
    }
  }
  void Field(std::string_view k, const std::optional<int>& n) {
    Key(k);
    if (n) {
      out_.Put(std::to_string(*n));
    } else {
      Null();
    }
  }
  void Amount(const Money& m) {
    Key("amount");
    out_.PutFormatted([&](std::string& s) {
      s.push_back('"');
      m.amount.AppendTo(s, m.currency.minor_units());
      s.push_back('"');
    });
    Field("currency", m.currency.code());
  }
  void Party(std::string_view k, const std::optional<bankfeed::Party>& p) {
    Key(k);
    if (!p) return Null();
    Writer w(out_);
    w.Field("name", p->name);
    w.Field("iban", p->iban);
    w.Field("bban", p->bban);
    w.Field("bic", p->bic);
    w.Field("masked_pan", p->masked_pan);
    w.Field("ultimate_name", p->ultimate_name);
    w.End();
  }
  void OriginalAmount(const std::optional<Money>& m) {
    Key("original_amount");
    if (!m) return Null();
    Writer w(out_);
    w.Amount(*m);
    w.End();
  }
  void Strings(std::string_view k, const std::vector<std::string>& v) {
    Key(k);
    out_.Put('[');
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out_.Put(',');
      Str(v[i]);
    }
    out_.Put(']');
  }

 private:
  Cursor& out_;
  bool first_ = true;
};

}  // namespace

void AppendCanonicalJson(std::string& out, const Transaction& t) {
  Cursor cursor(out);
  Writer w(cursor);
  w.Field("id", t.id);
  w.Field("account_id", t.account_id);
  w.Field("status", TransactionStatusName(t.status));
  w.Amount(t.amount);
  w.Field("booking_date", t.booking_date);
  w.Field("value_date", t.value_date);
  w.Field("transaction_date", t.transaction_date);
  w.Field("booking_datetime", t.booking_datetime);
  w.Field("value_datetime", t.value_datetime);
  w.Field("transaction_id", t.transaction_id);
  w.Field("entry_reference", t.entry_reference);
  w.Field("end_to_end_id", t.end_to_end_id);
  w.Field("mandate_id", t.mandate_id);
  w.Field("creditor_id", t.creditor_id);
  w.Party("creditor", t.creditor);
  w.Party("debtor", t.debtor);
  w.Party("counterparty", t.Counterparty());
  w.Field("remittance", t.remittance);
  w.Field("remittance_reference", t.remittance_reference);
  w.Field("bank_transaction_code", t.bank_transaction_code);
  w.Field("proprietary_code", t.proprietary_code);
  w.Field("merchant_category_code", t.merchant_category_code);
  w.OriginalAmount(t.original_amount);
  w.Key("exchange_rate");
  t.exchange_rate ? w.Str(t.exchange_rate->ToString()) : w.Null();
  w.End();
}

void AppendCanonicalJson(std::string& out, const Account& a) {
  Cursor cursor(out);
  Writer w(cursor);
  w.Field("id", a.id);
  w.Field("resource_id", a.resource_id);
  w.Field("iban", a.iban);
  w.Field("bban", a.bban);
  w.Field("masked_pan", a.masked_pan);
  w.Field("currency", a.currency);
  w.Field("name", a.name);
  w.Field("product", a.product);
  w.Field("owner_name", a.owner_name);
  w.Field("cash_account_type", a.cash_account_type);
  w.Field("status", a.status);
  w.Field("bic", a.bic);
  w.End();
}

void AppendCanonicalJson(std::string& out, const Balance& b) {
  Cursor cursor(out);
  Writer w(cursor);
  w.Field("type", b.type);
  w.Field("bank_type", b.bank_type);
  w.Field("account_id", b.account_id);
  w.Amount(b.amount);
  w.Field("credit_limit_included", b.credit_limit_included);
  w.Field("reference_date", b.reference_date);
  w.Field("last_change_datetime", b.last_change_datetime);
  w.End();
}

void AppendCanonicalJson(std::string& out, const Consent& c) {
  Cursor cursor(out);
  Writer w(cursor);
  w.Field("consent_id", c.consent_id);
  w.Key("status");
  c.status ? w.Str(ConsentStatusName(*c.status)) : w.Null();
  w.Field("bank_status", c.bank_status);
  w.Strings("permissions", c.permissions);
  w.Field("valid_until", c.valid_until);
  w.Field("frequency_per_day", c.frequency_per_day);
  w.Field("recurring", c.recurring);
  w.Field("last_action_date", c.last_action_date);
  w.Field("created_datetime", c.created_datetime);
  w.Field("status_updated_datetime", c.status_updated_datetime);
  w.Field("transaction_from_datetime", c.transaction_from_datetime);
  w.Field("transaction_to_datetime", c.transaction_to_datetime);
  w.Field("sca_method", c.sca_method);
  w.Field("sca_redirect", c.sca_redirect);
  w.Field("sca_oauth", c.sca_oauth);
  w.Field("sca_status", c.sca_status);
  w.Field("start_authorisation", c.start_authorisation);
  w.End();
}

}  // namespace bankfeed
