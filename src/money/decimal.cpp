#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "bankfeed/money.hpp"

namespace bankfeed {

Decimal::Decimal(Int units, int scale) : units_(units), scale_(scale) { Normalise(); }

void Decimal::Normalise() {
  if (scale_ > 0 && units_ >= INT64_MIN && units_ <= INT64_MAX) {
    // The usual case, in 64-bit arithmetic: 128-bit division is a library call.
    auto units = static_cast<int64_t>(units_);
    while (scale_ > 0 && units % 10 == 0) {
      units /= 10;
      --scale_;
    }
    units_ = units;
  }
  while (scale_ > 0 && units_ % 10 == 0) {
    units_ /= 10;
    --scale_;
  }
  if (units_ == 0) scale_ = 0;
}

Result<Decimal> Decimal::Parse(std::string_view s) {
  if (s.empty()) return MakeError(ErrorCode::kInvalidInput, "empty amount");
  size_t i = 0;
  bool negative = false;
  if (s[0] == '-' || s[0] == '+') {
    negative = s[0] == '-';
    i = 1;
  }
  Int units = 0;
  int int_digits = 0;
  int frac_digits = 0;
  bool seen_point = false;
  bool significant = false;  // leading zeros do not count toward the 18 integer digits
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c >= '0' && c <= '9') {
      if (seen_point) {
        if (++frac_digits > kMaxFractionDigits) {
          // Trailing zeros beyond the limit carry no value; anything else would need rounding, which we never do.
          if (c != '0') return MakeError(ErrorCode::kInvalidInput, "too many fraction digits (at most 18)");
          --frac_digits;
          continue;
        }
      } else {
        significant = significant || c != '0';
        if (significant && ++int_digits > kMaxIntegerDigits) {
          return MakeError(ErrorCode::kInvalidInput, "too many integer digits (at most 18)");
        }
      }
      units = units * 10 + (c - '0');
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else if (c == 'e' || c == 'E') {
      return MakeError(ErrorCode::kInvalidInput, "not a decimal (exponents are not allowed)");
    } else if (c == ',') {
      return MakeError(ErrorCode::kInvalidInput, "not a decimal (commas are not allowed)");
    } else {
      return MakeError(ErrorCode::kInvalidInput, "not a decimal");
    }
  }
  const size_t digits_start = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  const size_t digit_count = s.size() - digits_start - (seen_point ? 1 : 0);
  if (digit_count == 0) return MakeError(ErrorCode::kInvalidInput, "not a decimal (no digits)");
  if (seen_point && (s[digits_start] == '.' || s.back() == '.')) {
    return MakeError(ErrorCode::kInvalidInput, "not a decimal (digits required on both sides of '.')");
  }
  return Decimal(negative ? -units : units, frac_digits);
}

Decimal Decimal::Negated() const {
  Decimal d = *this;
  d.units_ = -d.units_;
  return d;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  Decimal::Int x = a.units_, y = b.units_;
  for (int s = a.scale_; s < b.scale_; ++s) x *= 10;
  for (int s = b.scale_; s < a.scale_; ++s) y *= 10;
  return x < y ? std::strong_ordering::less : (x > y ? std::strong_ordering::greater : std::strong_ordering::equal);
}

Decimal operator+(const Decimal& a, const Decimal& b) {
  const int scale = std::max(a.scale_, b.scale_);
  Decimal::Int x = a.units_, y = b.units_;
  for (int s = a.scale_; s < scale; ++s) x *= 10;
  for (int s = b.scale_; s < scale; ++s) y *= 10;
  return Decimal(x + y, scale);
}

void Decimal::AppendTo(std::string& out, int min_fraction_digits) const {
  // 38 digits fit an __int128; print them right to left.
  std::array<char, 48> buf;
  size_t pos = buf.size();
  const Int v = units_ < 0 ? -units_ : units_;
  const int frac = std::max(scale_, min_fraction_digits);
  int pad = frac - scale_;  // trailing zeros to reach the minimum
  for (int i = 0; i < pad; ++i) buf[--pos] = '0';
  // The digits of v, right to left, `fraction` of them before the point (in 64-bit arithmetic when v fits: 128-bit
  // division is a library call).
  const auto digits = [&](auto n, int fraction) {
    for (int i = 0; i < fraction; ++i) {
      buf[--pos] = static_cast<char>('0' + static_cast<int>(n % 10));
      n /= 10;
    }
    if (frac > 0) buf[--pos] = '.';
    do {
      buf[--pos] = static_cast<char>('0' + static_cast<int>(n % 10));
      n /= 10;
    } while (n != 0);
  };
  if (v <= UINT64_MAX) {
    digits(static_cast<uint64_t>(v), scale_);
  } else {
    digits(v, scale_);
  }
  if (units_ < 0) buf[--pos] = '-';
  out.append(buf.data() + pos, buf.size() - pos);
}

void Decimal::WriteKeyBytes(char* out) const {
  // Normalised on construction, so (units, scale) is canonical: 12.30 and 12.3 give the same bytes.
  static_assert(kKeyBytes == sizeof(Int) + 1);
  std::memcpy(out, &units_, sizeof(Int));
  out[sizeof(Int)] = static_cast<char>(scale_);
}

void Decimal::AppendKeyBytes(std::string& out) const {
  char buf[kKeyBytes];
  WriteKeyBytes(buf);
  out.append(buf, sizeof buf);
}

std::string Decimal::ToString(int min_fraction_digits) const {
  std::string s;
  AppendTo(s, min_fraction_digits);
  return s;
}

}  // namespace bankfeed
