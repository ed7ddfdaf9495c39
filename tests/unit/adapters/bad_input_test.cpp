// Bad input, the same way for every standard: a typed kInvalidInput error whose message starts with the JSON path,
// never a crash, a hang or a partial result. The CLI side (exit 65, one stderr line, empty stdout) is in
// tests/unit/cli/normalize_cli_test.cpp.
#include <gtest/gtest.h>

#include "bankfeed/normalize.hpp"

namespace bankfeed {
namespace {

struct StandardCase {
  Standard standard;
  std::string name;
  std::string body;         // a valid transactions body with exactly one row and AMOUNT/CURRENCY/TEXT markers
  std::string amount_path;  // JSON path of the amount
  std::string text_path;    // JSON path of a free-text field the mapping reads
};

void PrintTo(const StandardCase& c, std::ostream* os) { *os << c.name; }

const std::vector<StandardCase> kCases = {
    {Standard::kBerlinGroup, "berlin_group",
     R"({"transactions":{"booked":[{"transactionId":"T1","transactionAmount":{"currency":CURRENCY,"amount":AMOUNT},)"
     R"("bookingDate":"2025-01-02","remittanceInformationUnstructured":TEXT}]}})",
     "transactions.booked[0].transactionAmount.amount", "transactions.booked[0].remittanceInformationUnstructured"},
    {Standard::kUkOpenBanking, "uk_ob",
     R"({"Data":{"Transaction":[{"AccountId":"1","TransactionId":"T1","CreditDebitIndicator":"Debit",)"
     R"("Status":"Booked","BookingDateTime":"2025-01-02T10:00:00+00:00","Amount":{"Amount":AMOUNT,"Currency":CURRENCY},)"
     R"("TransactionInformation":TEXT}]}})",
     "Data.Transaction[0].Amount.Amount", "Data.Transaction[0].TransactionInformation"},
    {Standard::kStet, "stet",
     R"({"transactions":[{"resourceId":"T1","transactionAmount":{"amount":AMOUNT,"currency":CURRENCY},)"
     R"("creditDebitIndicator":"DBIT","status":"BOOK","bookingDate":"2025-01-02","remittanceInformation":[TEXT]}]})",
     "transactions[0].transactionAmount.amount", "transactions[0].remittanceInformation[0]"},
};

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  const size_t pos = s.find(from);
  if (pos != std::string::npos) s.replace(pos, from.size(), to);
  return s;
}

class BadInput : public ::testing::TestWithParam<StandardCase> {
 protected:
  std::string Body(const std::string& amount = R"("12.30")", const std::string& currency = R"("EUR")",
                   const std::string& text = R"("rent")") const {
    return Replace(Replace(Replace(GetParam().body, "AMOUNT", amount), "CURRENCY", currency), "TEXT", text);
  }
  NormalizeOptions Options() const {
    NormalizeOptions o;
    o.standard = GetParam().standard;
    return o;
  }
  // The error message for a body that must be rejected.
  std::string Reject(std::string_view body) const {
    auto r = NormalizeTransactions(body, Options());
    EXPECT_FALSE(r.has_value()) << "accepted: " << body.substr(0, 200);
    if (r) return "";
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
    EXPECT_EQ(std::count(r.error().message.begin(), r.error().message.end(), '\n'), 0);
    EXPECT_LT(r.error().message.size(), 300u) << "messages stay short whatever the input";
    return r.error().message;
  }
};

TEST_P(BadInput, TheValidBodyIsAccepted) {
  auto r = NormalizeTransactions(Body(), Options());
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_EQ(r->size(), 1u);
}

TEST_P(BadInput, EveryTruncationIsRejected) {
  const std::string body = Body();
  for (size_t n = 0; n < body.size(); ++n) {
    const std::string msg = Reject(std::string_view(body).substr(0, n));
    EXPECT_NE(msg.find(": "), std::string::npos) << n;
  }
}

TEST_P(BadInput, WrongTypes) {
  EXPECT_EQ(Reject(Body("true")), GetParam().amount_path + ": expected a decimal string or number");
  EXPECT_EQ(Reject(Body("{}")), GetParam().amount_path + ": expected a decimal string or number");
  EXPECT_EQ(Reject(Body("null")), GetParam().amount_path + ": expected a decimal string or number");
  EXPECT_EQ(Reject(Body(R"("1")", R"("EUR")", "12")), GetParam().text_path + ": expected a string");
  EXPECT_EQ(Reject(Body(R"("1")", "[]")).substr(0, 5), GetParam().amount_path.substr(0, 5));
}

TEST_P(BadInput, MegabyteStrings) {
  const std::string mb(1 << 20, 'x');
  EXPECT_EQ(Reject(Body(R"("1")", R"("EUR")", "\"" + mb + "\"")),
            GetParam().text_path + ": string too long (at most 4096 bytes)");
  EXPECT_EQ(Reject(Body("\"" + std::string(1 << 20, '9') + "\"")),
            GetParam().amount_path + ": string too long (at most 4096 bytes)");
  const std::string long_currency = Reject(Body(R"("1")", "\"" + std::string(1 << 20, 'E') + "\""));
  EXPECT_TRUE(long_currency.ends_with("urrency: string too long (at most 4096 bytes)")) << long_currency;
}

TEST_P(BadInput, NestingTenThousandDeep) {
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  EXPECT_EQ(Reject(deep), "$: expected an object");
  EXPECT_EQ(Reject(Body(deep)), GetParam().amount_path + ": expected a decimal string or number");
  // Berlin Group also accepts an array of lines there, so the path may go one level deeper.
  const std::string deep_text = Reject(Body(R"("1")", R"("EUR")", deep));
  EXPECT_EQ(deep_text.rfind(GetParam().text_path, 0), 0u) << deep_text;
  EXPECT_TRUE(deep_text.ends_with(": expected a string")) << deep_text;
  const std::string deep_objects = [] {
    std::string s;
    for (int i = 0; i < 10000; ++i) s += R"({"a":)";
    s += "1";
    s += std::string(10000, '}');
    return s;
  }();
  EXPECT_NE(Reject(deep_objects).find(": "), std::string::npos);
  // Unbalanced deep nesting is truncated JSON.
  EXPECT_NE(Reject(Body(std::string(10000, '['))).find(": "), std::string::npos);
}

TEST_P(BadInput, InvalidUtf8AndNulBytes) {
  EXPECT_EQ(Reject(Body(R"("1")", R"("EUR")", "\"caf\xc3\"")), "$: invalid UTF-8");
  EXPECT_EQ(Reject(Body(R"("1")", R"("EUR")", "\"\xff\xfe\"")), "$: invalid UTF-8");
  EXPECT_EQ(Reject(Body(R"("1")", R"("EUR")", "\"\xed\xa0\x80\"")), "$: invalid UTF-8") << "encoded surrogate";
  EXPECT_EQ(Reject(Body(R"("1")", R"("EUR")", R"("a\u0000b")")), GetParam().text_path + ": NUL byte in a string");
  EXPECT_EQ(Reject(Body(R"("1")", R"("EUR")", R"("\ud800")")), GetParam().text_path + ": invalid string escape");
  std::string raw_nul = Body(R"("1")", R"("EUR")", std::string("\"a\0b\"", 5));
  EXPECT_EQ(Reject(raw_nul), "$: unescaped control character in a string");
}

TEST_P(BadInput, ExponentsAndFortyDigitAmounts) {
  const std::string& p = GetParam().amount_path;
  EXPECT_EQ(Reject(Body(R"("1e5")")), p + ": not a decimal (exponents are not allowed)");
  EXPECT_EQ(Reject(Body("1e5")), p + ": not a decimal (exponents are not allowed)");
  EXPECT_EQ(Reject(Body("1.5E-2")), p + ": not a decimal (exponents are not allowed)");
  EXPECT_EQ(Reject(Body(std::string(40, '9'))), p + ": too many integer digits (at most 18)");
  EXPECT_EQ(Reject(Body("\"" + std::string(40, '1') + "\"")), p + ": too many integer digits (at most 18)");
  // UK Open Banking reads ',' as a thousands separator (so "1,5" is a malformed grouping); elsewhere only a profile
  // says so. Neither reads it as a decimal comma.
  EXPECT_EQ(Reject(Body(R"("1,5")")), p + (GetParam().standard == Standard::kUkOpenBanking
                                               ? ": commas that are not a thousands separator"
                                               : ": not a decimal (commas are not allowed)"));
  EXPECT_EQ(Reject(Body(R"("")")), p + ": empty amount");
}

TEST_P(BadInput, CurrencyRules) {
  const std::string currency_path = GetParam().amount_path.substr(0, GetParam().amount_path.rfind('.') + 1) +
                                    (GetParam().standard == Standard::kUkOpenBanking ? "Currency" : "currency");
  EXPECT_EQ(Reject(Body(R"("1")", R"("eur1")")),
            currency_path + ": not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(Reject(Body(R"("1")", R"("")")), currency_path + ": missing currency");
  EXPECT_EQ(Reject(Body(R"("1")", "null")), currency_path + ": missing currency");
  // A body without the currency key at all.
  std::string no_currency = Body(R"("1")", R"("EUR")");
  for (const std::string key : {R"(,"currency":"EUR")", R"("currency":"EUR",)", R"(,"Currency":"EUR")"}) {
    no_currency = Replace(no_currency, key, "");
  }
  EXPECT_EQ(Reject(no_currency), currency_path + ": missing currency");
}

TEST_P(BadInput, TrailingContentAndEmptyInput) {
  EXPECT_EQ(Reject(Body() + " {}"), "$: unexpected content after the JSON value");
  EXPECT_EQ(Reject(""), "$: empty document");
  EXPECT_EQ(Reject("   "), "$: empty document");
}

INSTANTIATE_TEST_SUITE_P(AllStandards, BadInput, ::testing::ValuesIn(kCases),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
}  // namespace bankfeed
