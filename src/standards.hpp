// The one table of standards: for each API family, its name, its mappings (normalize), its connector factory and,
// where its banks register clients, its registrar.
// Internal header: never installed.
//
// The table is explicit (no static self-registration, which static libraries silently drop). A new standard is a
// folder under adapters/ and one row in src/standards.cpp; normalize.cpp and connector.cpp only look rows up.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "bankfeed/connector.hpp"
#include "bankfeed/normalize.hpp"
#include "bankfeed/registration.hpp"

namespace bankfeed {

struct StandardEntry {
  Standard standard;
  std::string_view name;  // as profiles and --standard spell it
  Result<std::vector<Transaction>> (*transactions)(simdjson::padded_string_view, const NormalizeOptions&);
  Result<std::vector<Account>> (*accounts)(simdjson::padded_string_view, const NormalizeOptions&);
  Result<std::vector<Balance>> (*balances)(simdjson::padded_string_view, const NormalizeOptions&);
  Result<Consent> (*consent)(simdjson::padded_string_view, const NormalizeOptions&);
  Status (*stream)(simdjson::padded_string_view, const NormalizeOptions&, const TransactionSink&);
  // The smallest transactions body around one row of the list `status` (a quarantined row tried again).
  std::string (*wrap_row)(std::string_view row, TransactionStatus status);
  // Null while the standard has mappings only (bankfeed normalize) and no connector yet.
  Result<std::unique_ptr<Connector>> (*make_connector)(const ConnectionOptions&, ConnectorEnvironment);
  // Null when the standard's banks do not register clients dynamically.
  Result<std::unique_ptr<ClientRegistrar>> (*make_registrar)(const ConnectionOptions&, ConnectorEnvironment);
};

std::span<const StandardEntry> Standards();
// The row of `s` (rows are kept in the enum's order, checked at compile time).
const StandardEntry& EntryFor(Standard s);

}  // namespace bankfeed
