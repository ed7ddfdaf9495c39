// bankfeed/money.hpp: exact decimal money, never binary floating point.
//
// Decimal holds a signed value as an integer of units and a scale (digits after the point), normalised so the
// fraction has no trailing zeros. Money pairs it with an ISO 4217 currency, whose minor units decide how many
// fraction digits are printed at least (EUR 2, JPY 0, KWD 3).
//
//   auto m = bankfeed::Money::Parse("-5.5", "EUR");   // -> "-5.50" EUR
//   std::string s = m->ToString();
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "bankfeed/result.hpp"

namespace bankfeed {

// Up to 18 integer digits and 18 fraction digits: an __int128 holds 38 digits, so arithmetic never overflows for
// sums of realistic sizes and parsing never rounds.
class BANKFEED_EXPORT Decimal {
 public:
  static constexpr int kMaxIntegerDigits = 18;
  static constexpr int kMaxFractionDigits = 18;

  Decimal() = default;

  // Accepts an optional sign ('-' or '+'), digits, and an optional '.' followed by digits.
  // Rejects exponents, commas, white space inside, empty strings and more than 18 integer or fraction digits.
  // The error message names the reason only, never the value.
  static Result<Decimal> Parse(std::string_view text);

  bool IsZero() const { return units_ == 0; }
  bool IsNegative() const { return units_ < 0; }
  int scale() const { return scale_; }
  Decimal Negated() const;
  Decimal Abs() const { return IsNegative() ? Negated() : *this; }

  // Prints at least min_fraction_digits fraction digits and every non-zero one the value has. Never "-0".
  std::string ToString(int min_fraction_digits = 0) const;
  void AppendTo(std::string& out, int min_fraction_digits = 0) const;
  // A compact binary key (kKeyBytes) that is equal exactly when the values are equal; for hashing, not display.
  static constexpr size_t kKeyBytes = 17;
  void AppendKeyBytes(std::string& out) const;
  void WriteKeyBytes(char* out) const;  // the same kKeyBytes into out[0, kKeyBytes)

  friend bool operator==(const Decimal& a, const Decimal& b) { return a.units_ == b.units_ && a.scale_ == b.scale_; }
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend Decimal operator+(const Decimal& a, const Decimal& b);
  friend Decimal operator-(const Decimal& a, const Decimal& b) { return a + b.Negated(); }

 private:
  __extension__ using Int = __int128;
  Decimal(Int units, int scale);
  void Normalise();

  Int units_ = 0;
  int scale_ = 0;
};

// An ISO 4217 alphabetic code: exactly three letters A-Z.
class BANKFEED_EXPORT Currency {
 public:
  Currency() = default;
  static Result<Currency> Parse(std::string_view code);

  std::string_view code() const { return {code_.data(), 3}; }
  // ISO 4217 minor units; 2 for codes the table does not list.
  int minor_units() const;
  bool empty() const { return code_[0] == '\0'; }

  friend bool operator==(const Currency&, const Currency&) = default;

 private:
  std::array<char, 4> code_{};
};

struct BANKFEED_EXPORT Money {
  Decimal amount;
  Currency currency;

  static Result<Money> Parse(std::string_view amount, std::string_view currency);
  // The canonical amount text: see docs/CANONICAL.md, "Money".
  std::string ToString() const { return amount.ToString(currency.minor_units()); }
  friend bool operator==(const Money&, const Money&) = default;
};

}  // namespace bankfeed
