// bankfeed/client.hpp: one deployment's configuration (bankfeed.yaml) and what every front end does with it, the
// CLI, bankfeedd and a service linking the library alike: connections to its banks, with each bank profile read
// once per process; the store; a customer's erasure.
//
//   auto config = bankfeed::LoadClientConfig("bankfeed.yaml");
//   bankfeed::BankConnections banks(*config);
//   auto connector = banks.ConnectorFor("sandbox-alpha");
//   auto store = bankfeed::OpenStore(*config);
//   bankfeed::SyncEngine engine(**store, banks.Factory());
//
// bankfeed.yaml (no secrets inline: keys and passwords are files, mode 0600, or environment variables, as
// CredentialSource says):
//
//   tpp:
//     qwac:  {certificate_file: qwac.pem, key_file: qwac.key}
//     qseal: {certificate_file: qseal.pem, key_file: qseal.key, password_env: QSEAL_PASSWORD}
//     ca_bundle_file: bank-ca.pem          # optional: trust for the banks' servers
//     oauth_client_id: PSDDE-BAFIN-123456  # optional: else the QWAC's organizationIdentifier
//     qseal_url: https://tpp.example/qseal/  # where the QSealC is published as <sha-256 fingerprint>.pem (STET)
//     redirect_uri: https://tpp.example/callback
//   profiles_dir: specs/banks              # relative paths are relative to this file
//   banks:
//     sandbox-alpha: {base_url: "https://127.0.0.1:8443"}   # the profile's OAuth2 endpoints on the same origin move too
//     sandbox-delta: {oauth_client_id: "c-81f2"}            # the client id this bank issued (bankfeed register)
//     sandbox-epsilon: {path_segment: "paris"}              # a group profile's entity: base_url's {segment}
//   store:                                 # the encrypted store: consents (with their tokens), accounts, the feed
//     path: bankfeed.db
//     key_file: at-rest.keys               # mode 0600; or key_env: BANKFEED_AT_REST_KEYS
//   tenant: default                        # optional: whose data the CLI reads and writes
//   registrations_dir: registrations       # optional: client registrations `bankfeed register` keeps
//   daemon: {...}                          # bankfeedd's own section (daemon/src/daemon_config.hpp)
#pragma once

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/connector.hpp"
#include "bankfeed/export.hpp"
#include "bankfeed/registration.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/store.hpp"
#include "bankfeed/sync.hpp"

namespace bankfeed {

struct ClientConfig {
  CredentialSource qwac, qseal;
  std::string ca_bundle_file;
  std::string oauth_client_id;
  std::string qseal_url;  // where the TPP publishes its QSealC (ConnectionOptions::qseal_url)
  std::string redirect_uri;
  std::string profiles_dir;
  std::map<std::string, std::string> base_urls;  // bank id → base URL override
  std::map<std::string, std::string> client_ids;  // bank id → the client id the bank issued (dynamic registration)
  std::map<std::string, std::string> path_segments;  // bank id → the profile's quirks.path_segment for this deployment
  std::string registrations_dir;  // where `bankfeed register` keeps each bank's registration; default "registrations"
  SqliteStoreOptions store;
  std::string tenant = "default";
};

// kConfig naming file, line and key. A `daemon:` section is accepted and left to bankfeedd.
BANKFEED_EXPORT Result<ClientConfig> LoadClientConfig(const std::string& path);

// A path in the configuration: relative paths are relative to the file's folder `base`.
BANKFEED_EXPORT std::string ConfigRelative(const std::filesystem::path& base, const std::string& path);

// A bank profile id: 1 to 64 of a-z, 0-9 and '-' (it names a file under profiles_dir).
BANKFEED_EXPORT bool IsProfileId(std::string_view id);

// The banks of one configuration. Each profile is read from profiles_dir once, when it is first asked for, with the
// configuration's base-URL override applied; Reload() makes the next use of each read it again (a profile edited
// while the process runs). Safe to use from several threads.
class BANKFEED_EXPORT BankConnections {
 public:
  explicit BankConnections(ClientConfig config);

  const ClientConfig& config() const { return config_; }
  // The connection for one bank: its profile and the TPP's credentials. kInvalidArgument for an id that is not a
  // profile id, kConfig naming the file for a profile that does not load.
  Result<ConnectionOptions> ConnectionFor(const std::string& bank_id) const;
  Result<std::unique_ptr<Connector>> ConnectorFor(const std::string& bank_id, ConnectorEnvironment env = {}) const;
  // Connectors for the sync engine and ForgetCustomer, one per call. This object must outlive the factory.
  ConnectorFactory Factory(ConnectorEnvironment env = {}) const;
  void Reload();

 private:
  ClientConfig config_;
  mutable std::mutex mu_;
  mutable std::map<std::string, ConnectionOptions> loaded_;  // guarded by mu_; profiles that loaded
};

// A bank's dynamic client registration (bankfeed/registration.hpp), kept as <registrations_dir>/<bank id>.json
// (mode 0600, replaced atomically). A bank without banks.<id>.oauth_client_id in the configuration uses the client
// id of its registration file. Load: kNotFound when there is none, kConfig naming the file when it does not parse.
BANKFEED_EXPORT Status SaveRegistration(const ClientConfig& config, const std::string& bank_id,
                                        const ClientRegistration& registration);
BANKFEED_EXPORT Result<ClientRegistration> LoadRegistration(const ClientConfig& config, const std::string& bank_id);
BANKFEED_EXPORT Status RemoveRegistration(const ClientConfig& config, const std::string& bank_id);

// The configuration's encrypted store.
BANKFEED_EXPORT Result<std::unique_ptr<Store>> OpenStore(const ClientConfig& config);

// A clock fixed at noon UTC of `today` (YYYY-MM-DD), for sandbox simulations; the system clock when `today` is
// empty. kInvalidArgument naming --today for a bad date.
BANKFEED_EXPORT Result<ConnectorEnvironment> EnvironmentFor(const std::string& today);

// The customer's right to erasure, as `bankfeed forget` and bankfeedd's Admin.Forget run it: revoke each of the
// customer's live consents at its bank, then delete every row of the customer and purge the freed bytes.
//
// A consent the bank no longer honours (expired, revoked, unknown) needs no revocation. Any other failure to revoke
// stops before anything is deleted, unless `even_if_revoke_fails`. Each grant is saved after its revocation as the
// connector left it: terminated and without tokens once revoked; with its tokens (refreshed, maybe) for the next
// try when not.
//
// Each consent is leased first (Store::TryLeaseConsent), waiting up to `lease_wait` for a sync or a consent command
// that holds it, and its grant is read again under the lease. A consent still held after the wait is a kUnavailable
// error before anything is revoked or deleted. The leases are held until the rows are deleted.
//
// A consent added for the customer meanwhile (a consent flow finishing in another process) is dealt with in a
// further round, up to 4, before anything is deleted; the store itself deletes nothing while the customer has a
// consent no round dealt with (ForgetOptions::dealt_with_consents). A consent busy in a later round, or consents
// still being added after the last, are kUnavailable errors with the earlier rounds' consents revoked and nothing
// deleted.
struct ConsentRevocation {
  std::string consent_handle;
  std::string bank_id;
  std::optional<Error> error;  // set when the bank could not be told
};

struct ForgetOutcome {
  std::vector<ConsentRevocation> consents;
  std::optional<ForgetReport> report;  // empty when a revocation failed and nothing was deleted
  std::optional<Error> stopped_by;     // the revocation failure that stopped it
};

BANKFEED_EXPORT Result<ForgetOutcome> ForgetCustomer(Store& store, const ConnectorFactory& factory,
                                                     const std::string& tenant, const std::string& customer_handle,
                                                     bool even_if_revoke_fails, std::chrono::milliseconds lease_wait);

}  // namespace bankfeed
