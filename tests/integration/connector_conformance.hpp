// The connector conformance suite: one set of tests over the Connector interface, run against each sandbox module
// (tools/sandbox/<standard>/), so that every standard's connector is held to the same behaviour: the consent flow
// of each SCA approach the bank offers, every page, twins across pages, a declared overlap, loop and foreign-link
// refusal, token refresh and rotation, revocation, the unattended quota, and each typed error.
//
// A new standard adds one row to ConformanceModules(); what its bank does not offer is a capability flag, and the
// tests of it are skipped, saying so.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace bankfeed::testing {

struct ConformanceModule {
  std::string name;       // the instantiation's name, e.g. "BerlinGroup"
  std::string standard;   // the sandbox scenario's and the profile's standard, e.g. "berlin-group"
  std::string next_link;  // how the standard names the next-page link in messages, e.g. "_links.next"
  std::string consent_path;   // the path prefix of one consent at the sandbox, e.g. "/v1/consents/"; empty: none"
  std::string expired_answer; // how the bank answers a read under an expired consent, e.g. "401 CONSENT_EXPIRED"
  bool consent_has_frequency = true;  // the bank's consent carries the unattended reads per day
  // The consent is revoked with the grant's own access token (refreshed first when it expired), not with a token of
  // the client's (UK: client credentials).
  bool revocation_uses_grant_token = true;
  // The bank has its own answer for a used-up daily quota (Berlin Group ACCESS_EXCEEDED: kAccessExceeded, never
  // retried); without one (UK: a plain 429) it is rate limiting, retried by the policy, then kRateLimited.
  bool distinct_quota_refusal = true;
  // Revocation is a bank API request (DELETE of the consent), where faults can be injected; STET revokes the token
  // at the authorization server (RFC 7009), outside the bank API.
  bool revocation_at_api = true;
  bool after_entry_reference = false;  // the standard filters transactions by entry reference (STET)
  // What the module's bank offers.
  bool redirect = true;       // SCA by redirect, its status read afterwards
  bool decoupled = false;     // decoupled SCA, polled
  bool oauth2 = false;        // authorization code, bearer tokens, refresh with rotation
  bool page_overlap = false;  // pages that repeat the previous page's last rows (profile quirks.page_overlap)
};

// One row per sandbox module.
std::vector<ConformanceModule> ConformanceModules();

// Test names print the module's name, not its bytes.
inline void PrintTo(const ConformanceModule& module, std::ostream* os) { *os << module.name; }

}  // namespace bankfeed::testing
