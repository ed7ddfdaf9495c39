// bankfeed/connector.hpp: one bank, one standard, behind one interface.
//
// A Connector runs the consent and SCA flow and reads accounts, balances and transactions, returning canonical
// records. Berlin Group, UK Open Banking and STET each implement it; which one is used follows from the profile.
//
// The durable state of a consent is a ConsentGrant, owned by the caller: the connector reads and updates it (new
// tokens after a refresh, the status, the day's count of unattended reads), and the caller persists it after every
// call. Tokens and the PKCE verifier in it are secrets: keep the grant in the encrypted store, never in logs.
//
//   bankfeed::ConnectionOptions conn;
//   conn.profile = *bankfeed::LoadBankProfile("specs/banks/sandbox-alpha.yaml");
//   conn.qwac = {.certificate_file = "qwac.pem", .key_file = "qwac.key"};
//   conn.qseal = {.certificate_file = "qseal.pem", .key_file = "qseal.key"};
//   auto connector = bankfeed::MakeConnector(conn);
//   bankfeed::ConsentGrant grant;
//   auto step = (*connector)->StartConsent(request, psu, grant);   // send the customer to step->redirect_url
//   ...                                                            // the customer comes back to redirect_uri
//   auto params = bankfeed::ParseCallbackUrl(callback_url);        // the URL the browser came back to
//   auto status = (*connector)->CompleteConsent(grant, *params, psu);
//   auto accounts = (*connector)->ListAccounts(grant, psu);
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/credentials.hpp"
#include "bankfeed/datetime.hpp"
#include "bankfeed/export.hpp"
#include "bankfeed/model.hpp"
#include "bankfeed/profile.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed {

// Who the request is for. `ip_address` is set only while the customer is present (logged in, clicking): the bank
// then gets PSU-IP-Address and the read does not count against the consent's unattended quota. Unattended reads
// (no ip_address) are counted against frequency_per_day before they are sent, and refused locally when it is used up.
struct PsuContext {
  std::string psu_id;                     // the customer's id at the bank, sent as PSU-ID when the profile allows
  std::optional<std::string> ip_address;  // PSU-IP-Address
  std::optional<std::string> user_agent;  // PSU-User-Agent
  bool present() const { return ip_address.has_value(); }
};

// What the customer is asked to consent to, in terms every standard maps to its own (Berlin Group `access`, UK
// Open Banking permission codes, STET's account list): which accounts, what may be read of them, until when.
// A connector refuses (kInvalidArgument, naming the field) what its standard cannot express, rather than asking
// the bank for more than the customer was asked for.
struct ConsentPermissions {
  bool account_details = true;      // names, owners, product (UK ReadAccountsDetail; without: ReadAccountsBasic)
  bool balances = true;
  bool transactions = true;
  bool transaction_details = true;  // counterparties and remittance (UK ReadTransactionsDetail; without: Basic)
  bool credits = true;              // with transactions: money in (UK ReadTransactionsCredits) ...
  bool debits = true;               // ... and money out (UK ReadTransactionsDebits); at least one of the two
  friend bool operator==(const ConsentPermissions&, const ConsentPermissions&) = default;
};

struct ConsentRequest {
  enum class Scope {
    kAllAccounts,     // every account the customer holds (or picks at the bank), with `permissions`
    kAccountsOnly,    // the list of accounts, nothing read of them (`permissions` ignored)
    kListedAccounts,  // the accounts in `ibans`, with `permissions`
    // The Berlin Group names of the same scopes, kept for existing callers.
    kAllPsd2 = kAllAccounts,
    kAvailableAccounts = kAccountsOnly,
    kDedicatedAccounts = kListedAccounts,
  };
  Scope scope = Scope::kAllAccounts;
  std::vector<std::string> ibans;  // kListedAccounts
  ConsentPermissions permissions;
  Date valid_until;                // required
  int frequency_per_day = 4;       // unattended reads per account and endpoint per day
  bool recurring = true;
  std::optional<ScaApproach> approach;  // preferred; the profile's first approach when absent
  std::string redirect_uri;             // where the bank sends the customer back (redirect, OAuth2)
  std::string nok_redirect_uri;         // where it sends them after a refusal (optional)
};

// The scope's name in configuration, the CLI and stored grants: "all-accounts", "accounts-only", "listed-accounts".
BANKFEED_EXPORT std::string_view ConsentScopeName(ConsentRequest::Scope scope);
// Those names, and the Berlin Group ones earlier versions wrote ("all-psd2", "available-accounts",
// "dedicated-accounts").
BANKFEED_EXPORT std::optional<ConsentRequest::Scope> ParseConsentScope(std::string_view name);

// The durable state of one consent at one bank. Persist it after every call; it holds secrets.
struct ConsentGrant {
  std::string bank_id;
  std::string consent_id;        // the bank's id; empty until the bank created the consent
  std::string authorisation_id;  // the SCA's id, when the bank gave one
  ScaApproach approach = ScaApproach::kRedirect;
  ConsentStatus status = ConsentStatus::kReceived;
  std::string psu_id;
  ConsentRequest request;        // what was asked, kept for flows that create the consent late (OAuth2 pre-step)
  std::string sca_status_url;    // where a decoupled SCA is polled

  // OAuth2: the authorization request in flight, then the tokens. Secrets.
  std::string oauth_state;
  std::string oauth_nonce;      // OpenID Connect: the nonce the ID token must carry back
  std::string pkce_verifier;
  std::string access_token;
  std::optional<DateTime> access_token_expires;
  std::string refresh_token;
  // The access token came from a refresh, not from the customer's authorisation itself: banks that apply PSD2's
  // rule of more history only right after strong customer authentication read less with it (profile
  // quirks.history_after_refresh_days).
  bool access_token_refreshed = false;
  // OpenID Connect: the `sub` of the consent's front-channel ID token, an identifier of the customer at the bank.
  // Every ID token the token endpoint sends later (code redemption, refresh) must carry the same one. Sealed with
  // the grant; empty for standards without ID tokens.
  std::string id_token_subject;
  // When the customer last authorised (or reconfirmed) the consent at the bank: UK Open Banking's x-fapi-auth-date,
  // and the start of its 90-day reconfirmation period.
  std::optional<DateTime> authorised_at;
  // The customer's IP address at their last session with us, kept only for a bank that wants it on unattended reads
  // too (profile quirks.customer_ip_unattended). Personal data: sealed with the grant, erased with it.
  std::string customer_ip;

  // Unattended reads on `usage_day` (the bank's local date), per "<endpoint>:<account resource id>".
  std::optional<Date> usage_day;
  std::map<std::string, int> usage;
};

// What the caller does next to finish strong customer authentication.
struct ScaStep {
  ScaApproach approach = ScaApproach::kRedirect;
  std::optional<std::string> redirect_url;  // send the customer's browser here (redirect, OAuth2)
  std::optional<std::string> psu_message;   // decoupled: what the bank told the customer to do
  ConsentStatus status = ConsentStatus::kReceived;
};

// The parameters the customer came back with (OAuth2: code and state, or error; the UK hybrid flow adds id_token).
using CallbackParams = std::map<std::string, std::string>;

// The parameters of the URL (or bare query) a customer's browser came back to after SCA, as CompleteConsent takes
// them: the query's (after '?', before '#'), and the fragment's when it holds parameters (an authorization response
// in the fragment, as the UK hybrid flow sends it). Percent-escapes and '+' are decoded; of a name repeated in one
// part the first value counts. A name whose value differs between the query and the fragment is refused
// (kInvalidInput, naming the parameter, never its values): such a callback cannot be trusted.
BANKFEED_EXPORT Result<CallbackParams> ParseCallbackUrl(std::string_view url_or_query);

struct TransactionQuery {
  Date date_from;
  std::optional<Date> date_to;  // today when absent
  // STET afterEntryReference: only the entries the bank lists after this one of its entry references (what came in
  // since a known entry). Other standards have no such filter: a query with it is refused (kInvalidArgument).
  std::optional<std::string> after_entry_reference = std::nullopt;
};

// Every page of one query, mapped, with the bank's page overlap removed. Ids are assigned over the whole batch, so
// twins on different pages stay twins.
struct TransactionBatch {
  std::vector<Transaction> transactions;
  Date date_from;  // the window actually asked for (after the profile's history limit)
  Date date_to;
  int pages = 0;
  // Rows of the window the mapping could not normalize (NormalizeOptions::refused), in page order. The sync keeps
  // them in quarantine instead of failing the account, and does not read their absence from `transactions` as
  // removals.
  std::vector<RefusedRow> refused;
};

class BANKFEED_EXPORT Connector {
 public:
  virtual ~Connector() = default;
  virtual const BankProfile& profile() const = 0;

  // Creates the consent and starts its SCA (or, for an OAuth2 pre-step, prepares the authorization request). On a
  // grant whose consent is valid, where the standard allows it (UK Open Banking), starts a new authorisation of the
  // same consent instead (the customer reconfirms it); CompleteConsent then renews the tokens and authorised_at.
  virtual Result<ScaStep> StartConsent(const ConsentRequest& request, const PsuContext& psu, ConsentGrant& grant) = 0;
  // After the customer came back (redirect, OAuth2) or to wait for a decoupled approval: finishes the flow and
  // returns the consent's status. kConsentInvalid when the customer refused or the state does not match.
  virtual Result<ConsentStatus> CompleteConsent(ConsentGrant& grant, const CallbackParams& callback,
                                                const PsuContext& psu) = 0;
  virtual Result<Consent> GetConsent(ConsentGrant& grant) = 0;
  // Revokes the consent at the bank. Done: the grant's tokens are wiped and its status is kTerminated. Failed: the
  // tokens are kept, refreshed ones included, so that the caller saves the grant and can try again.
  virtual Status RevokeConsent(ConsentGrant& grant) = 0;

  virtual Result<std::vector<Account>> ListAccounts(ConsentGrant& grant, const PsuContext& psu) = 0;
  virtual Result<std::vector<Balance>> GetBalances(ConsentGrant& grant, const Account& account,
                                                   const PsuContext& psu) = 0;
  // Follows every page. Any failure on any page fails the whole query: nothing partial is returned.
  virtual Result<TransactionBatch> GetTransactions(ConsentGrant& grant, const Account& account,
                                                   const TransactionQuery& query, const PsuContext& psu) = 0;
};

// What a connector needs beyond the profile: the TPP's own certificates and trust.
struct ConnectionOptions {
  BankProfile profile;
  CredentialSource qwac;       // mTLS client certificate
  CredentialSource qseal;      // request signing (Berlin Group, STET) or JWS (UK)
  std::string ca_bundle_file;  // trust for the bank's server certificate; empty: the system store
  std::string oauth_client_id;  // OAuth2 client_id; empty: the QWAC's PSD2 authorisation number
  // Where the TPP publishes its QSealC, for banks that fetch it from the signature's keyId (STET): a URL with
  // "{fingerprint}", or a directory URL ending in '/' (CavageOptions::key_id_url). A profile's own key_id_url wins.
  std::string qseal_url;
};

// Clock and sleep, replaceable by tests and simulations. `now` is the business clock (the bank's day, the quota,
// token expiry); the times inside JWTs (what the client signs, the ID tokens it checks) always follow the system
// clock, as the bank's own checks of them do.
struct ConnectorEnvironment {
  std::function<std::chrono::system_clock::time_point()> now;  // default: the system clock
  std::function<void(std::chrono::milliseconds)> sleep;        // default: std::this_thread::sleep_for
};

// A grant as JSON, for whatever persists it (the store encrypts it; the CLI keeps it in a 0600 file). The text holds
// the grant's secrets: never log it.
BANKFEED_EXPORT std::string GrantToJson(const ConsentGrant& grant);
// kInvalidInput naming the field for text that GrantToJson did not write.
BANKFEED_EXPORT Result<ConsentGrant> GrantFromJson(std::string_view json);

// The last day the consent may be used before the customer must authorise it again (profile sca.reconfirm_days
// after grant.authorised_at, in the bank's time); nullopt when the bank has no such rule or the consent was never
// authorised.
BANKFEED_EXPORT std::optional<Date> ReconfirmBy(const ConsentGrant& grant, const BankProfile& profile);

BANKFEED_EXPORT Result<std::unique_ptr<Connector>> MakeConnector(const ConnectionOptions& options,
                                                                 ConnectorEnvironment environment = {});

}  // namespace bankfeed
