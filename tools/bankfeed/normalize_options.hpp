// `bankfeed normalize`: its flags, and the NormalizeOptions they and a bank profile give.
#pragma once

#include <string>

#include "bankfeed/normalize.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::cli {

struct NormalizeArgs {
  std::string standard;    // empty: the profile's
  std::string kind;
  std::string account_id;
  std::string account_currency;  // empty: unknown
  std::string timezone;    // empty: the profile's, else UTC
  std::string profile;     // a bank profile file (specs/banks/*.yaml), for its value quirks, time zone and standard
  std::string input = "-";
  bool keep_going = false;  // transactions only: set refused rows aside instead of failing on the first
};

// The options for `args`. A usage error (no standard, a --standard that contradicts the profile's, an unknown
// --timezone, --keep-going on another kind than transactions) is kInvalidArgument; a profile that cannot be loaded
// is its loader's kConfig error, which names the file, line and column.
Result<NormalizeOptions> ResolveNormalizeOptions(const NormalizeArgs& args);

}  // namespace bankfeed::cli
