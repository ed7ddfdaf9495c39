// Who is calling: every RPC is scoped to one tenant, found from the caller's credentials.
// - A bearer token ("authorization: Bearer <token>" metadata), over the Unix socket or TLS. The configuration holds
//   only the token's SHA-256; comparison is constant-time.
// - A client certificate (TCP with mutual TLS), matched by the SHA-256 of its DER encoding.
// A caller with neither, or with one nobody configured, is UNAUTHENTICATED; a token and a certificate of different
// tenants are PERMISSION_DENIED. Messages never echo what the caller sent.
#pragma once

#include <grpcpp/server_context.h>

#include <string>
#include <vector>

#include "daemon/src/daemon_config.hpp"

namespace bankfeed::daemon {

class Authenticator {
 public:
  explicit Authenticator(std::vector<TenantCredentials> tenants) : tenants_(std::move(tenants)) {}

  // The caller's tenant, or the status to answer with.
  grpc::Status Authenticate(const grpc::ServerContextBase& context, std::string& tenant) const;

 private:
  const TenantCredentials* ByToken(std::string_view token) const;
  const TenantCredentials* ByCertificate(std::string_view pem) const;

  std::vector<TenantCredentials> tenants_;
};

}  // namespace bankfeed::daemon
