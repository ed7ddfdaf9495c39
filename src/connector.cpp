// MakeConnector: the profile's standard picks the connector factory in the table of standards (standards.hpp).
#include "bankfeed/connector.hpp"

#include "standards.hpp"

namespace bankfeed {

Result<std::unique_ptr<Connector>> MakeConnector(const ConnectionOptions& options, ConnectorEnvironment environment) {
  const StandardEntry& entry = EntryFor(options.profile.standard);
  if (entry.make_connector != nullptr) return entry.make_connector(options, std::move(environment));
  Error e(ErrorCode::kConfig, "profile.standard: " + std::string(entry.name) +
                                  " has no connector yet (normalize supports it)");
  e.bank_id = options.profile.id;
  return tl::unexpected(std::move(e));
}

}  // namespace bankfeed
