// docs/CANONICAL.md "Money": exact decimals, minor units per currency, and what is rejected.
#include <gtest/gtest.h>

#include "bankfeed/money.hpp"

namespace bankfeed {
namespace {

std::string Canon(std::string_view amount, std::string_view currency) {
  auto m = Money::Parse(amount, currency);
  EXPECT_TRUE(m.has_value()) << amount << " " << currency << ": " << (m ? "" : m.error().message);
  return m ? m->ToString() : "<error>";
}

std::string Reject(std::string_view amount, std::string_view currency = "EUR") {
  auto m = Money::Parse(amount, currency);
  EXPECT_FALSE(m.has_value()) << amount;
  if (m) return "";
  EXPECT_EQ(m.error().code, ErrorCode::kInvalidInput);
  return m.error().message;
}

TEST(Money, CanonicalExamples) {
  EXPECT_EQ(Canon("5", "EUR"), "5.00");
  EXPECT_EQ(Canon("-5.5", "EUR"), "-5.50");
  EXPECT_EQ(Canon("12.345", "EUR"), "12.345");
  EXPECT_EQ(Canon("12.340", "EUR"), "12.34");
  EXPECT_EQ(Canon("1500", "JPY"), "1500");
  EXPECT_EQ(Canon("1.5", "KWD"), "1.500");
  EXPECT_EQ(Canon("-0.00", "EUR"), "0.00");
}

TEST(Money, MinorUnitsPerCurrency) {
  EXPECT_EQ(Canon("7", "GBP"), "7.00");
  EXPECT_EQ(Canon("7", "BHD"), "7.000");
  EXPECT_EQ(Canon("7.25", "JPY"), "7.25") << "non-zero fraction digits beyond the minor units are kept";
  EXPECT_EQ(Canon("7.00", "JPY"), "7") << "with zero minor units there is no point unless digits follow";
  EXPECT_EQ(Canon("7", "CLF"), "7.0000");
  EXPECT_EQ(Canon("7", "XYZ"), "7.00") << "codes outside the table default to 2";
}

TEST(Money, NoLeadingZerosAndNeverNegativeZero) {
  EXPECT_EQ(Canon("007.5", "EUR"), "7.50");
  EXPECT_EQ(Canon("0", "EUR"), "0.00");
  EXPECT_EQ(Canon("-0", "JPY"), "0");
  EXPECT_EQ(Canon("0.5", "EUR"), "0.50");
  EXPECT_EQ(Canon("-0.001", "EUR"), "-0.001");
  EXPECT_EQ(Canon("+3.1", "EUR"), "3.10");
}

TEST(Money, NeverRounds) {
  EXPECT_EQ(Canon("0.123456789012345678", "EUR"), "0.123456789012345678");
  EXPECT_EQ(Canon("999999999999999999.99", "EUR"), "999999999999999999.99");
  EXPECT_EQ(Canon("1.50000000000000000000000", "EUR"), "1.50") << "trailing zeros carry no value";
}

TEST(Money, Rejections) {
  EXPECT_EQ(Reject("1e5"), "not a decimal (exponents are not allowed)");
  EXPECT_EQ(Reject("1.5E-2"), "not a decimal (exponents are not allowed)");
  EXPECT_EQ(Reject("1,50"), "not a decimal (commas are not allowed)");
  EXPECT_EQ(Reject("1,000.50"), "not a decimal (commas are not allowed)");
  EXPECT_EQ(Reject("1234567890123456789"), "too many integer digits (at most 18)");
  EXPECT_EQ(Reject("1234567890123456789012345678901234567890"), "too many integer digits (at most 18)");
  EXPECT_EQ(Reject("0.1234567890123456789"), "too many fraction digits (at most 18)");
  EXPECT_EQ(Reject(""), "empty amount");
  EXPECT_EQ(Reject("-"), "not a decimal (no digits)");
  EXPECT_EQ(Reject("."), "not a decimal (no digits)");
  EXPECT_EQ(Reject("5."), "not a decimal (digits required on both sides of '.')");
  EXPECT_EQ(Reject(".5"), "not a decimal (digits required on both sides of '.')");
  EXPECT_EQ(Reject("1.2.3"), "not a decimal");
  EXPECT_EQ(Reject(" 5"), "not a decimal");
  EXPECT_EQ(Reject("--5"), "not a decimal");
  EXPECT_EQ(Reject("NaN"), "not a decimal");
  EXPECT_EQ(Reject("0x10"), "not a decimal");
}

TEST(Money, CurrencyRules) {
  EXPECT_EQ(Reject("1", ""), "missing currency");
  EXPECT_EQ(Reject("1", "eur"), "not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(Reject("1", "eur1"), "not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(Reject("1", "EU"), "not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(Reject("1", "E1R"), "not an ISO 4217 currency code (three letters A-Z)");
  EXPECT_EQ(Reject("1", "EURO"), "not an ISO 4217 currency code (three letters A-Z)");
}

TEST(Decimal, ExactArithmeticAndOrdering) {
  auto a = *Decimal::Parse("0.1"), b = *Decimal::Parse("0.2"), c = *Decimal::Parse("0.3");
  EXPECT_EQ(a + b, c) << "no binary floating point anywhere";
  EXPECT_EQ((c - a).ToString(), "0.2");
  EXPECT_LT(*Decimal::Parse("-12.5"), *Decimal::Parse("-12.49"));
  EXPECT_EQ(*Decimal::Parse("12.50"), *Decimal::Parse("12.5"));
  EXPECT_EQ(Decimal::Parse("-256.67")->Abs().ToString(), "256.67");
  EXPECT_TRUE(Decimal::Parse("-0.000")->IsZero());
  EXPECT_FALSE(Decimal::Parse("-0.000")->IsNegative());
}

}  // namespace
}  // namespace bankfeed
