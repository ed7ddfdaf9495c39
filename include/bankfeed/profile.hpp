// bankfeed/profile.hpp: a bank profile, the data that says how one bank speaks its standard.
//
// Profiles live in specs/banks/<id>.yaml. A bank's deviations from its standard are declared here as data
// ("quirks"), never as code that tests the bank's name. Loading is strict: an unknown key, a wrong type or a bad
// value is a kConfig error naming the file, the line and the key, e.g.
//   "specs/banks/alpha.yaml:14:13: quirks.page_cap: expected an integer from 1 to 100000"
//
// specs/banks/README.md documents every YAML key and its default; a key that looks like a secret (*secret*,
// *password*, *token*, private_key, ...) is refused.
//
// A profile holds no secrets and no deployment details: the TPP's certificates, the CA bundle and the redirect URI
// come with the connection (connector.hpp), and the base URL may be overridden per deployment.
//
//   auto profile = bankfeed::LoadBankProfile("specs/banks/sandbox-alpha.yaml");
//   if (!profile) { std::cerr << profile.error().ToString() << "\n"; return 1; }
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/datetime.hpp"
#include "bankfeed/export.hpp"
#include "bankfeed/normalize.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/signing.hpp"
#include "bankfeed/transport.hpp"

namespace bankfeed {

// How the customer authorises (strong customer authentication) a consent.
enum class ScaApproach {
  kRedirect,   // the customer's browser goes to the bank and comes back to the TPP's redirect URI
  kDecoupled,  // the customer approves in the bank's app; the TPP polls the status
  kOAuth2,     // OAuth2 authorization-code flow (Berlin Group "OAuth2 pre-step", UK Open Banking, STET)
  kEmbedded,   // credentials pass through the TPP; declared by some banks, not supported by bankfeed
};
BANKFEED_EXPORT std::string_view ScaApproachName(ScaApproach a);  // "redirect", "decoupled", "oauth2", "embedded"
BANKFEED_EXPORT std::optional<ScaApproach> ParseScaApproach(std::string_view name);

// Whether the bank wants the PSU-ID header on consent and read requests.
enum class PsuIdPolicy { kOptional, kRequired, kForbidden };

struct ScaProfile {
  std::vector<ScaApproach> approaches = {ScaApproach::kRedirect};  // what the bank offers, in order of preference
  bool explicit_start = false;       // Berlin Group: start the authorisation with POST .../authorisations
  std::chrono::seconds decoupled_poll_interval{2};
  std::chrono::seconds decoupled_timeout{300};
  // The customer must reconfirm (UK: re-authorise) the consent this many days after the last authorisation; 0: no
  // such rule. See ReconfirmBy (connector.hpp).
  int reconfirm_days = 0;
};

// How the client authenticates at the token endpoint. Never a client secret: bankfeed keeps none in a profile.
enum class ClientAuthMethod {
  kTlsClientAuth,  // RFC 8705: the QWAC on the mTLS connection, client_id in the form
  kPrivateKeyJwt,  // OpenID Connect Core §9: a PS256 assertion signed with the QSealC (iss = sub = client_id)
};
BANKFEED_EXPORT std::string_view ClientAuthMethodName(ClientAuthMethod m);  // "tls_client_auth", "private_key_jwt"

// The ID-token checks a bank cannot meet, as declared relaxations (each use is logged, never the token).
struct IdTokenRelaxation {
  bool nonce_optional = false;   // the bank leaves `nonce` out (one that is present must still match)
  bool s_hash_optional = false;  // the bank leaves `s_hash` out (one that is present must still match)
};

// OAuth2 endpoints, for ScaApproach::kOAuth2.
struct OAuth2Profile {
  std::string authorization_endpoint;  // https URL the customer's browser is sent to (from discovery with `issuer`)
  std::string token_endpoint;          // https URL, called with mTLS (from discovery with `issuer`)
  std::string scope = "AIS";           // Berlin Group pre-step scope; "accounts" for UK, "aisp" for STET
  bool pkce = true;                    // send an S256 code_challenge
  // OpenID Connect (UK Open Banking): the issuer whose discovery document (issuer + /.well-known/openid-configuration)
  // gives the endpoints and the JWKS; its ID tokens are validated completely.
  std::string issuer;
  ClientAuthMethod client_auth = ClientAuthMethod::kTlsClientAuth;
  IdTokenRelaxation id_token;
  std::chrono::seconds request_object_lifetime{600};  // exp - nbf of a FAPI request object; at most 3600
  // STET: the scope goes with the code redemption and every refresh too (false: a bank that refuses it there).
  bool scope_in_grants = true;
  // RFC 7009 token revocation, where the bank has one (STET has no consent resource to delete): revoking the
  // consent revokes its refresh token there. Empty: the consent ends at bankfeed only (its tokens are forgotten).
  std::string revocation_endpoint;
};

// Deviations from the standard, as data.
struct Quirks {
  PsuIdPolicy psu_id = PsuIdPolicy::kOptional;
  std::optional<std::string> psu_id_type;      // the PSU-ID-Type header value, when the bank wants one
  // How dateFrom/dateTo are written: strftime-like with %Y %m %d only and literal characters ("%Y-%m-%d").
  std::string date_query_format = "%Y-%m-%d";
  // Date-time filters (UK fromBookingDateTime/toBookingDateTime): what follows the time ("Z", "+00:00", ".000Z";
  // empty: none, as the UK standard writes them), and whether their ':' are sent percent-encoded (%3A, the default)
  // or literally, for a bank that refuses the encoded form.
  std::string date_time_query_suffix;
  bool date_time_colons_encoded = true;
  bool send_date_to = true;                    // some banks reject a dateTo; then only dateFrom is sent
  int max_history_days = 730;                  // dateFrom is never earlier than today minus this
  int page_cap = 1000;                         // more pages than this for one query is a kProtocol error
  bool trust_transaction_ids = true;           // the bank's transaction ids are stable across fetches
  // The bank repeats the last N rows of a page at the start of the next. bankfeed checks that they match and drops
  // them; without this quirk every row is kept (two equal rows are real twins).
  int page_overlap = 0;
  // The longest period one transactions query may ask for, in days; a longer one is read in consecutive windows.
  // 0: no limit.
  int max_window_days = 0;
  // Hosts besides the API's own origin that pagination links may lead to (other hosts of the same bank group), as
  // "host" (https on port 443) or "host:port". Any other host is refused.
  std::vector<std::string> link_hosts;
  std::map<std::string, std::string> extra_headers;  // sent on every request to the bank (no secrets)
  // The bank refuses reads without the customer's IP address header even when the customer is not present: send
  // the address they last used with us (kept in the grant for such a bank only).
  bool customer_ip_unattended = false;
  // STET: how dateFrom and dateTo are written: date-times, the standard's form (the bank's local midnight with its
  // UTC offset), or plain dates (YYYY-MM-DD), which some banks want instead.
  enum class DateFilter { kDateTime, kDate };
  DateFilter date_filter = DateFilter::kDateTime;
  // STET: the bank ignores paging and answers every row at once, with a `next` link that only repeats them: the
  // first page is the whole answer and no link is followed.
  bool single_page = false;
  // The bank's last page carries a `next` link equal to its own `self`: that ends the walk (without this quirk such a
  // page is refused as a pagination loop, and nothing of the query is kept).
  bool last_page_next_self = false;
  // STET: after a token refresh the bank gives only this many days of history (PSD2's rule of more history only
  // right after strong customer authentication); 0: no such limit.
  int history_after_refresh_days = 0;
  // STET: the value of the `{segment}` placeholder in base_url, a regional bank's or sub-bank's path segment (one
  // group profile, several entities). Empty when base_url has no placeholder.
  std::string path_segment;
  // STET: the bank implements PUT /consents (the customer's choice of accounts for balances and transactions);
  // false: it grants every account listed and the call is not made.
  bool consents_endpoint = true;
  // Ambiguous value formats the bank uses (quirks `date_order`, `thousands_separator`), applied by its mappings.
  ValueQuirks values;
};

// How the sync engine reads and reconciles this bank (docs/DESIGN.md §6). Profile section `sync`.
struct SyncRules {
  int overlap_days = 7;           // each sync re-reads from the last booked date minus this many days
  int first_sync_days = 90;       // history read on an account's first sync (capped by quirks.max_history_days)
  // Pending→booked linking: a pending row that disappeared is replaced by a new booked row of the same account
  // booked within `pending_booking_days` days after the pending row's date, whose amount is within
  // `amount_tolerance_percent` of the pending amount (same currency and sign; 0 = exact), and whose counterparty
  // is similar (same IBAN, or names sharing at least `counterparty_min_similarity` percent of their words; rows
  // without counterparty on either side are similar).
  int pending_booking_days = 10;
  int amount_tolerance_percent = 20;
  int counterparty_min_similarity = 50;
};

struct BankProfile {
  std::string id;            // lower-case [a-z0-9-]+, equal to the file's stem
  std::string display_name;  // for people; never used as a key
  Standard standard = Standard::kBerlinGroup;
  std::string base_url;      // https origin plus path prefix, without a trailing slash: "https://api.bank.example/psd2"
  std::string standard_version = "1.3";  // e.g. "1.3.11", "3.1.10", "4.0", "1.4.2"
  TimeZone timezone;         // the bank's local time: date-times without offset, the quota's "day"
  ScaProfile sca;
  std::optional<OAuth2Profile> oauth2;
  CavageOptions cavage;      // Berlin Group and STET request signing
  std::optional<JwsOptions> jws;  // UK Open Banking x-jws-signature
  TransportOptions transport;     // bank_id is set to `id`; client_identity and ca_bundle_file stay empty
  RetryOptions retry;
  Quirks quirks;
  SyncRules sync;
};

// Loads and checks one profile. kConfig errors name file, line, column and key.
BANKFEED_EXPORT Result<BankProfile> LoadBankProfile(const std::string& path);
// The same from text; `source_name` stands for the file in errors and must end in "<id>.yaml".
BANKFEED_EXPORT Result<BankProfile> ParseBankProfile(std::string_view yaml_text, std::string_view source_name);
// Every *.yaml in a directory, sorted by id. The first bad file fails the whole load.
BANKFEED_EXPORT Result<std::vector<BankProfile>> LoadBankProfiles(const std::string& directory);

}  // namespace bankfeed
