#include "daemon/src/metrics.hpp"

#include <httplib.h>

#include <cstdio>

namespace bankfeed::daemon {
namespace {

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

void Header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

// Label values are method names, codes and profile ids ([a-z0-9._/-]); escaped anyway, per the format.
std::string Label(std::string_view key, std::string_view value) {
  std::string out(key);
  out += "=\"";
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

template <typename Map>
void RenderCounterMap(std::string& out, std::string_view name, std::string_view help, std::string_view label,
                      const Map& values) {
  Header(out, name, "counter", help);
  for (const auto& [key, value] : values) {
    out += std::string(name) + "{" + Label(label, key) + "} " + std::to_string(value) + "\n";
  }
}

}  // namespace

void Histogram::Observe(double seconds) {
  for (size_t i = 0; i < std::size(kBounds); ++i) {
    if (seconds <= kBounds[i]) ++buckets_[i];
  }
  ++count_;
  sum_ += seconds;
}

void Histogram::Render(std::string& out, const std::string& name, const std::string& labels) const {
  const std::string sep = labels.empty() ? "" : ",";
  for (size_t i = 0; i < std::size(kBounds); ++i) {
    out += name + "_bucket{" + labels + sep + Label("le", Number(kBounds[i])) + "} " + std::to_string(buckets_[i]) +
           "\n";
  }
  out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(count_) + "\n";
  const std::string braces = labels.empty() ? "" : "{" + labels + "}";
  out += name + "_sum" + braces + " " + Number(sum_) + "\n";
  out += name + "_count" + braces + " " + std::to_string(count_) + "\n";
}

void Metrics::CountRpc(const std::string& method, std::string_view code, double seconds) {
  std::lock_guard lock(mu_);
  ++rpc_total_[{method, std::string(code)}];
  rpc_duration_[method].Observe(seconds);
}

void Metrics::CountRefusal(std::string_view reason) {
  std::lock_guard lock(mu_);
  ++refusals_[std::string(reason)];
}

void Metrics::CountSyncRun(std::string_view trigger, const SyncReport& report, double seconds) {
  std::lock_guard lock(mu_);
  ++sync_runs_[std::string(trigger)];
  sync_duration_.Observe(seconds);
  for (const AccountSyncResult& a : report.accounts) {
    if (a.skipped) continue;
    ++sync_accounts_[std::string(SyncOutcomeName(a.outcome))];
    if (a.error && a.outcome != SyncOutcome::kOk) ++sync_errors_[std::string(ErrorCodeName(a.error->code))];
    if (a.outcome == SyncOutcome::kOk && !a.account.account_id.empty()) {
      quarantined_[{a.bank_id, a.account.account_id}] = a.quarantined;
    }
  }
  sync_changes_["added"] += static_cast<uint64_t>(report.added());
  sync_changes_["modified"] += static_cast<uint64_t>(report.modified());
  sync_changes_["removed"] += static_cast<uint64_t>(report.removed());
}

void Metrics::SetQuota(std::map<std::string, BankQuota> by_bank) {
  std::lock_guard lock(mu_);
  quota_ = std::move(by_bank);
}

void Metrics::SetQuarantined(std::map<std::pair<std::string, std::string>, int64_t> by_account) {
  std::lock_guard lock(mu_);
  quarantined_ = std::move(by_account);
}

std::string Metrics::Render() const {
  std::string out;
  std::lock_guard lock(mu_);
  Header(out, "bankfeed_rpc_total", "counter", "gRPC calls by method and status code.");
  for (const auto& [key, value] : rpc_total_) {
    out += "bankfeed_rpc_total{" + Label("method", key.first) + "," + Label("code", key.second) + "} " +
           std::to_string(value) + "\n";
  }
  Header(out, "bankfeed_rpc_duration_seconds", "histogram", "gRPC call latency by method.");
  for (const auto& [method, h] : rpc_duration_) h.Render(out, "bankfeed_rpc_duration_seconds", Label("method", method));
  RenderCounterMap(out, "bankfeed_rpc_refusals_total", "Calls refused, by reason (each one, logged or not).", "reason",
                   refusals_);
  RenderCounterMap(out, "bankfeed_sync_runs_total", "Sync engine runs by trigger.", "trigger", sync_runs_);
  Header(out, "bankfeed_sync_duration_seconds", "histogram", "Sync engine run latency.");
  sync_duration_.Render(out, "bankfeed_sync_duration_seconds", "");
  RenderCounterMap(out, "bankfeed_sync_accounts_total", "Account syncs by outcome.", "outcome", sync_accounts_);
  RenderCounterMap(out, "bankfeed_sync_errors_total", "Account sync errors by error code.", "code", sync_errors_);
  RenderCounterMap(out, "bankfeed_sync_changes_total", "Feed changes written by kind.", "kind", sync_changes_);
  Header(out, "bankfeed_quota_left", "gauge", "Unattended reads left today, summed over the bank's accounts.");
  for (const auto& [bank, q] : quota_) out += "bankfeed_quota_left{" + Label("bank", bank) + "} " + std::to_string(q.left) + "\n";
  Header(out, "bankfeed_quota_exhausted_accounts", "gauge", "Accounts waiting for their quota or Retry-After.");
  for (const auto& [bank, q] : quota_) {
    out += "bankfeed_quota_exhausted_accounts{" + Label("bank", bank) + "} " + std::to_string(q.exhausted_accounts) +
           "\n";
  }
  Header(out, "bankfeed_quarantined_rows", "gauge",
         "Rows in quarantine (sent by the bank, not normalizable yet), summed over the bank's accounts.");
  std::map<std::string, int64_t> quarantined;
  for (const auto& [key, n] : quarantined_) quarantined[key.first] += n;
  for (const auto& [bank, n] : quarantined) {
    out += "bankfeed_quarantined_rows{" + Label("bank", bank) + "} " + std::to_string(n) + "\n";
  }
  Header(out, "bankfeed_feed_changes_served_total", "counter", "Feed changes sent by Sync and Subscribe.");
  out += "bankfeed_feed_changes_served_total " + std::to_string(served_.load()) + "\n";
  Header(out, "bankfeed_streams_active", "gauge", "Open Subscribe streams.");
  out += "bankfeed_streams_active " + std::to_string(streams_.load()) + "\n";
  return out;
}

struct MetricsServer::Impl {
  httplib::Server server;
};

MetricsServer::MetricsServer(const Metrics& metrics) : metrics_(metrics), impl_(std::make_unique<Impl>()) {}

MetricsServer::~MetricsServer() { Stop(); }

Status MetricsServer::Start(const std::string& address) {
  const size_t colon = address.rfind(':');
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const int port = std::atoi(address.c_str() + colon + 1);
  impl_->server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  port_ = port == 0 ? impl_->server.bind_to_any_port(host) : (impl_->server.bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) return MakeError(ErrorCode::kConfig, "daemon.metrics: cannot listen on the address");
  thread_ = std::thread([this] { impl_->server.listen_after_bind(); });
  return {};
}

void MetricsServer::Stop() {
  if (thread_.joinable()) {
    impl_->server.stop();
    thread_.join();
  }
}

}  // namespace bankfeed::daemon
