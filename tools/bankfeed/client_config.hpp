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
//   state_dir: state                       # consent grants, one 0600 file each
#pragma once

#include <map>
#include <memory>
#include <string>

#include "bankfeed/connector.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::cli {

struct ClientConfig {
  CredentialSource qwac, qseal;
  std::string ca_bundle_file;
  std::string oauth_client_id;
  std::string redirect_uri;
  std::string profiles_dir;
  std::map<std::string, std::string> base_urls;  // bank id → base URL override
  std::string state_dir;
};

// kConfig naming file, line and key.
Result<ClientConfig> LoadClientConfig(const std::string& path);

// The connection for one bank: its profile (with the override applied) and the TPP's credentials.
Result<ConnectionOptions> ConnectionFor(const ClientConfig& config, const std::string& bank_id);

// A connector for one bank, with the configuration it came from.
struct Session {
  ClientConfig config;
  std::unique_ptr<Connector> connector;
};
Result<Session> OpenSession(const std::string& config_path, const std::string& bank_id,
                            ConnectorEnvironment env = {});

// Grants in state_dir: "<handle>.json", written atomically with mode 0600. A handle is "cg_" + 24 hex digits and
// says nothing about the customer.
std::string NewGrantHandle();
Status SaveGrant(const ClientConfig& config, const std::string& handle, const ConsentGrant& grant);
Result<ConsentGrant> LoadGrant(const ClientConfig& config, const std::string& handle);

// A stored grant and a session for its bank, the configuration read once.
struct GrantSession {
  Session session;
  ConsentGrant grant;
};
Result<GrantSession> OpenGrant(const std::string& config_path, const std::string& handle,
                               ConnectorEnvironment env = {});

}  // namespace bankfeed::cli
