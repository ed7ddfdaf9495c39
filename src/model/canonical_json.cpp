// The canonical JSON Lines form (docs/CANONICAL.md): fixed key order, every key present, null for absent values.
#include "bankfeed/canonical_json.hpp"

#include "common/text.hpp"

namespace bankfeed {
namespace {

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) { out_.push_back('{'); }
  void End() { out_.push_back('}'); }

  void Key(std::string_view k) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(k);
    out_.append("\":");
  }
  void Null() { out_.append("null"); }
  void Str(std::string_view v) { AppendJsonString(out_, v); }
  void Field(std::string_view k, std::string_view v) { Key(k), Str(v); }
  void Field(std::string_view k, const std::string& v) { Key(k), Str(v); }
  void Field(std::string_view k, const OptString& v) {
    Key(k);
    v ? Str(*v) : Null();
  }
  void Field(std::string_view k, const std::optional<Date>& d) {
    Key(k);
    if (!d) return Null();
    out_.push_back('"');
    d->AppendTo(out_);
    out_.push_back('"');
  }
  void Field(std::string_view k, const std::optional<DateTime>& t) {
    Key(k);
    if (!t) return Null();
    out_.push_back('"');
    t->AppendTo(out_);
    out_.push_back('"');
  }
  void Field(std::string_view k, const std::optional<bool>& b) {
    Key(k);
    if (b) {
      out_.append(*b ? "true" : "false");
    } else {
      Null();
    }
  }
  void Field(std::string_view k, const std::optional<int>& n) {
    Key(k);
    if (n) {
      out_.append(std::to_string(*n));
    } else {
      Null();
    }
  }
  void Amount(const Money& m) {
    Key("amount");
    out_.push_back('"');
    m.amount.AppendTo(out_, m.currency.minor_units());
    out_.push_back('"');
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
    out_.push_back('[');
    for (size_t i = 0; i < v.size(); ++i) {
      if (i) out_.push_back(',');
      Str(v[i]);
    }
    out_.push_back(']');
  }
  std::string& out() { return out_; }

 private:
  std::string& out_;
  bool first_ = true;
};

}  // namespace

void AppendCanonicalJson(std::string& out, const Transaction& t) {
  Writer w(out);
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
  Writer w(out);
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
  Writer w(out);
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
  Writer w(out);
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
