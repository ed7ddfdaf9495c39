#include "daemon/src/convert.hpp"

namespace bankfeed::daemon {
namespace {

void Set(std::string* out, OptString&& v) {
  if (v) *out = std::move(*v);
}
void Set(std::string* out, const OptString& v) {
  if (v) *out = *v;
}
void Set(std::string* out, const std::optional<Date>& d) {
  if (d) *out = d->ToString();
}
void Set(std::string* out, const std::optional<DateTime>& t) {
  if (t) *out = t->ToString();
}

}  // namespace

void ToProto(const Money& m, v1::Money& out) {
  out.set_amount(m.ToString());
  out.set_currency(std::string(m.currency.code()));
}

void ToProto(Party&& p, v1::Party& out) {
  Set(out.mutable_name(), std::move(p.name));
  Set(out.mutable_iban(), std::move(p.iban));
  Set(out.mutable_bban(), std::move(p.bban));
  Set(out.mutable_bic(), std::move(p.bic));
  Set(out.mutable_masked_pan(), std::move(p.masked_pan));
  Set(out.mutable_ultimate_name(), std::move(p.ultimate_name));
}

v1::TransactionStatus ToProto(TransactionStatus s) {
  switch (s) {
    case TransactionStatus::kBooked: return v1::TRANSACTION_STATUS_BOOKED;
    case TransactionStatus::kPending: return v1::TRANSACTION_STATUS_PENDING;
    case TransactionStatus::kInfo: return v1::TRANSACTION_STATUS_INFO;
    case TransactionStatus::kRejected: return v1::TRANSACTION_STATUS_REJECTED;  // never in the feed (sync drops it)
  }
  return v1::TRANSACTION_STATUS_UNSPECIFIED;
}

v1::ChangeKind ToProto(ChangeKind k) {
  switch (k) {
    case ChangeKind::kAdded: return v1::CHANGE_KIND_ADDED;
    case ChangeKind::kModified: return v1::CHANGE_KIND_MODIFIED;
    case ChangeKind::kRemoved: return v1::CHANGE_KIND_REMOVED;
  }
  return v1::CHANGE_KIND_UNSPECIFIED;
}


void ToProto(Transaction&& t, bool include_raw_json, v1::Transaction& out) {
  // The counterparty is one of the two parties (Transaction::Counterparty): which one is read before they are moved
  // out, and its message is copied from theirs below (one conversion per party, no intermediate Party copy).
  const std::optional<Party>& cp = t.Counterparty();
  const bool counterparty_is_creditor = cp.has_value() && &cp == &t.creditor;
  const bool counterparty_is_debtor = cp.has_value() && &cp == &t.debtor;
  out.set_id(std::move(t.id));
  Set(out.mutable_account_id(), std::move(t.account_id));
  out.set_status(ToProto(t.status));
  ToProto(t.amount, *out.mutable_amount());
  Set(out.mutable_booking_date(), t.booking_date);
  Set(out.mutable_value_date(), t.value_date);
  Set(out.mutable_transaction_date(), t.transaction_date);
  Set(out.mutable_booking_datetime(), t.booking_datetime);
  Set(out.mutable_value_datetime(), t.value_datetime);
  Set(out.mutable_bank_transaction_id(), std::move(t.transaction_id));
  Set(out.mutable_entry_reference(), std::move(t.entry_reference));
  Set(out.mutable_end_to_end_id(), std::move(t.end_to_end_id));
  Set(out.mutable_mandate_id(), std::move(t.mandate_id));
  Set(out.mutable_creditor_id(), std::move(t.creditor_id));
  if (t.creditor) ToProto(std::move(*t.creditor), *out.mutable_creditor());
  if (t.debtor) ToProto(std::move(*t.debtor), *out.mutable_debtor());
  if (counterparty_is_creditor) {
    *out.mutable_counterparty() = out.creditor();
  } else if (counterparty_is_debtor) {
    *out.mutable_counterparty() = out.debtor();
  }
  Set(out.mutable_remittance(), std::move(t.remittance));
  Set(out.mutable_remittance_reference(), std::move(t.remittance_reference));
  Set(out.mutable_bank_transaction_code(), std::move(t.bank_transaction_code));
  Set(out.mutable_proprietary_code(), std::move(t.proprietary_code));
  Set(out.mutable_merchant_category_code(), std::move(t.merchant_category_code));
  if (t.original_amount) ToProto(*t.original_amount, *out.mutable_original_amount());
  if (t.exchange_rate) out.set_exchange_rate(t.exchange_rate->ToString());
  if (include_raw_json) out.set_raw_json(std::move(t.raw_json));
}

void ToProto(FeedEntry&& e, bool include_raw_json, v1::Change& out) {
  out.set_kind(ToProto(e.kind));
  out.set_sequence(e.seq);
  out.set_customer_id(std::move(e.customer_handle));
  out.set_account_id(std::move(e.account_id));
  out.set_transaction_id(std::move(e.transaction_id));
  if (e.transaction) {
    if (e.transaction->pending_transaction_id) {
      out.set_pending_transaction_id(std::move(*e.transaction->pending_transaction_id));
    }
    ToProto(std::move(e.transaction->transaction), include_raw_json, *out.mutable_transaction());
  }
}

void ToProto(FeedPage&& page, bool include_raw_json, v1::SyncResponse& out) {
  out.mutable_changes()->Reserve(static_cast<int>(page.changes.size()));
  for (FeedEntry& e : page.changes) ToProto(std::move(e), include_raw_json, *out.add_changes());
  out.set_next_cursor(std::move(page.next_cursor));
  out.set_has_more(page.has_more);
}

void ToProto(const AccountRecord& a, v1::Account& out) {
  out.set_account_id(a.ref.account_id);
  out.set_customer_id(a.ref.customer_handle);
  out.set_consent_id(a.consent_handle);
  out.set_bank_id(a.bank_id);
  const Account& x = a.account;
  Set(out.mutable_iban(), x.iban);
  Set(out.mutable_bban(), x.bban);
  Set(out.mutable_masked_pan(), x.masked_pan);
  Set(out.mutable_currency(), x.currency);
  Set(out.mutable_name(), x.name);
  Set(out.mutable_product(), x.product);
  Set(out.mutable_owner_name(), x.owner_name);
  Set(out.mutable_cash_account_type(), x.cash_account_type);
  Set(out.mutable_status(), x.status);
  Set(out.mutable_bic(), x.bic);
}

void ToProto(const Balance& b, v1::Balance& out) {
  out.set_type(b.type);
  ToProto(b.amount, *out.mutable_amount());
  out.set_credit_limit_included_known(b.credit_limit_included.has_value());
  out.set_credit_limit_included(b.credit_limit_included.value_or(false));
  Set(out.mutable_reference_date(), b.reference_date);
  Set(out.mutable_last_change_datetime(), b.last_change_datetime);
  Set(out.mutable_bank_type(), b.bank_type);
}

void ToProto(const DateTime& t, google::protobuf::Timestamp& out) {
  out.set_seconds(t.unix_seconds);
  out.set_nanos(0);
}

void ToProto(const AccountSyncResult& r, v1::AccountSyncResult& out) {
  out.set_customer_id(r.account.customer_handle);
  out.set_consent_id(r.consent_handle);
  out.set_account_id(r.account.account_id);
  out.set_bank_id(r.bank_id);
  out.set_outcome(ToProto(r.outcome));
  if (r.error && r.outcome != SyncOutcome::kOk) {
    out.set_error_code(std::string(ErrorCodeName(r.error->code)));
    out.set_error_message(r.error->ToString());
  }
  if (r.retry_at) ToProto(*r.retry_at, *out.mutable_retry_at());
  out.set_added(r.added);
  out.set_modified(r.modified);
  out.set_removed(r.removed);
  out.set_pages(r.pages);
  out.set_skipped(r.skipped);
  out.set_quarantined(r.quarantined);
}

v1::ConsentStatus ToProto(ConsentStatus s) {
  switch (s) {
    case ConsentStatus::kReceived: return v1::CONSENT_STATUS_RECEIVED;
    case ConsentStatus::kValid: return v1::CONSENT_STATUS_VALID;
    case ConsentStatus::kRejected: return v1::CONSENT_STATUS_REJECTED;
    case ConsentStatus::kRevoked: return v1::CONSENT_STATUS_REVOKED;
    case ConsentStatus::kExpired: return v1::CONSENT_STATUS_EXPIRED;
    case ConsentStatus::kTerminated: return v1::CONSENT_STATUS_TERMINATED;
    case ConsentStatus::kPartiallyAuthorised: return v1::CONSENT_STATUS_PARTIALLY_AUTHORISED;
  }
  return v1::CONSENT_STATUS_UNSPECIFIED;
}

v1::ScaApproach ToProto(ScaApproach a) {
  switch (a) {
    case ScaApproach::kRedirect: return v1::SCA_APPROACH_REDIRECT;
    case ScaApproach::kDecoupled: return v1::SCA_APPROACH_DECOUPLED;
    case ScaApproach::kOAuth2: return v1::SCA_APPROACH_OAUTH2;
    case ScaApproach::kEmbedded: return v1::SCA_APPROACH_EMBEDDED;
  }
  return v1::SCA_APPROACH_UNSPECIFIED;
}

std::optional<ScaApproach> FromProto(v1::ScaApproach a) {
  switch (a) {
    case v1::SCA_APPROACH_REDIRECT: return ScaApproach::kRedirect;
    case v1::SCA_APPROACH_DECOUPLED: return ScaApproach::kDecoupled;
    case v1::SCA_APPROACH_OAUTH2: return ScaApproach::kOAuth2;
    case v1::SCA_APPROACH_EMBEDDED: return ScaApproach::kEmbedded;
    default: return std::nullopt;
  }
}

v1::SyncOutcome ToProto(SyncOutcome o) {
  switch (o) {
    case SyncOutcome::kNever: return v1::SYNC_OUTCOME_NEVER;
    case SyncOutcome::kOk: return v1::SYNC_OUTCOME_OK;
    case SyncOutcome::kNeedsReconsent: return v1::SYNC_OUTCOME_NEEDS_RECONSENT;
    case SyncOutcome::kQuotaExhausted: return v1::SYNC_OUTCOME_QUOTA_EXHAUSTED;
    case SyncOutcome::kRateLimited: return v1::SYNC_OUTCOME_RATE_LIMITED;
    case SyncOutcome::kBankUnavailable: return v1::SYNC_OUTCOME_BANK_UNAVAILABLE;
    case SyncOutcome::kFailed: return v1::SYNC_OUTCOME_FAILED;
  }
  return v1::SYNC_OUTCOME_UNSPECIFIED;
}

}  // namespace bankfeed::daemon
