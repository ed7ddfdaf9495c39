// The customer's right to erasure, shared by `bankfeed forget` and bankfeedd's Admin.Forget: revoke each of the
// customer's live consents at its bank, then delete every row of the customer and purge the freed bytes.
//
// A consent the bank no longer honours (expired, revoked, unknown) needs no revocation. Any other failure to revoke
// stops before anything is deleted, unless `even_if_revoke_fails`. Each grant is saved after its revocation as the
// connector left it: terminated and without tokens once revoked; with its tokens (refreshed, maybe) for the next
// try when not.
//
// Each consent is leased first (Store::TryLeaseConsent), waiting up to `lease_wait` for a sync or a consent command
// that holds it, and its grant is read again under the lease. A consent still held after the wait is a kUnavailable
// error before anything is revoked or deleted. The leases are held until the rows are deleted.
//
// A consent added for the customer meanwhile (a consent flow finishing in another process) is dealt with in a
// further round, up to 4, before anything is deleted; the store itself deletes nothing while the customer has a
// consent no round dealt with (ForgetOptions::dealt_with_consents). A consent busy in a later round, or consents
// still being added after the last, are kUnavailable errors with the earlier rounds' consents revoked and nothing
// deleted.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bankfeed/store.hpp"
#include "bankfeed/sync.hpp"

namespace bankfeed::cli {

struct ConsentRevocation {
  std::string consent_handle;
  std::string bank_id;
  std::optional<Error> error;  // set when the bank could not be told
};

struct ForgetOutcome {
  std::vector<ConsentRevocation> consents;
  std::optional<ForgetReport> report;  // empty when a revocation failed and nothing was deleted
  std::optional<Error> stopped_by;     // the revocation failure that stopped it
};

Result<ForgetOutcome> ForgetCustomer(Store& store, const ConnectorFactory& factory, const std::string& tenant,
                                     const std::string& customer_handle, bool even_if_revoke_fails,
                                     std::chrono::milliseconds lease_wait);

}  // namespace bankfeed::cli
