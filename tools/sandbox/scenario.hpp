// A sandbox scenario: one bank's ground truth over simulated time and how the bank behaves (docs/DESIGN.md §5, the
// contract; tools/sandbox/README.md for what the contract leaves open).
//
// Parsing is strict and complete: every error names the file, line, column and key path, e.g.
//   "scenario.yaml:12:9: psus[0].accounts[0].transactions[3].booking_date: expected a date YYYY-MM-DD"
// and a parsed Scenario is consistent (unique ids, valid IBANs and currencies, amounts that fit the currency,
// pending rows that book after their value date), so the server never meets bad data.
//
//   auto scenario = bankfeed::sandbox::LoadScenarioFile("specs/sandbox/alpha.yaml");
//   if (!scenario) { std::cerr << scenario.error().message << "\n"; return 78; }
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/datetime.hpp"
#include "bankfeed/money.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::sandbox {

struct Counterparty {
  std::string name;  // empty when the scenario gives only an IBAN
  std::string iban;  // empty when the scenario gives only a name
};

// What a pending row turns into on its `books_on` date. Unset fields keep the pending row's values.
struct BookedVersion {
  std::string id;
  Decimal amount;
  Date booking_date;  // defaults to books_on
  Date value_date;    // defaults to the pending row's value date
};

enum class TxStatus { kBooked, kPending };

struct ScenarioTransaction {
  std::string id;
  TxStatus status = TxStatus::kBooked;
  std::optional<Date> booking_date;  // booked rows only
  Date value_date;                   // booked rows: defaults to the booking date
  Decimal amount;                    // negative: money out (the counterparty is the creditor)
  std::optional<Counterparty> counterparty;
  std::string remittance;
  std::optional<Date> books_on;        // pending rows only
  std::optional<BookedVersion> booked;  // set exactly when books_on is
};

struct ScenarioBalance {
  std::string type;  // ISO 20022 code as written (CLBD, XPCD, ITAV, ...)
  Decimal amount;
  std::optional<Date> date;  // invisible before this date; no date means always visible
};

struct ScenarioAccount {
  std::string resource_id;  // unique in the scenario; [A-Za-z0-9._~-]
  std::string iban;
  Currency currency;
  std::string name;
  std::string product;
  std::vector<ScenarioBalance> balances;
  std::vector<ScenarioTransaction> transactions;
};

struct Psu {
  std::string id;
  std::vector<ScenarioAccount> accounts;
};

enum class IdMode { kStable, kUnstable, kNone };
enum class ScaApproachKind { kRedirect, kDecoupled, kOAuth2 };
enum class ScaOutcome { kApprove, kReject };
enum class PsuIdRule { kOptional, kRequired, kForbidden };
enum class DateToRule { kAllowed, kForbidden, kRequired };

enum class FaultKind {
  kHttp429, kHttp500, kHttp503, kTruncatedBody, kReset, kSlowBody, kGarbageBody, kHtmlError, kProblemJson,
  kEmptyError, kConsentExpired, kNextLoop, kForeignNext,
};
std::string_view FaultKindName(FaultKind kind);  // the scenario's spelling: "http_429", "slow_body_ms", ...
std::optional<FaultKind> ParseFaultKind(std::string_view name);
// next_loop and foreign_next change a transactions page's links; they apply only to paginated requests.
inline bool IsLinkFault(FaultKind k) { return k == FaultKind::kNextLoop || k == FaultKind::kForeignNext; }

struct FaultSpec {
  FaultKind kind = FaultKind::kHttp500;
  enum class Selector { kAlways, kRequest, kEvery, kProbability, kPage };
  Selector selector = Selector::kAlways;
  int64_t n = 0;              // request: N, every: N or page: N
  double probability = 0.0;   // probability: P (a ratio, not money)
  std::string path;           // only requests whose path contains this
  std::string method;         // only requests with this HTTP method (GET, POST, PUT, DELETE); empty: any
  std::optional<int64_t> retry_after_s;  // http_429 and http_503
  int64_t value_ms = 0;       // slow_body_ms: the delay over which the body trickles
  std::optional<int64_t> times;  // fire at most this often
};

struct WireOptions {
  bool amounts_as_numbers = false;
  // Amounts as strings with the integer digits grouped by three with ',' ("1,234.56"), as some banks send them; a
  // mapping reads them only where the standard or the profile's `quirks.thousands_separator` allows it.
  bool thousands_separator = false;
  bool links_absolute = true;
  bool links_as_array = false;
  // Rows (scenario ids; a pending row's booked version by its booked id) whose bookingDate and valueDate the bank
  // writes day first, "15/11/2019", as some banks do: a mapping refuses them unless the profile declares
  // `quirks.date_order: day-first`. From `day_first_from` on (the simulated day), or always when it is unset.
  std::set<std::string> day_first_rows;
  std::optional<Date> day_first_from;
  bool DayFirst(std::string_view row_id, Date today) const {
    return day_first_rows.contains(std::string(row_id)) && (!day_first_from || today >= *day_first_from);
  }
};

// An amount as the bank writes it in a string: "-1234.50", or "-1,234.50" with thousands_separator.
std::string WireAmount(const Money& amount, const WireOptions& wire);

struct Requirements {
  PsuIdRule psu_id = PsuIdRule::kOptional;
  std::optional<std::string> psu_id_type;
  std::string date_format = "%Y-%m-%d";  // %Y %m %d and literal characters
  DateToRule date_to = DateToRule::kAllowed;
  std::optional<int64_t> max_history_days;
  std::optional<int64_t> max_window_days;  // a longer [dateFrom, dateTo] is refused
  // Date-time filters (UK): what must follow the time ("Z", "+00:00"), and whether their ':' must come
  // percent-encoded (true), literally (false), or either way (unset).
  std::optional<std::string> date_time_suffix;
  std::optional<bool> date_time_colons_encoded;
  std::map<std::string, std::string> headers;
};

// OpenID Connect / FAPI behaviour of a bank's authorization server (scenario behaviour.oidc; README "OpenID
// Connect and FAPI"). Generic: UK Open Banking uses it today, STET and Berlin Group OAuth banks may later.
enum class ClientAuthMethod { kTlsClientAuth, kPrivateKeyJwt };
std::string_view ClientAuthMethodName(ClientAuthMethod method);  // "tls_client_auth", "private_key_jwt"
enum class RefreshMode { kRotate, kReuse, kNone };
// Exactly one thing wrong in the front-channel ID token (the hybrid flow's redirect).
enum class IdTokenFault {
  kWrongKey, kAlgNone, kHs256PublicKey, kBadCHash, kBadSHash, kOtherNonce, kOtherIntentId, kExpired, kOtherIssuer,
  kOtherAudience, kUnknownKid, kFutureIat, kMissingNonce, kMissingSHash, kMissingCHash,
};
std::string_view IdTokenFaultName(IdTokenFault fault);  // the scenario's spelling: "wrong_key", ...
// The ID token of the token endpoint's code and refresh answers (behaviour.oidc.token_id_token): none, a valid one,
// or one with exactly one thing wrong. Unset: a valid one in code answers, none in refresh answers.
enum class TokenIdToken { kNone, kValid, kOtherSub, kWrongKey, kOtherIssuer, kBadAtHash };
// One lie in the discovery document.
enum class DiscoveryFault { kOtherIssuer, kHttpJwksUri, kForeignJwksUri };

struct OidcOptions {
  std::vector<ClientAuthMethod> client_auth = {ClientAuthMethod::kTlsClientAuth, ClientAuthMethod::kPrivateKeyJwt};
  RefreshMode refresh_tokens = RefreshMode::kRotate;
  std::optional<IdTokenFault> id_token_fault;
  std::optional<TokenIdToken> token_id_token;
  bool rotate_signing_key = false;  // the first JWKS fetch lacks the key ID tokens are signed with
  std::optional<DiscoveryFault> discovery_fault;
  bool require_customer_ip = false;  // AIS reads need x-fapi-customer-ip-address
  bool wrong_interaction_id = false;  // answers carry an x-fapi-interaction-id other than the request's

  bool Supports(ClientAuthMethod m) const;
};

// The STET (French PSD2 API v1.4) bank's own behaviour (scenario behaviour.stet; README "STET"). Only valid in a
// `standard: stet` scenario.
enum class StetKeyId { kUrl, kSerialIssuer };
enum class StetTokenScope { kOptional, kRequired, kForbidden };
enum class StetErrorShape { kStet, kOAuth, kPlain };
enum class StetDateFilter { kDateTime, kDate };

struct StetOptions {
  std::string path_segment;  // [A-Za-z0-9-]{1,32}: the API root /stet/<segment>/v1; empty: /stet/v1
  std::optional<std::string> client_id;  // the one client id the token endpoint accepts; unset: the QWAC's
                                         // organizationIdentifier
  bool pkce = false;                     // authorize requires code_challenge
  bool extended_history = false;         // scope extended_transaction_history allowed
  StetTokenScope token_scope = StetTokenScope::kOptional;
  bool token_without_access_token = false;
  StetKeyId key_id = StetKeyId::kUrl;
  std::vector<std::string> signed_headers = {"(request-target)", "digest", "x-request-id"};
  StetErrorShape error_shape = StetErrorShape::kStet;
  bool account_id_other = false;  // account_id: other (BBAN) instead of iban
  bool balances_in_accounts = false;
  bool consents_endpoint = true;
  bool pending_status_othr = false;  // pending_status: OTHR instead of PDNG
  bool empty_dates = false;          // pending rows carry bookingDate ""
  bool remittance_as_list = false;   // remittanceInformation: ["..."]
  bool last_page_next_self = false;
  bool single_page = false;
  StetDateFilter date_filter = StetDateFilter::kDateTime;
  std::optional<int64_t> history_after_refresh_days;
};

struct Behaviour {
  int64_t page_size = 50;
  IdMode ids = IdMode::kStable;
  int64_t page_overlap = 0;
  int64_t latency_ms = 0;
  int64_t frequency_per_day = 4;
  std::vector<FaultSpec> faults;
  std::vector<ScaApproachKind> sca_approaches = {ScaApproachKind::kRedirect, ScaApproachKind::kDecoupled};
  int64_t decoupled_polls = 2;
  bool explicit_authorisation = false;
  ScaOutcome sca_outcome = ScaOutcome::kApprove;
  int64_t token_ttl_s = 3600;
  // The bank gives each account a new resource id every this many simulated days (0: never), as some banks do after
  // a migration: "acc-1" becomes "acc-1-g20100" (the day number over the period). An old id is not found. UK only.
  int64_t account_ids_change_every_days = 0;
  WireOptions wire;
  Requirements require;
  OidcOptions oidc;
  StetOptions stet;

  bool Offers(ScaApproachKind a) const;
};

struct Scenario {
  std::string source;    // the file name used in messages
  std::string standard;  // "berlin-group", "uk-ob" or "stet"
  std::vector<Psu> psus;
  Behaviour behaviour;
  Date latest_date;      // the latest booking, value or balance date: the default "today" (books_on excluded)

  const Psu* FindPsu(std::string_view id) const;
  const ScenarioAccount* FindAccount(std::string_view resource_id) const;
  const Psu* OwnerOf(std::string_view resource_id) const;
};

// Parses and validates scenario text. `source_name` stands for the file in messages. When `expected_standard` is
// given, a scenario of another standard is an error at its `standard` key.
Result<Scenario> ParseScenario(std::string_view yaml_text, std::string_view source_name,
                               std::optional<std::string_view> expected_standard = std::nullopt);
// Reads the file (kNotFound when it cannot be read) and parses it with its path as the source name.
Result<Scenario> LoadScenarioFile(const std::string& path,
                                  std::optional<std::string_view> expected_standard = std::nullopt);

// ISO 13616: 2 letters, 2 check digits, up to 30 letters and digits, upper-case, mod-97 check.
bool IsValidIban(std::string_view iban);
// Well-formed UTF-8 without control characters: text that can go into JSON and headers' neighbours safely.
bool IsCleanText(std::string_view text);

}  // namespace bankfeed::sandbox
