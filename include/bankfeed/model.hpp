// bankfeed/model.hpp: the canonical records every standard maps onto (see docs/CANONICAL.md).
//
// A Transaction, Account, Balance or Consent looks the same whichever standard and bank it came from. Optional
// fields are std::nullopt where the bank gave nothing usable; ToCanonicalJson (canonical_json.hpp) prints them as
// null.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/datetime.hpp"
#include "bankfeed/money.hpp"

namespace bankfeed {

using OptString = std::optional<std::string>;

struct Party {
  OptString name{}, iban{}, bban{}, bic{}, masked_pan{}, ultimate_name{};
  bool Empty() const { return !name && !iban && !bban && !bic && !masked_pan && !ultimate_name; }
  friend bool operator==(const Party&, const Party&) = default;
};

// kRejected: the bank reports the operation as rejected (STET and UK `RJCT`); no money moved. Such a row is kept
// by `normalize` but never enters the feed.
enum class TransactionStatus { kBooked, kPending, kInfo, kRejected };
// "booked", "pending", "info", "rejected"
BANKFEED_EXPORT std::string_view TransactionStatusName(TransactionStatus s);

struct Transaction {
  std::string id;  // "tx_" + 32 hex digits; see AssignTransactionIds
  OptString account_id;
  TransactionStatus status = TransactionStatus::kBooked;
  Money amount;  // signed: negative is a debit
  std::optional<Date> booking_date, value_date, transaction_date;
  std::optional<DateTime> booking_datetime, value_datetime;
  OptString transaction_id, entry_reference, end_to_end_id, mandate_id, creditor_id;
  std::optional<Party> creditor, debtor;
  OptString remittance, remittance_reference;
  OptString bank_transaction_code, proprietary_code, merchant_category_code;
  std::optional<Money> original_amount;
  std::optional<Decimal> exchange_rate;
  std::string raw_json;  // the bank's own JSON for this row, kept for audit; never logged

  // The other party: the creditor for a debit, the debtor for a credit, else whichever side is present.
  const std::optional<Party>& Counterparty() const;
};

struct Account {
  std::string id;  // "acc_" + 32 hex digits, derived from the bank's identifiers
  OptString resource_id, iban, bban, masked_pan, currency;
  OptString name, product, owner_name, cash_account_type, status, bic;
  // The bank's resource id for this account may change over time (profile quirk account_ids_change): its id then
  // derives from its identification alone (AccountIdFor), and the resource id is only how it is asked for today.
  bool resource_id_changes = false;
};

struct Balance {
  OptString account_id;
  std::string type;  // ISO 20022 code: CLBD, XPCD, OPBD, ITAV, ITBD, FWAV, CLAV, OPAV, INFO, PRCD, VALU, OTHR
  Money amount;
  std::optional<bool> credit_limit_included;
  std::optional<Date> reference_date;
  std::optional<DateTime> last_change_datetime;
  // The balance type as the bank wrote it ("closingBooked", "authorised", "INTERIM_AVAILABLE"), so a name mapped to
  // OTHR is not lost.
  OptString bank_type;
};

// Consent status in one vocabulary for all standards.
enum class ConsentStatus { kReceived, kValid, kRejected, kRevoked, kExpired, kTerminated, kPartiallyAuthorised };
BANKFEED_EXPORT std::string_view ConsentStatusName(ConsentStatus s);

struct Consent {
  OptString consent_id;                        // the bank's id
  std::optional<ConsentStatus> status;
  OptString bank_status;                       // the status word as the bank sent it
  std::vector<std::string> permissions;        // e.g. "accounts", "balances", "transactions", or UK permission codes
  std::optional<Date> valid_until;
  std::optional<int> frequency_per_day;
  std::optional<bool> recurring;
  std::optional<Date> last_action_date;
  std::optional<DateTime> created_datetime, status_updated_datetime;
  std::optional<DateTime> transaction_from_datetime, transaction_to_datetime;
  OptString sca_redirect, sca_oauth, sca_status, start_authorisation;  // hrefs the bank returned
  OptString sca_method;                        // e.g. "redirect", "decoupled", "oauth2", "embedded"
};

}  // namespace bankfeed
