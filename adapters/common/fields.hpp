// Field helpers shared by the mappings of every standard. Internal header.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "adapters/common/json_reader.hpp"

namespace bankfeed::adapters {

// Keeps the first 6 and last 4 digits of a card number and masks the rest; short values are masked whole.
std::string MaskPan(std::string_view pan);

// Sets `out` to `p` unless the party is empty (the bank gave nothing for that side).
inline void SetParty(std::optional<Party>& out, Party& p) {
  if (p.Empty()) {
    out.reset();
  } else {
    out = std::move(p);
  }
}

// CLBD, XPCD, OPBD, ITAV, ITBD, FWAV, CLAV, OPAV, INFO, PRCD, VALU, OTHR.
bool IsIsoBalanceCode(std::string_view code);

// An account's currency: three letters A-Z, or null. XXX (multi-currency) is kept.
Status ReadCurrencyCode(MapContext& ctx, od::value v, OptString& out);

}  // namespace bankfeed::adapters
