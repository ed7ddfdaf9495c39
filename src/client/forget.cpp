// A customer's erasure. See ForgetCustomer in include/bankfeed/client.hpp.
#include "bankfeed/client.hpp"

#include <algorithm>
#include <memory>
#include <thread>

namespace bankfeed {
namespace {

using Clock = std::chrono::steady_clock;

// The consent's lease, taken within `wait` (polled: a lease never queues). Null when a holder kept it all along.
Result<std::unique_ptr<ConsentLease>> LeaseWithin(Store& store, const std::string& tenant, const std::string& handle,
                                                  std::chrono::milliseconds wait) {
  constexpr std::chrono::milliseconds kPoll{25};
  const Clock::time_point deadline = Clock::now() + wait;
  while (true) {
    BANKFEED_ASSIGN_OR_RETURN(std::unique_ptr<ConsentLease> lease, store.TryLeaseConsent(tenant, handle));
    if (lease || Clock::now() >= deadline) return lease;
    std::this_thread::sleep_for(std::min<Clock::duration>(kPoll, deadline - Clock::now()));
  }
}

bool Live(ConsentStatus s) {
  return s == ConsentStatus::kValid || s == ConsentStatus::kReceived || s == ConsentStatus::kPartiallyAuthorised;
}

}  // namespace

Result<ForgetOutcome> ForgetCustomer(Store& store, const ConnectorFactory& factory, const std::string& tenant,
                                     const std::string& customer_handle, bool even_if_revoke_fails,
                                     std::chrono::milliseconds lease_wait) {
  // A consent flow finishing in another process can add a consent while this one revokes. Each round deals with
  // the consents the rounds before did not see, until a listing shows no new one; the store then deletes only if
  // the customer still has no other consent (ForgetOptions::dealt_with_consents).
  constexpr int kMaxRounds = 4;
  ForgetOutcome out;
  std::vector<std::unique_ptr<ConsentLease>> leases;  // held until the rows are gone, so no sync writes any back
  std::vector<std::string> dealt_with;
  for (int round = 0;; ++round) {
    BANKFEED_ASSIGN_OR_RETURN(std::vector<ConsentRecord> listed, store.ListCustomerConsents(tenant, customer_handle));
    const std::string revoked_so_far = round == 0 ? "nothing revoked or deleted"
                                                  : std::to_string(dealt_with.size()) +
                                                        " consent(s) dealt with already; nothing deleted; forget again";
    // Every new consent is leased, and its grant loaded again under the lease, before any is revoked: a holder may
    // have refreshed its tokens meanwhile, and a busy consent must stop the erasure before the bank is told
    // anything.
    std::vector<ConsentRecord> fresh;
    for (const ConsentRecord& record : listed) {
      if (std::find(dealt_with.begin(), dealt_with.end(), record.handle) != dealt_with.end()) continue;
      auto lease = LeaseWithin(store, tenant, record.handle, lease_wait);
      if (!lease && lease.error().code == ErrorCode::kNotFound) continue;  // forgotten meanwhile
      if (!lease) return tl::unexpected(std::move(lease).error());
      if (!*lease) {
        return MakeError(ErrorCode::kUnavailable, "forget: consent " + record.handle +
                                                      " is busy (a sync or a consent command holds it for longer "
                                                      "than the " + std::to_string(lease_wait.count()) +
                                                      " ms waited); " + revoked_so_far);
      }
      auto loaded = store.LoadConsent(tenant, record.handle);
      if (!loaded && loaded.error().code == ErrorCode::kNotFound) continue;
      if (!loaded) return tl::unexpected(std::move(loaded).error());
      leases.push_back(std::move(*lease));
      fresh.push_back(std::move(*loaded));
    }
    if (fresh.empty()) break;
    if (round == kMaxRounds) {
      return MakeError(ErrorCode::kUnavailable, "forget: consents kept being added for the customer while they were "
                                                "revoked (" + std::to_string(kMaxRounds) + " rounds); " +
                                                revoked_so_far);
    }
    for (ConsentRecord& record : fresh) {
      Status revoked;
      if (Live(record.grant.status) && !record.grant.consent_id.empty()) {
        auto connector = factory(record.bank_id);
        revoked = connector ? (*connector)->RevokeConsent(record.grant) : Status(tl::unexpected(connector.error()));
        // The grant as the connector left it (still leased): terminated and without tokens once revoked, so none
        // stays stored should the erasure stop; else with its tokens, refreshed maybe, for the next try.
        if (connector) BANKFEED_RETURN_IF_ERROR(store.SaveConsent(record));
      }
      ConsentRevocation r{record.handle, record.bank_id, std::nullopt};
      if (!revoked && OutcomeFor(revoked.error()) != SyncOutcome::kNeedsReconsent) {
        r.error = revoked.error();
        if (!even_if_revoke_fails) {
          out.stopped_by = revoked.error();
          out.consents.push_back(std::move(r));
          return out;
        }
      }
      out.consents.push_back(std::move(r));
      dealt_with.push_back(record.handle);
    }
  }
  ForgetOptions options;
  options.dealt_with_consents = std::move(dealt_with);
  BANKFEED_ASSIGN_OR_RETURN(out.report, store.ForgetCustomer(tenant, customer_handle, options));
  return out;
}

}  // namespace bankfeed
