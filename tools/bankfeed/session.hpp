// The CLI's sessions: the configuration read once per command, a connector for one bank, and a stored consent
// under its lease. The configuration itself and what bankfeedd shares with the CLI are library code
// (include/bankfeed/client.hpp).
#pragma once

#include <memory>
#include <string>

#include "bankfeed/client.hpp"
#include "bankfeed/connector.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/store.hpp"

namespace bankfeed::cli {

// A connector for one bank, with the configuration it came from.
struct Session {
  ClientConfig config;
  std::unique_ptr<Connector> connector;
};
Result<Session> OpenSession(const std::string& config_path, const std::string& bank_id,
                            ConnectorEnvironment env = {});

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

}  // namespace bankfeed::cli
