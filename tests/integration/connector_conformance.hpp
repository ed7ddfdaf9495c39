// The connector conformance suite: one set of tests over the Connector interface, run against each sandbox module
// (tools/sandbox/<standard>/), so that every standard's connector is held to the same behaviour: the consent flow
// of each SCA approach the bank offers, every page, twins across pages, a declared overlap, loop and foreign-link
// refusal, token refresh and rotation, revocation, the unattended quota, and each typed error.
//
// A new standard adds one row to ConformanceModules(); what its bank does not offer is a capability flag, and the
// tests of it are skipped, saying so.
#pragma once

#include <string>
#include <vector>

namespace bankfeed::testing {

struct ConformanceModule {
  std::string name;       // the instantiation's name, e.g. "BerlinGroup"
  std::string standard;   // the sandbox scenario's and the profile's standard, e.g. "berlin-group"
  std::string next_link;  // how the standard names the next-page link in messages, e.g. "_links.next"
  // What the module's bank offers.
  bool redirect = true;       // SCA by redirect, its status read afterwards
  bool decoupled = false;     // decoupled SCA, polled
  bool oauth2 = false;        // authorization code, bearer tokens, refresh with rotation
  bool page_overlap = false;  // pages that repeat the previous page's last rows (profile quirks.page_overlap)
};

// One row per sandbox module.
std::vector<ConformanceModule> ConformanceModules();

}  // namespace bankfeed::testing
