// bankfeedd's configuration: bankfeed.yaml (the CLI's client configuration: TPP certificates, profiles, banks, the
// encrypted store) plus a `daemon:` section. No secret is inline: tenants' bearer tokens appear only as SHA-256
// hashes, TLS keys are files.
//
//   daemon:
//     unix_socket: /run/bankfeed/bankfeedd.sock   # default: bankfeedd.sock next to this file
//     socket_mode: "0660"                         # default 0600
//     tcp:                                        # optional; TLS always, client certificates when client_ca_file
//       address: 0.0.0.0:7443
//       certificate_file: server.pem
//       key_file: server.key                      # mode 0600
//       client_ca_file: clients-ca.pem            # mTLS: callers must present a certificate from this CA
//     tenants:                                    # who may call, and whose data they see
//       - id: acme
//         token_sha256: [9f86d081884c7d65...]     # `bankfeedd hash-token` prints it; several for rotation
//         client_certificate_sha256: [ab12...]    # SHA-256 of a client certificate's DER (TCP with mTLS)
//     metrics: 127.0.0.1:9464                     # optional; Prometheus text at /metrics, loopback only
//     scheduler: {enabled: true, tick_seconds: 30, max_parallel: 4, per_bank_parallel: 2}
//     log: {level: info, file: /var/log/bankfeed/bankfeedd.log}   # JSON lines; default stderr
//          # level: trace, debug, info, warn, error or off (one spelling each: not "warning")
//          # refusal_interval_seconds: 60   refused calls: at most one line per source and interval, with a count
//     limits: {streams_per_tenant: 32, shutdown_grace_seconds: 10, forget_wait_seconds: 10}
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "bankfeed/logging.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/client.hpp"

namespace bankfeed::daemon {

using Sha256 = std::array<unsigned char, 32>;

struct TenantCredentials {
  std::string id;
  std::vector<Sha256> token_hashes;
  std::vector<Sha256> client_certificate_hashes;
};

struct TcpListener {
  std::string address;  // host:port; empty: no TCP listener
  std::string certificate_file, key_file;
  std::string client_ca_file;  // set: mutual TLS
};

struct SchedulerConfig {
  bool enabled = true;
  int tick_seconds = 30;
  int max_parallel = 4;
  int per_bank_parallel = 2;
};

struct DaemonConfig {
  ClientConfig client;
  std::string unix_socket;
  uint32_t socket_mode = 0600;
  TcpListener tcp;
  std::vector<TenantCredentials> tenants;
  std::string metrics_address;  // loopback host:port; empty: no metrics listener
  SchedulerConfig scheduler;
  LogOptions log;
  int refusal_log_seconds = 60;  // log.refusal_interval_seconds
  int streams_per_tenant = 32;
  int shutdown_grace_seconds = 10;
  // How long Admin.Forget waits in all for syncs and consent commands (this daemon's or another process's) that
  // hold one of the customer's consents, before it answers UNAVAILABLE with nothing revoked or deleted.
  int forget_wait_seconds = 10;
};

// kConfig naming file, line and key (never a value: the file may hold hashes, paths and addresses only, but a
// mistake could put a token there).
Result<DaemonConfig> LoadDaemonConfig(const std::string& path);

// SHA-256 of a token, as `token_sha256` holds it (lower-case hex).
std::string HashTokenHex(std::string_view token);
Sha256 HashToken(std::string_view token);

}  // namespace bankfeed::daemon
