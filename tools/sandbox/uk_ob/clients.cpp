// Registered clients. See uk_ob/clients.hpp.
#include "tools/sandbox/uk_ob/clients.hpp"

#include <algorithm>

#include "tools/sandbox/random.hpp"

namespace bankfeed::sandbox::uk_ob {

// A client that registers too many assertions' jtis is a test gone wrong; the set stays bounded.
constexpr size_t kMaxJtis = 100'000;

bool RegisteredClient::HasRedirectUri(std::string_view uri) const {
  return std::find(redirect_uris.begin(), redirect_uris.end(), uri) != redirect_uris.end();
}

RegisteredClient ClientRegistry::Add(RegisteredClient client) {
  std::lock_guard lock(mu_);
  client.client_id = RandomHex(16);
  clients_.emplace(client.client_id, client);
  return client;
}

std::optional<RegisteredClient> ClientRegistry::Get(std::string_view client_id) const {
  std::lock_guard lock(mu_);
  auto it = clients_.find(client_id);
  if (it == clients_.end()) return std::nullopt;
  return it->second;
}

bool ClientRegistry::Replace(std::string_view client_id, RegisteredClient client) {
  std::lock_guard lock(mu_);
  auto it = clients_.find(client_id);
  if (it == clients_.end()) return false;
  client.client_id = it->second.client_id;
  client.issued_at = it->second.issued_at;
  it->second = std::move(client);
  return true;
}

bool ClientRegistry::Remove(std::string_view client_id) {
  std::lock_guard lock(mu_);
  auto it = clients_.find(client_id);
  if (it == clients_.end()) return false;
  clients_.erase(it);
  return true;
}

bool ClientRegistry::UseJti(std::string_view client_id, std::string_view jti) {
  std::lock_guard lock(mu_);
  if (used_jtis_.size() >= kMaxJtis) return false;
  return used_jtis_.emplace(std::string(client_id), std::string(jti)).second;
}

}  // namespace bankfeed::sandbox::uk_ob
