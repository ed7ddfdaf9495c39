#include "daemon/src/daemon_config.hpp"

#include <openssl/evp.h>

#include <cctype>
#include <set>

#include "client/client_config_reader.hpp"
#include "crypto/lookup.hpp"

namespace bankfeed::daemon {
namespace fs = std::filesystem;
namespace {

std::optional<Sha256> ParseHash(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Sha256 out{};
  for (size_t i = 0; i < 32; ++i) {
    int v = 0;
    for (char c : hex.substr(2 * i, 2)) {
      const int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
                    : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
                    : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                                : -1;
      if (d < 0) return std::nullopt;
      v = v * 16 + d;
    }
    out[i] = static_cast<unsigned char>(v);
  }
  return out;
}

std::vector<Sha256> ReadHashes(config::MapReader& r, std::string_view key) {
  std::vector<Sha256> out;
  const std::vector<std::string> list = r.StringList(key);
  for (size_t i = 0; i < list.size(); ++i) {
    auto hash = ParseHash(list[i]);
    if (!hash) {
      r.ctx().Fail(r.Node(key), config::IndexPath(config::JoinPath(r.path(), key), i),
                   "expected a SHA-256 as 64 hex digits");
      continue;
    }
    out.push_back(*hash);
  }
  return out;
}

bool ValidTenantId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '_')) {
      return false;
    }
  }
  return true;
}

// host:port with a numeric port; the host as written.
bool SplitHostPort(std::string_view address, std::string& host, int& port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) return false;
  host = std::string(address.substr(0, colon));
  port = 0;
  for (char c : address.substr(colon + 1)) {
    if (!std::isdigit(static_cast<unsigned char>(c)) || port > 65535) return false;
    port = port * 10 + (c - '0');
  }
  return port <= 65535;
}

void ReadTenants(config::MapReader& d, DaemonConfig& c) {
  std::set<std::string> seen;
  auto list = d.MapList("tenants");
  for (size_t i = 0; i < list.size(); ++i) {
    config::MapReader& t = list[i];
    TenantCredentials tenant;
    tenant.id = t.RequiredString("id").value_or("");
    if (!tenant.id.empty() && !ValidTenantId(tenant.id)) {
      t.ctx().Fail(t.Node("id"), config::JoinPath(t.path(), "id"),
                   "expected 1 to 64 of a-z, 0-9, '-' and '_'");
    }
    if (!seen.insert(tenant.id).second) {
      t.ctx().Fail(t.Node("id"), config::JoinPath(t.path(), "id"), "another tenant has this id");
    }
    tenant.token_hashes = ReadHashes(t, "token_sha256");
    tenant.client_certificate_hashes = ReadHashes(t, "client_certificate_sha256");
    if (t.Has("token") || t.Has("tokens")) {
      t.ctx().Fail(t.Node(t.Has("token") ? "token" : "tokens"), t.path(),
                   "tokens are never written in the configuration: give token_sha256 (bankfeedd hash-token)");
    }
    if (tenant.token_hashes.empty() && tenant.client_certificate_hashes.empty()) {
      t.ctx().Fail(YAML::Node(), t.path(), "expected token_sha256 or client_certificate_sha256");
    }
    t.Finish();
    c.tenants.push_back(std::move(tenant));
  }
}

void ReadDaemonSection(config::MapReader& root, const fs::path& base, DaemonConfig& c) {
  config::MapReader d = root.Map("daemon");
  if (!root.Has("daemon")) {
    root.ctx().Fail(YAML::Node(), "daemon", "missing: bankfeedd needs at least its tenants");
    return;
  }
  c.unix_socket = ConfigRelative(base, d.String("unix_socket").value_or("bankfeedd.sock"));
  if (auto mode = d.String("socket_mode")) {
    const bool octal = mode->size() == 4 && (*mode)[0] == '0' &&
                       mode->find_first_not_of("01234567") == std::string::npos;
    const uint32_t value = octal ? static_cast<uint32_t>(std::stoul(*mode, nullptr, 8)) : 0777;
    if (!octal || (value & 0007) != 0) {
      d.ctx().Fail(d.Node("socket_mode"), "daemon.socket_mode",
                   "expected an octal mode such as \"0600\" or \"0660\", with no access for others");
    } else {
      c.socket_mode = value;
    }
  }
  {
    config::MapReader tcp = d.Map("tcp");
    c.tcp.address = tcp.String("address").value_or("");
    c.tcp.certificate_file = ConfigRelative(base, tcp.String("certificate_file").value_or(""));
    c.tcp.key_file = ConfigRelative(base, tcp.String("key_file").value_or(""));
    c.tcp.client_ca_file = ConfigRelative(base, tcp.String("client_ca_file").value_or(""));
    std::string host;
    int port = 0;
    if (d.Has("tcp") && !SplitHostPort(c.tcp.address, host, port)) {
      d.ctx().Fail(d.Node("tcp"), "daemon.tcp.address", "expected host:port");
    }
    if (d.Has("tcp") && (c.tcp.certificate_file.empty() || c.tcp.key_file.empty())) {
      d.ctx().Fail(d.Node("tcp"), "daemon.tcp",
                   "a TCP listener needs TLS: certificate_file and key_file (and client_ca_file for mTLS)");
    }
    tcp.Finish();
  }
  ReadTenants(d, c);
  if (c.tenants.empty()) {
    d.ctx().Fail(d.Node("tenants"), "daemon.tenants", "expected at least one tenant: no caller could be authenticated");
  }
  if (auto metrics = d.String("metrics")) {
    std::string host;
    int port = 0;
    if (!SplitHostPort(*metrics, host, port) || !(host == "127.0.0.1" || host == "[::1]" || host == "localhost")) {
      d.ctx().Fail(d.Node("metrics"), "daemon.metrics", "expected a loopback address such as 127.0.0.1:9464");
    }
    c.metrics_address = *metrics;
  }
  {
    config::MapReader s = d.Map("scheduler");
    c.scheduler.enabled = s.Bool("enabled").value_or(true);
    c.scheduler.tick_seconds = static_cast<int>(s.Int("tick_seconds", 1, 3600).value_or(30));
    c.scheduler.max_parallel = static_cast<int>(s.Int("max_parallel", 1, 64).value_or(4));
    c.scheduler.per_bank_parallel = static_cast<int>(s.Int("per_bank_parallel", 1, 64).value_or(2));
    s.Finish();
  }
  {
    config::MapReader l = d.Map("log");
    c.log.level = l.Enum<LogLevel>("level", {{"trace", LogLevel::kTrace},
                                             {"debug", LogLevel::kDebug},
                                             {"info", LogLevel::kInfo},
                                             {"warn", LogLevel::kWarn},
                                             {"error", LogLevel::kError},
                                             {"off", LogLevel::kOff}})
                      .value_or(LogLevel::kInfo);
    c.log.file = ConfigRelative(base, l.String("file").value_or(""));
    c.refusal_log_seconds = static_cast<int>(l.Int("refusal_interval_seconds", 1, 86400).value_or(60));
    l.Finish();
  }
  {
    config::MapReader l = d.Map("limits");
    c.streams_per_tenant = static_cast<int>(l.Int("streams_per_tenant", 1, 10000).value_or(32));
    c.shutdown_grace_seconds = static_cast<int>(l.Int("shutdown_grace_seconds", 1, 3600).value_or(10));
    c.forget_wait_seconds = static_cast<int>(l.Int("forget_wait_seconds", 0, 3600).value_or(10));
    l.Finish();
  }
  d.Finish();
}

}  // namespace

Sha256 HashToken(std::string_view token) {
  Sha256 out{};
  unsigned int len = 0;
  EVP_Digest(token.data(), token.size(), out.data(), &len, EVP_sha256(), nullptr);
  return out;
}

std::string HashTokenHex(std::string_view token) { return crypto::ToHex(HashToken(token)); }

Result<DaemonConfig> LoadDaemonConfig(const std::string& path) {
  DaemonConfig c;
  auto client = bankfeed::client::LoadClientConfig(path, [&](config::MapReader& root, const fs::path& base) {
    ReadDaemonSection(root, base, c);
  });
  if (!client) return tl::unexpected(client.error());
  c.client = std::move(*client);
  return c;
}

}  // namespace bankfeed::daemon
