// The UK Open Banking Read/Write AIS connector (v3.1.x and v4.0), FAPI 1.0 Advanced: account-access consents
// created with a client-credentials token, the hybrid flow with a PS256 request object and a completely validated
// ID token, the authorization code redeemed for the consent's tokens, and accounts, balances and every page of
// transactions. Internal header; callers use MakeConnector (connector.hpp).
//
// Split across files: connector.cpp (construction, the provider's metadata and keys, client authentication, one
// request), consent_flow.cpp (consents and the hybrid flow), reads.cpp (the AIS reads). What is not UK-specific
// comes from adapters/common: the page and window walks, the grant's tokens, the quota.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "adapters/common/grant_tokens.hpp"
#include "adapters/common/url.hpp"
#include "adapters/uk_ob/client_jwt.hpp"
#include "adapters/uk_ob/discovery.hpp"
#include "adapters/uk_ob/jwks.hpp"
#include "bankfeed/connector.hpp"
#include "bankfeed/registration.hpp"
#include "http/client.hpp"
#include "http/retry.hpp"

namespace bankfeed::uk_ob {

// Also the bank's client registrar (dynamic client registration, registration.cpp): both need the provider's
// metadata, the QSealC and the mTLS client.
class UkConnector final : public Connector, public ClientRegistrar {
 public:
  static Result<std::unique_ptr<Connector>> Make(const ConnectionOptions& options, ConnectorEnvironment env);
  // Without a client id when there is none yet (Register).
  static Result<std::unique_ptr<ClientRegistrar>> MakeRegistrar(const ConnectionOptions& options,
                                                                 ConnectorEnvironment env);

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

  // registration.cpp
  Result<ClientRegistration> Register(const ClientRegistrationRequest& request) override;
  Result<ClientRegistration> Update(const ClientRegistrationRequest& request) override;
  Status Delete() override;

 private:
  struct Call {
    std::string method = "GET";
    std::string url;                  // absolute
    std::string body;                 // JSON, or empty
    std::string bearer;               // the access token sent, when not the grant's
    ConsentGrant* grant = nullptr;    // AIS reads: the grant's access token, refreshed once when the bank refuses it
    const PsuContext* psu = nullptr;  // x-fapi-customer-ip-address and x-fapi-auth-date while the customer is present
    std::string operation;            // "read transactions", for errors
    std::string content_type = "application/json";  // of the body
  };

  static Result<std::unique_ptr<UkConnector>> Create(const ConnectionOptions& options, ConnectorEnvironment env,
                                                     bool need_client_id);

  UkConnector(BankProfile profile, std::unique_ptr<http::Client> client, ClientSigner signer, std::string client_id,
              adapters::UrlParts base, ConnectorEnvironment env, CredentialSource qwac);

  // connector.cpp
  Result<http::Response> Exchange(const Call& call);
  Result<http::Request> BuildRequest(const Call& call) const;
  // A GET outside the AIS API (discovery, JWKS): plain JSON, the retry policy, any non-2xx an error.
  Result<http::Response> Fetch(const std::string& url, std::string_view what);
  // The provider's discovery document, read once per connector.
  Result<const Discovery*> Provider();
  // The provider's keys: read once, and again (once per callback) when an ID token names a kid they lack.
  Result<std::shared_ptr<const Jwks>> Keys(bool reread);
  // The fields that authenticate the client on a token request (profile oauth2.client_auth).
  Result<adapters::FormFields> ClientAuth();
  // The token endpoint for the grant's tokens, once the provider is known.
  Result<const adapters::GrantTokens*> Tokens();
  // A client-credentials access token (scope accounts) for the consent endpoints, kept until shortly before it
  // expires.
  Result<std::string> ClientToken();
  Error WithBank(Error e) const;
  // The business clock (ConnectorEnvironment::now): the bank's day, the quota, the grant's token expiry.
  std::chrono::system_clock::time_point Now() const;
  int64_t NowSeconds() const;
  // The real clock, for the times JWTs carry (what the client signs, the ID token it checks): a bank checks them
  // against its own real clock, also while a simulation moves the business day.
  static int64_t WallSeconds();
  Date Today() const;
  std::string ApiUrl(std::string_view path) const;
  Error BodyError(Error e, std::string_view what, const http::Response& response) const;

  // consent_flow.cpp: a new authorization request for the grant's consent (state, nonce, request object).
  Result<ScaStep> AuthorizationStep(ConsentGrant& grant, const Discovery& provider);

  // registration.cpp
  Result<std::string> RegistrationRequest(const ClientRegistrationRequest& request);
  Result<ClientRegistration> SendRegistration(const std::string& method, const std::string& url,
                                              const ClientRegistrationRequest& request, std::string bearer);

  // reads.cpp
  Status BeginRead(ConsentGrant& grant, const PsuContext& psu, const std::string& quota_key);
  Call ReadCall(ConsentGrant& grant, const PsuContext& psu, std::string url, std::string operation) const;

  BankProfile profile_;
  std::unique_ptr<http::Client> client_;
  ClientSigner signer_;
  std::string client_id_;
  adapters::UrlParts base_;
  ConnectorEnvironment env_;
  http::RetryEnvironment retry_env_;
  CredentialSource qwac_;  // registration: tls_client_auth names the QWAC's subject

  std::mutex mu_;  // guards what follows: the provider's metadata, keys and client token, shared by all grants
  std::optional<Discovery> discovery_;
  std::shared_ptr<const Jwks> jwks_;  // replaced whole on a re-read: holders keep the set they read
  std::optional<adapters::GrantTokens> tokens_;
  std::string client_token_;
  int64_t client_token_expires_ = 0;  // Unix seconds
};

}  // namespace bankfeed::uk_ob
