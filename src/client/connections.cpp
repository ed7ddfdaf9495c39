// The banks of one configuration, each profile read once. See include/bankfeed/client.hpp.
#include <filesystem>

#include "adapters/common/url.hpp"
#include "bankfeed/client.hpp"
#include "config/profile_checks.hpp"

namespace bankfeed {
namespace fs = std::filesystem;
namespace {

// Moves the origin of `url` from `from` to `to` when it is on `from`.
std::string Rebase(const std::string& url, const adapters::UrlParts& from, const adapters::UrlParts& to) {
  auto parts = adapters::ParseUrl(url, "url");
  if (!parts || !adapters::SameOrigin(*parts, from)) return url;
  return to.Origin() + parts->Target();
}

Result<ConnectionOptions> LoadConnection(const ClientConfig& config, const std::string& bank_id) {
  ConnectionOptions options;
  if (!IsProfileId(bank_id)) {
    return MakeError(ErrorCode::kInvalidArgument, "bank id: expected a profile id (a-z, 0-9 and '-') such as "
                                                  "sandbox-alpha");
  }
  BANKFEED_ASSIGN_OR_RETURN(options.profile,
                            LoadBankProfile((fs::path(config.profiles_dir) / (bank_id + ".yaml")).string()));
  if (auto it = config.base_urls.find(bank_id); it != config.base_urls.end()) {
    // The origin only is compared (a {segment} placeholder in the path stands for a segment).
    auto from = adapters::ParseUrl(config::WithPathSegment(options.profile.base_url, "segment"), "profile.base_url");
    auto to = adapters::ParseUrl(config::WithPathSegment(it->second, "segment"), "banks." + bank_id + ".base_url");
    if (!to || to->scheme != "https") {
      return MakeError(ErrorCode::kConfig, "banks." + bank_id + ".base_url: not an https URL");
    }
    if (from && options.profile.oauth2) {
      options.profile.oauth2->authorization_endpoint =
          Rebase(options.profile.oauth2->authorization_endpoint, *from, *to);
      options.profile.oauth2->token_endpoint = Rebase(options.profile.oauth2->token_endpoint, *from, *to);
      if (std::string& revocation = options.profile.oauth2->revocation_endpoint; !revocation.empty()) {
        revocation = Rebase(revocation, *from, *to);
      }
      if (std::string& issuer = options.profile.oauth2->issuer; !issuer.empty()) {
        // An issuer is compared character for character: a bare origin stays bare.
        const bool bare = issuer.back() != '/' && issuer.find('/', issuer.find("//") + 2) == std::string::npos;
        issuer = Rebase(issuer, *from, *to);
        if (bare && issuer.ends_with('/')) issuer.pop_back();
      }
    }
    options.profile.base_url = it->second;
    while (!options.profile.base_url.empty() && options.profile.base_url.back() == '/') {
      options.profile.base_url.pop_back();
    }
  }
  options.qwac = config.qwac;
  options.qseal = config.qseal;
  options.ca_bundle_file = config.ca_bundle_file;
  options.oauth_client_id = config.oauth_client_id;
  options.qseal_url = config.qseal_url;
  if (auto it = config.path_segments.find(bank_id); it != config.path_segments.end()) {
    options.profile.quirks.path_segment = it->second;
  }
  if (auto it = config.client_ids.find(bank_id); it != config.client_ids.end()) {
    options.oauth_client_id = it->second;
  } else if (auto registration = LoadRegistration(config, bank_id)) {
    options.oauth_client_id = registration->client_id;
  } else if (registration.error().code != ErrorCode::kNotFound) {
    return tl::unexpected(registration.error());
  }
  return options;
}

}  // namespace

BankConnections::BankConnections(ClientConfig config) : config_(std::move(config)) {}

Result<ConnectionOptions> BankConnections::ConnectionFor(const std::string& bank_id) const {
  {
    std::lock_guard lock(mu_);
    if (auto it = loaded_.find(bank_id); it != loaded_.end()) return it->second;
  }
  // Read outside the lock: a slow disk holds up no other bank. Two threads may both read a new profile; the first
  // to finish is kept.
  BANKFEED_ASSIGN_OR_RETURN(ConnectionOptions options, LoadConnection(config_, bank_id));
  std::lock_guard lock(mu_);
  return loaded_.emplace(bank_id, std::move(options)).first->second;
}

Result<std::unique_ptr<Connector>> BankConnections::ConnectorFor(const std::string& bank_id,
                                                                 ConnectorEnvironment env) const {
  BANKFEED_ASSIGN_OR_RETURN(ConnectionOptions connection, ConnectionFor(bank_id));
  return MakeConnector(connection, std::move(env));
}

ConnectorFactory BankConnections::Factory(ConnectorEnvironment env) const {
  return [this, env](const std::string& bank_id) { return ConnectorFor(bank_id, env); };
}

void BankConnections::Reload() {
  std::lock_guard lock(mu_);
  loaded_.clear();
}

}  // namespace bankfeed
