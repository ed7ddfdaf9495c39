// Field helpers shared by the mappings of every standard. Internal header.
#pragma once

#include <optional>
#include <span>
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

// A standard's balance type names and the ISO 20022 codes they map to.
struct BalanceTypeName {
  std::string_view name;
  std::string_view code;
};

// A balance type: one of `names` compared ignoring case, '_', '-' and spaces ("INTERIM_AVAILABLE" is
// interimAvailable), or an ISO code in any case; any other name is OTHR. b.type gets the code and b.bank_type the
// name as sent. Missing, or an API tool's "string" placeholder, is an error.
Status ReadBalanceType(MapContext& ctx, od::value v, std::span<const BalanceTypeName> names, Balance& b);

// An account's currency: three letters A-Z, or null. XXX (multi-currency) is kept.
Status ReadCurrencyCode(MapContext& ctx, od::value v, OptString& out);

}  // namespace bankfeed::adapters
