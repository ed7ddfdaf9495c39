// MakeConnector: the profile's standard picks the connector factory in the table of standards (standards.hpp).
#include "bankfeed/connector.hpp"

#include "adapters/common/url.hpp"
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

std::optional<Date> ReconfirmBy(const ConsentGrant& grant, const BankProfile& profile) {
  if (profile.sca.reconfirm_days <= 0 || !grant.authorised_at) return std::nullopt;
  const Date authorised = profile.timezone.LocalDate(grant.authorised_at->unix_seconds);
  return Date{authorised.days_since_epoch + profile.sca.reconfirm_days};
}

Result<std::unique_ptr<ClientRegistrar>> MakeClientRegistrar(const ConnectionOptions& options,
                                                             ConnectorEnvironment environment) {
  const StandardEntry& entry = EntryFor(options.profile.standard);
  if (entry.make_registrar != nullptr) return entry.make_registrar(options, std::move(environment));
  Error e(ErrorCode::kConfig, "profile.standard: " + std::string(entry.name) +
                                  " banks do not register clients dynamically");
  e.bank_id = options.profile.id;
  return tl::unexpected(std::move(e));
}

Result<CallbackParams> ParseCallbackUrl(std::string_view url) {
  std::string_view query = url, fragment;
  if (const size_t hash = url.find('#'); hash != std::string_view::npos) {
    query = url.substr(0, hash);
    fragment = url.substr(hash + 1);
  }
  if (const size_t q = query.find('?'); q != std::string_view::npos) {
    query = query.substr(q + 1);
  } else if (query.find("://") != std::string_view::npos || query.starts_with('/')) {
    query = {};  // a URL without a query, not a bare query
  }
  CallbackParams params = adapters::ParseQuery(query);
  if (fragment.find('=') == std::string_view::npos) return params;  // a plain anchor, not parameters
  for (auto& [name, value] : adapters::ParseQuery(fragment)) {
    const auto [at, inserted] = params.emplace(name, value);
    if (!inserted && at->second != value) {
      return MakeError(ErrorCode::kInvalidInput,
                       "callback: parameter '" + name + "' differs between the query and the fragment");
    }
  }
  return params;
}

}  // namespace bankfeed
