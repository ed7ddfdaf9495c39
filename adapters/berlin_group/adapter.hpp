// The Berlin Group NextGenPSD2 1.3.x connector: consent and SCA (redirect, decoupled, OAuth2 pre-step, explicit
// or implicit start), accounts, balances and every page of transactions, over the mTLS transport with Cavage
// signatures. Internal header; callers use MakeConnector (connector.hpp).
//
// Split across files: adapter.cpp (construction, reads), consent_flow.cpp (consents and SCA), exchange.cpp
// (building, signing and sending one request; error mapping). What is not Berlin Group's own comes from
// adapters/common: the page and window walks, the OAuth2 tokens, the decoupled polling.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "adapters/common/cavage_signer.hpp"
#include "adapters/common/grant_tokens.hpp"
#include "adapters/common/url.hpp"
#include "bankfeed/connector.hpp"
#include "http/client.hpp"
#include "http/retry.hpp"

namespace bankfeed::berlin_group {

class BerlinGroupConnector final : public Connector {
 public:
  static Result<std::unique_ptr<Connector>> Make(const ConnectionOptions& options, ConnectorEnvironment env);

  const BankProfile& profile() const override { return profile_; }
  Result<ScaStep> StartConsent(const ConsentRequest& request, const PsuContext& psu, ConsentGrant& grant) override;
  Result<ConsentStatus> CompleteConsent(ConsentGrant& grant, const CallbackParams& callback,
                                        const PsuContext& psu) override;
  Result<Consent> GetConsent(ConsentGrant& grant) override;
  Status RevokeConsent(ConsentGrant& grant) override;
  Result<std::vector<Account>> ListAccounts(ConsentGrant& grant, const PsuContext& psu) override;
  Result<std::vector<Balance>> GetBalances(ConsentGrant& grant, const Account& account,
                                           const PsuContext& psu) override;
  Result<TransactionBatch> GetTransactions(ConsentGrant& grant, const Account& account,
                                           const TransactionQuery& query, const PsuContext& psu) override;

 private:
  // One call to the bank's API.
  struct Call {
    std::string method = "GET";
    std::string url;                  // absolute
    std::string body;                 // JSON, or empty
    ConsentGrant* grant = nullptr;    // for OAuth2, adds the bearer token (refreshed once when the bank refuses it)
    bool send_consent_id = false;     // AIS reads: Consent-ID of the grant
    const PsuContext* psu = nullptr;  // PSU-ID (per the profile), PSU-IP-Address, PSU-User-Agent
    std::vector<http::Header> headers;  // call-specific (TPP-Redirect-URI, ...)
    std::string operation;            // "read transactions", for errors
  };

  BerlinGroupConnector(BankProfile profile, std::unique_ptr<http::Client> client, adapters::CavageSigner signer,
                       std::string client_id, adapters::UrlParts base, ConnectorEnvironment env);

  // exchange.cpp
  Result<http::Response> Exchange(const Call& call);
  Result<http::Request> BuildRequest(const Call& call) const;
  // OAuth2 grants: a live bearer token (adapters/common/grant_tokens.hpp); nothing to do for the other approaches.
  Status EnsureAccessToken(ConsentGrant& grant);
  Error WithBank(Error e) const;
  std::chrono::system_clock::time_point Now() const;
  int64_t NowSeconds() const;  // Now() in Unix seconds
  Date Today() const;
  // Before every AIS read: a live bearer token (OAuth2) and one unattended read of `quota_key` counted.
  Status BeginRead(ConsentGrant& grant, const PsuContext& psu, const std::string& quota_key);
  // A GET of an AIS resource with the consent, the bearer token and the PSU headers.
  Call ReadCall(ConsentGrant& grant, const PsuContext& psu, std::string url, std::string operation) const;
  std::string ApiUrl(std::string_view path) const;  // base_url + path
  // A link from a bank answer, resolved against `from`; kProtocol unless it stays on the API's origin.
  Result<std::string> SameOriginLink(std::string_view from, std::string_view href, std::string_view what) const;

  // consent_flow.cpp
  Result<ScaStep> CreateConsent(ConsentGrant& grant, const PsuContext& psu);
  Result<ConsentStatus> FetchConsentStatus(ConsentGrant& grant);

  BankProfile profile_;
  std::unique_ptr<http::Client> client_;
  adapters::CavageSigner signer_;
  std::string client_id_;
  adapters::UrlParts base_;
  ConnectorEnvironment env_;
  http::RetryEnvironment retry_env_;
  adapters::GrantTokens tokens_;  // the OAuth2 pre-step's tokens, at profile_.oauth2's token endpoint
};

}  // namespace bankfeed::berlin_group
