// A consent's OAuth2 tokens. See adapters/common/grant_tokens.hpp.
#include "adapters/common/grant_tokens.hpp"

#include <algorithm>
#include <cctype>

#include "adapters/common/bank_error.hpp"
#include "log/log.hpp"

namespace bankfeed::adapters {
namespace {

int64_t UnixSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

GrantTokens::GrantTokens(TokenEndpoint endpoint, std::function<std::chrono::system_clock::time_point()> now,
                         TokenCheck check_token)
    : endpoint_(std::move(endpoint)), now_(std::move(now)), check_token_(std::move(check_token)) {
  if (!now_) now_ = [] { return std::chrono::system_clock::now(); };
}

void GrantTokens::Store(ConsentGrant& grant, TokenResponse token) const {
  grant.access_token = std::move(token.access_token);
  if (!token.refresh_token.empty()) grant.refresh_token = std::move(token.refresh_token);  // rotated
  grant.access_token_expires.reset();
  if (token.expires_in) grant.access_token_expires = DateTime{UnixSeconds(now_()) + token.expires_in->count(), 0, 0};
}

Status GrantTokens::EnsureFresh(ConsentGrant& grant) const {
  if (grant.access_token.empty()) {
    return tl::unexpected(BankError(ErrorCode::kConsentInvalid,
                                    "no access token: the OAuth2 authorization was not completed", endpoint_.bank_id));
  }
  if (grant.access_token_expires && !grant.refresh_token.empty() &&
      UnixSeconds(now_()) + kRefreshMargin.count() >= grant.access_token_expires->unix_seconds) {
    return Refresh(grant);
  }
  return {};
}

Result<TokenResponse> GrantTokens::Request(FormFields form) const {
  if (endpoint_.client == nullptr || endpoint_.url.empty()) {
    return tl::unexpected(BankError(ErrorCode::kConfig, "oauth2.token_endpoint: missing in the profile",
                                    endpoint_.bank_id));
  }
  for (const auto& field : endpoint_.grant_fields) form.push_back(field);
  if (endpoint_.client_auth) {
    BANKFEED_ASSIGN_OR_RETURN(FormFields auth, endpoint_.client_auth());
    for (auto& field : auth) form.push_back(std::move(field));
  }
  auto token = RequestToken(*endpoint_.client, endpoint_.retry, endpoint_.url, form, endpoint_.bank_id);
  if (!token) {
    Error e = std::move(token).error();
    if (e.bank_id.empty()) e.bank_id = endpoint_.bank_id;
    return tl::unexpected(std::move(e));
  }
  return token;
}

Status GrantTokens::Check(const ConsentGrant& grant, const TokenResponse& token, bool refresh) const {
  if (!check_token_) return {};
  Status checked = check_token_(grant, token, refresh);
  if (!checked) {
    Error e = std::move(checked).error();
    if (e.bank_id.empty()) e.bank_id = endpoint_.bank_id;
    // The reason only: the answer's tokens are never logged.
    log::Warn("oauth2.token.refused", {{"bank", endpoint_.bank_id},
                                       {"grant", refresh ? "refresh_token" : "authorization_code"},
                                       {"reason", e.message}});
    return tl::unexpected(std::move(e));
  }
  return {};
}

Status GrantTokens::Refresh(ConsentGrant& grant) const {
  if (grant.refresh_token.empty()) {
    return tl::unexpected(BankError(ErrorCode::kConsentInvalid, "access token expired and no refresh token",
                                    endpoint_.bank_id));
  }
  BANKFEED_ASSIGN_OR_RETURN(TokenResponse token,
                            Request({{"grant_type", "refresh_token"}, {"refresh_token", grant.refresh_token}}));
  BANKFEED_RETURN_IF_ERROR(Check(grant, token, true));
  const bool rotated = !token.refresh_token.empty() && token.refresh_token != grant.refresh_token;
  Store(grant, std::move(token));
  grant.access_token_refreshed = true;
  log::Info("oauth2.token.refreshed", {{"bank", endpoint_.bank_id}, {"rotated", rotated ? "yes" : "no"}});
  return {};
}

Status GrantTokens::RedeemCode(ConsentGrant& grant, std::string_view code, std::string_view redirect_uri) const {
  FormFields form = {{"grant_type", "authorization_code"},
                     {"code", std::string(code)},
                     {"redirect_uri", std::string(redirect_uri)}};
  if (!grant.pkce_verifier.empty()) form.emplace_back("code_verifier", grant.pkce_verifier);
  BANKFEED_ASSIGN_OR_RETURN(TokenResponse token, Request(std::move(form)));
  BANKFEED_RETURN_IF_ERROR(Check(grant, token, false));
  grant.oauth_state.clear();
  grant.pkce_verifier.clear();
  Store(grant, std::move(token));
  grant.access_token_refreshed = false;
  return {};
}

Result<std::string> AuthorizationCode(ConsentGrant& grant, const CallbackParams& callback, std::string_view bank_id) {
  if (auto error = callback.find("error"); error != callback.end()) {
    grant.oauth_state.clear();
    grant.pkce_verifier.clear();
    grant.status = ConsentStatus::kRejected;
    const std::string& code = error->second;
    const bool token = !code.empty() && code.size() <= 64 && std::all_of(code.begin(), code.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
    });
    return tl::unexpected(BankError(ErrorCode::kConsentInvalid,
                                    "authorization refused: " + (token ? code : std::string("(unreadable)")),
                                    bank_id));
  }
  auto state = callback.find("state");
  if (state == callback.end() || !StateMatches(grant.oauth_state, state->second)) {
    return tl::unexpected(BankError(ErrorCode::kConsentInvalid, "callback.state: does not match the request", bank_id));
  }
  auto code = callback.find("code");
  if (code == callback.end() || code->second.empty()) {
    return tl::unexpected(BankError(ErrorCode::kInvalidArgument, "callback.code: missing", bank_id));
  }
  return code->second;
}

}  // namespace bankfeed::adapters
