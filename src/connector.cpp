// MakeConnector: the profile's standard picks the adapter.
#include "bankfeed/connector.hpp"

#include "adapters/berlin_group/adapter.hpp"

namespace bankfeed {

Result<std::unique_ptr<Connector>> MakeConnector(const ConnectionOptions& options, ConnectorEnvironment environment) {
  switch (options.profile.standard) {
    case Standard::kBerlinGroup:
      return berlin_group::BerlinGroupConnector::Make(options, std::move(environment));
    case Standard::kUkOpenBanking:
    case Standard::kStet:
      break;
  }
  Error e(ErrorCode::kConfig, "profile.standard: " + std::string(StandardName(options.profile.standard)) +
                                  " has no connector yet (normalize supports it)");
  e.bank_id = options.profile.id;
  return tl::unexpected(std::move(e));
}

}  // namespace bankfeed
