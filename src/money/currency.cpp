#include <algorithm>
#include <array>
#include <string_view>

#include "bankfeed/money.hpp"

namespace bankfeed {
namespace {

struct MinorUnits {
  std::string_view code;
  int digits;
};

// ISO 4217 codes whose minor units differ from 2 (list as of amendment 176). Sorted for binary search.
constexpr std::array<MinorUnits, 26> kExceptions{{
    {"BHD", 3}, {"BIF", 0}, {"CLF", 4}, {"CLP", 0}, {"DJF", 0}, {"GNF", 0}, {"IQD", 3}, {"ISK", 0}, {"JOD", 3},
    {"JPY", 0}, {"KMF", 0}, {"KRW", 0}, {"KWD", 3}, {"LYD", 3}, {"OMR", 3}, {"PYG", 0}, {"RWF", 0}, {"TND", 3},
    {"UGX", 0}, {"UYI", 0}, {"UYW", 4}, {"VND", 0}, {"VUV", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0},
}};

static_assert(std::is_sorted(kExceptions.begin(), kExceptions.end(),
                             [](const MinorUnits& a, const MinorUnits& b) { return a.code < b.code; }));

}  // namespace

Result<Currency> Currency::Parse(std::string_view code) {
  if (code.empty()) return MakeError(ErrorCode::kInvalidInput, "missing currency");
  if (code.size() != 3 || !std::all_of(code.begin(), code.end(), [](char c) { return c >= 'A' && c <= 'Z'; })) {
    return MakeError(ErrorCode::kInvalidInput, "not an ISO 4217 currency code (three letters A-Z)");
  }
  Currency c;
  std::copy(code.begin(), code.end(), c.code_.begin());
  return c;
}

int Currency::minor_units() const {
  auto it = std::lower_bound(kExceptions.begin(), kExceptions.end(), code(),
                             [](const MinorUnits& m, std::string_view c) { return m.code < c; });
  if (it != kExceptions.end() && it->code == code()) return it->digits;
  return 2;
}

Result<Money> Money::Parse(std::string_view amount, std::string_view currency) {
  BANKFEED_ASSIGN_OR_RETURN(Decimal d, Decimal::Parse(amount));
  BANKFEED_ASSIGN_OR_RETURN(Currency c, Currency::Parse(currency));
  return Money{d, c};
}

}  // namespace bankfeed
