// Fuzzes bankfeed::Decimal::Parse. On success, every printed form parses back to an equal Decimal and is never "-0".
#include "fuzz_common.hpp"

namespace fuzz_decimal {

BANKFEED_FUZZ_TARGET(decimal) {
  using bankfeed::Decimal;
  using bankfeed::fuzz::Check;
  const auto d = Decimal::Parse(bankfeed::fuzz::AsText(data, size));
  if (!d) return 0;
  for (int min_fraction_digits = 0; min_fraction_digits <= 3; ++min_fraction_digits) {
    const std::string text = d->ToString(min_fraction_digits);
    const auto back = Decimal::Parse(text);
    Check(back.has_value() && *back == *d && (*back <=> *d) == 0);
    Check(!d->IsZero() || text[0] != '-');
  }
  Check(d->Negated().Negated() == *d && (*d - *d).IsZero());
  return 0;
}

}  // namespace fuzz_decimal
