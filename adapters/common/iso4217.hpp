// ISO 4217 numeric currency codes ("978" is EUR), which some banks send where their standard asks for the letters.
// Internal header.
#pragma once

#include <string_view>

namespace bankfeed::adapters {

// The three letters of a current ISO 4217 numeric code (exactly three digits), or empty when it is not one.
std::string_view CurrencyForNumericCode(std::string_view digits);

}  // namespace bankfeed::adapters
