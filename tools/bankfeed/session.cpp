#include "tools/bankfeed/session.hpp"

#include "store/sqlite_store.hpp"

namespace bankfeed::cli {

Result<Session> OpenSession(const std::string& config_path, const std::string& bank_id, ConnectorEnvironment env) {
  Session s;
  BANKFEED_ASSIGN_OR_RETURN(s.config, LoadClientConfig(config_path));
  if (!IsProfileId(bank_id)) {
    return MakeError(ErrorCode::kInvalidArgument, "--bank: expected a profile id such as sandbox-alpha");
  }
  BANKFEED_ASSIGN_OR_RETURN(s.connector, BankConnections(s.config).ConnectorFor(bank_id, std::move(env)));
  return s;
}

Result<GrantSession> OpenGrant(const std::string& config_path, const std::string& handle, ConnectorEnvironment env) {
  GrantSession g;
  BANKFEED_ASSIGN_OR_RETURN(g.session.config, LoadClientConfig(config_path));
  if (!store::IsHandle(handle, "cg_")) return MakeError(ErrorCode::kInvalidArgument, "--consent: not a consent handle (cg_...)");
  BANKFEED_ASSIGN_OR_RETURN(g.store, OpenStore(g.session.config));
  BANKFEED_ASSIGN_OR_RETURN(g.lease, g.store->TryLeaseConsent(g.session.config.tenant, handle));
  if (!g.lease) {
    return MakeError(ErrorCode::kUnavailable,
                     "--consent: busy (a sync or another command is using it, maybe in bankfeedd); try again");
  }
  BANKFEED_ASSIGN_OR_RETURN(g.record, g.store->LoadConsent(g.session.config.tenant, handle));
  BANKFEED_ASSIGN_OR_RETURN(g.session.connector,
                            BankConnections(g.session.config).ConnectorFor(g.record.bank_id, std::move(env)));
  return g;
}

}  // namespace bankfeed::cli
