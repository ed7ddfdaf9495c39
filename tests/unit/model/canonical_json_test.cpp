// docs/CANONICAL.md output rules: key order, every key present, null for absent, escaping.
#include <gtest/gtest.h>

#include "bankfeed/canonical_json.hpp"

namespace bankfeed {
namespace {

std::vector<std::string> Keys(const std::string& json) {
  // Top-level keys only: track depth and string state.
  std::vector<std::string> keys;
  int depth = 0;
  bool in_string = false;
  std::string current;
  for (size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (depth == 1 && json[i + 1] == ':') keys.push_back(current);
      } else {
        current += c;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      current.clear();
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return keys;
}

TEST(CanonicalJson, TransactionKeysInContractOrder) {
  Transaction t;
  t.id = "tx_0";
  t.amount = *Money::Parse("-1", "EUR");
  const std::vector<std::string> expected = {
      "id", "account_id", "status", "amount", "currency", "booking_date", "value_date", "transaction_date",
      "booking_datetime", "value_datetime", "transaction_id", "entry_reference", "end_to_end_id", "mandate_id",
      "creditor_id", "creditor", "debtor", "counterparty", "remittance", "remittance_reference",
      "bank_transaction_code", "proprietary_code", "merchant_category_code", "original_amount", "exchange_rate"};
  EXPECT_EQ(Keys(ToCanonicalJson(t)), expected);
}

TEST(CanonicalJson, AbsentValuesAreNull) {
  Transaction t;
  t.id = "tx_0";
  t.amount = *Money::Parse("-1", "EUR");
  const std::string json = ToCanonicalJson(t);
  EXPECT_NE(json.find(R"("account_id":null)"), std::string::npos);
  EXPECT_NE(json.find(R"("creditor":null,"debtor":null,"counterparty":null)"), std::string::npos);
  EXPECT_NE(json.find(R"("amount":"-1.00","currency":"EUR")"), std::string::npos);
  EXPECT_NE(json.find(R"("original_amount":null,"exchange_rate":null})"), std::string::npos);
}

TEST(CanonicalJson, PartiesAndOriginalAmount) {
  Transaction t;
  t.id = "tx_0";
  t.amount = *Money::Parse("-10", "EUR");
  t.creditor = Party{.name = "Lidl", .iban = "DE02120300000000202051"};
  t.original_amount = *Money::Parse("11", "USD");
  t.exchange_rate = *Decimal::Parse("1.1000");
  const std::string json = ToCanonicalJson(t);
  EXPECT_NE(json.find(R"("counterparty":{"name":"Lidl","iban":"DE02120300000000202051","bban":null,"bic":null,)"
                      R"("masked_pan":null,"ultimate_name":null})"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("original_amount":{"amount":"11.00","currency":"USD"},"exchange_rate":"1.1"})"),
            std::string::npos)
      << json;
}

TEST(CanonicalJson, EscapesStrings) {
  Transaction t;
  t.id = "tx_0";
  t.amount = *Money::Parse("1", "EUR");
  t.remittance = "line 1\nline \"2\"\t\\ \x01 é";
  EXPECT_NE(ToCanonicalJson(t).find(R"("remittance":"line 1\nline \"2\"\t\\ \u0001 é")"), std::string::npos);
}

TEST(CanonicalJson, AccountAndBalanceKeyOrder) {
  Account a;
  a.id = "acc_0";
  EXPECT_EQ(Keys(ToCanonicalJson(a)),
            (std::vector<std::string>{"id", "resource_id", "iban", "bban", "masked_pan", "currency", "name", "product",
                                      "owner_name", "cash_account_type", "status", "bic"}));
  Balance b;
  b.type = "CLBD";
  b.amount = *Money::Parse("-0.5", "EUR");
  const std::string json = ToCanonicalJson(b);
  EXPECT_EQ(Keys(json), (std::vector<std::string>{"type", "bank_type", "account_id", "amount", "currency", "credit_limit_included",
                                                  "reference_date", "last_change_datetime"}));
  EXPECT_NE(json.find(R"("amount":"-0.50")"), std::string::npos);
}

}  // namespace
}  // namespace bankfeed
