// bankfeed/canonical_json.hpp: the canonical JSON form of each record, one object per line.
//
// Keys come in the order docs/CANONICAL.md lists, every key is present, and absent values are null.
//
//   std::string line = bankfeed::ToCanonicalJson(transaction);
#pragma once

#include <string>

#include "bankfeed/model.hpp"

namespace bankfeed {

BANKFEED_EXPORT void AppendCanonicalJson(std::string& out, const Transaction& t);
BANKFEED_EXPORT void AppendCanonicalJson(std::string& out, const Account& a);
BANKFEED_EXPORT void AppendCanonicalJson(std::string& out, const Balance& b);
BANKFEED_EXPORT void AppendCanonicalJson(std::string& out, const Consent& c);

template <typename Record>
std::string ToCanonicalJson(const Record& r) {
  std::string out;
  AppendCanonicalJson(out, r);
  return out;
}

}  // namespace bankfeed
