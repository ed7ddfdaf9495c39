// The clients registered with the sandbox bank's authorization server (dynamic client registration), and the
// client-assertion jti values already used. Thread-safe; hands out copies.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "tools/sandbox/scenario.hpp"
#include "tools/sandbox/uk_ob/jwt.hpp"

namespace bankfeed::sandbox::uk_ob {

struct RegisteredClient {
  std::string client_id;  // set by the registry
  int64_t issued_at = 0;  // Unix seconds
  std::string software_id;
  ClientAuthMethod auth_method = ClientAuthMethod::kPrivateKeyJwt;
  std::vector<std::string> redirect_uris, grant_types, response_types;
  std::string scope;
  std::string tls_client_auth_subject_dn;  // informational, as registered
  // The TPP's signing key (x5c[0] of the registration request) and the request's header kid (may be empty):
  // request objects and client assertions must verify with it.
  SharedKey signing_key;
  std::string signing_kid;
  // SHA-256 of the mTLS client certificate the registration came over: tls_client_auth must present it again.
  std::string tls_fingerprint;

  bool HasRedirectUri(std::string_view uri) const;
};

class ClientRegistry {
 public:
  // Stores the client under a fresh client_id and returns it.
  RegisteredClient Add(RegisteredClient client);
  std::optional<RegisteredClient> Get(std::string_view client_id) const;
  // PUT: the metadata is replaced; the id and issued_at stay. False for an unknown id.
  bool Replace(std::string_view client_id, RegisteredClient client);
  bool Remove(std::string_view client_id);
  // A client assertion's jti: true the first time, false when this client used it before (replay).
  bool UseJti(std::string_view client_id, std::string_view jti);

 private:
  mutable std::mutex mu_;
  std::map<std::string, RegisteredClient, std::less<>> clients_;
  std::set<std::pair<std::string, std::string>> used_jtis_;
};

}  // namespace bankfeed::sandbox::uk_ob
