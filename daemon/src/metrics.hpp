// bankfeedd's metrics, served in the Prometheus text format (0.0.4) at /metrics on an optional loopback port:
//   bankfeed_rpc_total{method,code}                   calls by gRPC status code
//   bankfeed_rpc_duration_seconds{method}             histogram
//   bankfeed_rpc_refusals_total{reason}               calls refused: unauthenticated, permission_denied,
//                                                     invalid_argument (every one, logged or not)
//   bankfeed_sync_accounts_total{outcome}             account syncs by outcome (ok, quota_exhausted, ...)
//   bankfeed_sync_errors_total{code}                  account sync errors by bankfeed error code
//   bankfeed_sync_runs_total{trigger}                 engine runs (scheduler, rpc)
//   bankfeed_sync_duration_seconds                    histogram of engine runs
//   bankfeed_sync_changes_total{kind}                 feed changes written
//   bankfeed_quota_left{bank}                         unattended reads left today, summed over the bank's accounts
//   bankfeed_quota_exhausted_accounts{bank}           accounts whose quota or Retry-After still runs
//   bankfeed_quarantined_rows{bank}                   rows in quarantine (sent by the bank, not normalizable yet),
//                                                     summed over the bank's accounts; updated by every sync
//   bankfeed_feed_changes_served_total                changes sent by Sync and Subscribe
//   bankfeed_streams_active                           open Subscribe streams
// Labels hold method names, codes, outcomes and bank profile ids only: never a tenant's or customer's data.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bankfeed/result.hpp"
#include "bankfeed/sync.hpp"

namespace bankfeed::daemon {

class Histogram {
 public:
  void Observe(double seconds);
  void Render(std::string& out, const std::string& name, const std::string& labels) const;

 private:
  static constexpr double kBounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  uint64_t buckets_[std::size(kBounds)] = {};
  uint64_t count_ = 0;
  double sum_ = 0;
};

struct BankQuota {
  int64_t left = 0;
  int64_t exhausted_accounts = 0;
};

class Metrics {
 public:
  void CountRpc(const std::string& method, std::string_view code, double seconds);
  void CountRefusal(std::string_view reason);
  void CountSyncRun(std::string_view trigger, const SyncReport& report, double seconds);
  void SetQuota(std::map<std::string, BankQuota> by_bank);
  // Every account's quarantined rows, by (bank, account id), as the store holds them now (replaces what was known).
  void SetQuarantined(std::map<std::pair<std::string, std::string>, int64_t> by_account);
  void ChangesServed(size_t n) { served_.fetch_add(n, std::memory_order_relaxed); }
  void StreamOpened() { streams_.fetch_add(1); }
  void StreamClosed() { streams_.fetch_sub(1); }

  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, uint64_t> rpc_total_;
  std::map<std::string, Histogram> rpc_duration_;
  std::map<std::string, uint64_t> refusals_;
  std::map<std::string, uint64_t> sync_accounts_, sync_errors_, sync_runs_, sync_changes_;
  Histogram sync_duration_;
  std::map<std::string, BankQuota> quota_;
  std::map<std::pair<std::string, std::string>, int64_t> quarantined_;  // (bank, account id): summed per bank
  std::atomic<uint64_t> served_{0};
  std::atomic<int64_t> streams_{0};
};

// The /metrics endpoint. Start fails (kConfig) when the address cannot be bound.
class MetricsServer {
 public:
  explicit MetricsServer(const Metrics& metrics);
  ~MetricsServer();
  Status Start(const std::string& address);  // loopback host:port (port 0: any free one)
  int port() const { return port_; }
  void Stop();

 private:
  struct Impl;
  const Metrics& metrics_;
  std::unique_ptr<Impl> impl_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace bankfeed::daemon
