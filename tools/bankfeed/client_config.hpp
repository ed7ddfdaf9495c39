// The CLI's client configuration (bankfeed.yaml): who the TPP is, where the bank profiles are, per-deployment
// overrides, and where consent grants are kept. No secrets inline: keys and passwords are files (0600) or
// environment variables, as CredentialSource says.
//
//   tpp:
//     qwac:  {certificate_file: qwac.pem, key_file: qwac.key}
//     qseal: {certificate_file: qseal.pem, key_file: qseal.key, password_env: QSEAL_PASSWORD}
//     ca_bundle_file: bank-ca.pem          # optional: trust for the banks' servers
//     oauth_client_id: PSDDE-BAFIN-123456  # optional: else the QWAC's organizationIdentifier
//     redirect_uri: https://tpp.example/callback
//   profiles_dir: specs/banks              # relative paths are relative to this file
//   banks:
//     sandbox-alpha: {base_url: "https://127.0.0.1:8443"}   # the profile's OAuth2 endpoints on the same origin move too
//   store:                                 # the encrypted store: consents (with their tokens), accounts, the feed
//     path: bankfeed.db
//     key_file: at-rest.keys               # mode 0600; or key_env: BANKFEED_AT_REST_KEYS
//   tenant: default                        # optional: whose data this CLI reads and writes
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "bankfeed/connector.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/store.hpp"
#include "bankfeed/sync.hpp"
#include "config/yaml_reader.hpp"

namespace bankfeed::cli {

struct ClientConfig {
  CredentialSource qwac, qseal;
  std::string ca_bundle_file;
  std::string oauth_client_id;
  std::string redirect_uri;
  std::string profiles_dir;
  std::map<std::string, std::string> base_urls;  // bank id → base URL override
  SqliteStoreOptions store;
  std::string tenant = "default";
};

// Reads the sections of bankfeed.yaml that are not the client's (bankfeedd's `daemon:`), with the file's reader, so
// that one file configures both and errors name file, line and key the same way. `base` is the file's folder.
using ExtraSections = std::function<void(config::MapReader& root, const std::filesystem::path& base)>;

// kConfig naming file, line and key. Without `extra`, a `daemon:` section is accepted and left to bankfeedd.
Result<ClientConfig> LoadClientConfig(const std::string& path, const ExtraSections& extra = {});

// A path in the configuration: relative paths are relative to the file's folder `base`.
std::string ConfigRelative(const std::filesystem::path& base, const std::string& path);

// A bank profile id: 1 to 64 of a-z, 0-9 and '-' (it names a file under profiles_dir).
bool IsProfileId(std::string_view id);

// The connection for one bank: its profile (with the override applied) and the TPP's credentials.
Result<ConnectionOptions> ConnectionFor(const ClientConfig& config, const std::string& bank_id);

// A connector for one bank, with the configuration it came from.
struct Session {
  ClientConfig config;
  std::unique_ptr<Connector> connector;
};
Result<Session> OpenSession(const std::string& config_path, const std::string& bank_id,
                            ConnectorEnvironment env = {});

Result<std::unique_ptr<Store>> OpenStore(const ClientConfig& config);

// A stored consent and a session for its bank, the configuration read once. Save `record` back to `store` after
// using the connector: the grant's tokens and quota counters move.
struct GrantSession {
  Session session;
  std::unique_ptr<Store> store;
  std::unique_ptr<ConsentLease> lease;  // the consent, for this command alone (a sync elsewhere waits its turn)
  ConsentRecord record;                 // loaded under the lease
};
Result<GrantSession> OpenGrant(const std::string& config_path, const std::string& handle,
                               ConnectorEnvironment env = {});

// `--today D`: a clock fixed at noon UTC of D, for sandbox simulations (the default clock when `today` is empty).
// kInvalidArgument naming --today for a bad date.
Result<ConnectorEnvironment> EnvironmentFor(const std::string& today);

// Connectors for the sync engine, one per call, from the configuration.
ConnectorFactory FactoryFor(const ClientConfig& config, ConnectorEnvironment env = {});

}  // namespace bankfeed::cli
