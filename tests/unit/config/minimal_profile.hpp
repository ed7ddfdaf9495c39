// The smallest bank profile that loads: six lines, the keys every profile must have. The profile tests add theirs
// to it, or replace one of its lines.
#pragma once

namespace bankfeed::config_test {

inline constexpr char kMinimal[] =
    "id: bank-x\n"
    "name: Bank X\n"
    "standard: berlin-group\n"
    "standard_version: \"1.3.11\"\n"
    "base_url: https://api.bank-x.example/psd2\n"
    "timezone: Europe/Berlin\n";

}  // namespace bankfeed::config_test
