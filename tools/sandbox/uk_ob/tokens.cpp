// Codes and tokens. See uk_ob/tokens.hpp.
#include "tools/sandbox/uk_ob/tokens.hpp"

#include <iterator>

#include "tools/sandbox/random.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

constexpr std::chrono::minutes kUkCodeLifetime{10};

tl::unexpected<OAuthError> InvalidGrant(std::string description) {
  return tl::unexpected(OAuthError{400, "invalid_grant", std::move(description)});
}

template <typename Map, typename Pred>
void EraseIf(Map& map, Pred pred) {
  for (auto it = map.begin(); it != map.end();) {
    it = pred(it->second) ? map.erase(it) : std::next(it);
  }
}

}  // namespace

TokenStore::TokenStore(std::chrono::seconds access_ttl, Clock now) : access_ttl_(access_ttl), now_(std::move(now)) {}

std::string TokenStore::IssueCode(AuthCode code) {
  const std::string value = RandomToken(24);
  std::lock_guard lock(mu_);
  const std::string redirect_uri = code.redirect_uri;
  codes_.emplace(value, Code{std::move(code), redirect_uri, now_(), false});
  return value;
}

tl::expected<AuthCode, OAuthError> TokenStore::RedeemCode(std::string_view code, std::string_view client_id,
                                                          std::string_view redirect_uri) {
  std::lock_guard lock(mu_);
  auto it = codes_.find(code);
  if (it == codes_.end() || it->second.used || now_() - it->second.issued > kUkCodeLifetime) {
    return InvalidGrant("code: unknown, used or expired");
  }
  if (it->second.code.client_id != client_id) return InvalidGrant("code: issued to another client");
  if (it->second.redirect_uri != redirect_uri) return InvalidGrant("redirect_uri: not the authorization request's");
  it->second.used = true;
  return it->second.code;
}

std::string TokenStore::IssueAccessToken(TokenGrantInfo grant) {
  const std::string token = RandomToken();
  std::lock_guard lock(mu_);
  access_.emplace(token, Access{std::move(grant), now_() + access_ttl_});
  return token;
}

std::optional<TokenGrantInfo> TokenStore::AccessGrant(std::string_view token) const {
  std::lock_guard lock(mu_);
  auto it = access_.find(token);
  if (it == access_.end() || now_() >= it->second.expires) return std::nullopt;
  return it->second.grant;
}

std::string TokenStore::IssueRefreshToken(TokenGrantInfo grant) {
  const std::string token = RandomToken();
  std::lock_guard lock(mu_);
  refresh_.emplace(token, Refresh{std::move(grant), false});
  return token;
}

tl::expected<TokenGrantInfo, OAuthError> TokenStore::UseRefreshToken(std::string_view token, std::string_view client_id,
                                                                     RefreshMode mode) {
  std::lock_guard lock(mu_);
  auto it = refresh_.find(token);
  if (it == refresh_.end() || it->second.used) return InvalidGrant("refresh_token: unknown or used");
  if (it->second.grant.client_id != client_id) return InvalidGrant("refresh_token: issued to another client");
  if (mode == RefreshMode::kRotate) it->second.used = true;
  return it->second.grant;
}

void TokenStore::RevokeClient(std::string_view client_id) {
  std::lock_guard lock(mu_);
  EraseIf(access_, [&](const Access& a) { return a.grant.client_id == client_id; });
  EraseIf(refresh_, [&](const Refresh& r) { return r.grant.client_id == client_id; });
  EraseIf(codes_, [&](const Code& c) { return c.code.client_id == client_id; });
}

}  // namespace bankfeed::sandbox::uk_ob
