// The STET AIS connector (STET PSD2 API 1.4.x, the French banks' standard): the customer authorises with the OAuth2
// authorization code flow (scope aisp, PKCE where the profile says so), the client authenticates by mTLS with its
// QWAC (RFC 8705), every request is signed (Cavage `Signature` with `Digest`, keyId the URL of the published
// QSealC), and the reads are GET /accounts, PUT /consents (which accounts' balances and transactions the customer
// allowed, where the bank implements it), balances and every page of transactions (HAL `_links.next`).
// Internal header; callers use MakeConnector (connector.hpp).
//
// Split across files: connector.cpp (construction, one signed request, the STET error model), consent_flow.cpp
// (authorization, tokens, PUT /consents, revocation), reads.cpp (the AIS reads). What is not STET-specific comes
// from adapters/common: the page and window walks, the grant's tokens, the quota, the customer-IP header.
//
// STET has no consent resource to read or delete: GetConsent answers from the grant, and RevokeConsent revokes the
// refresh token at the bank's RFC 7009 endpoint when the profile names one (oauth2.revocation_endpoint).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "adapters/common/cavage_signer.hpp"
#include "adapters/common/grant_tokens.hpp"
#include "adapters/common/url.hpp"
#include "bankfeed/connector.hpp"
#include "http/client.hpp"
#include "http/retry.hpp"

namespace bankfeed::stet {

class StetConnector final : public Connector {
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
  struct Call {
    std::string method = "GET";
    std::string url;                  // absolute
    std::string body;                 // JSON, or empty
    ConsentGrant* grant = nullptr;    // its access token, refreshed once when the bank refuses it
    const PsuContext* psu = nullptr;  // the PSU context headers while the customer is present
    std::string operation;            // "read transactions page 2", for errors
  };

  StetConnector(BankProfile profile, std::unique_ptr<http::Client> client, adapters::CavageSigner signer,
                std::string client_id, adapters::UrlParts base, ConnectorEnvironment env);

  // connector.cpp
  Result<http::Request> BuildRequest(const Call& call) const;
  Result<http::Response> Exchange(const Call& call);
  Error WithBank(Error e) const;
  std::chrono::system_clock::time_point Now() const;
  int64_t NowSeconds() const;
  Date Today() const;
  std::string ApiUrl(std::string_view path) const;

  // consent_flow.cpp: PUT /consents with the accounts of `accounts_body` (the answer to GET /accounts) the
  // customer's request covers.
  Status PutConsents(ConsentGrant& grant, const PsuContext& psu, const std::string& accounts_body);

  // reads.cpp
  Status BeginRead(ConsentGrant& grant, const PsuContext& psu, const std::string& quota_key);
  Result<http::Response> ReadAccountsAnswer(ConsentGrant& grant, const PsuContext& psu);

  BankProfile profile_;
  std::unique_ptr<http::Client> client_;
  adapters::CavageSigner signer_;
  std::string client_id_;
  adapters::UrlParts base_;
  ConnectorEnvironment env_;
  http::RetryEnvironment retry_env_;
  adapters::GrantTokens tokens_;
};

}  // namespace bankfeed::stet
