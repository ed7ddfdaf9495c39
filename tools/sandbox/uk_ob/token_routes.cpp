// POST /as/token: client authentication (uk_ob/client_auth.hpp), then the client_credentials,
// authorization_code and refresh_token grants. Errors per RFC 6749 §5.2, never echoing a value.
#include "log/log.hpp"
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/uk_ob/client_auth.hpp"
#include "tools/sandbox/uk_ob/id_token.hpp"
#include "tools/sandbox/uk_ob/module.hpp"

namespace bankfeed::sandbox::uk_ob {
namespace {

tl::unexpected<OAuthError> GrantError(std::string error, std::string description) {
  return tl::unexpected(OAuthError{400, std::move(error), std::move(description)});
}

struct TokenAnswer {
  std::string access_token, refresh_token, id_token, scope;
};

}  // namespace

void UkObModule::Token(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const auto refuse = [&](const OAuthError& e) {
    ++(e.error == "invalid_client" ? s_.stats.bad_client_auth : s_.stats.bad_grant);
    log::Info("sandbox.uk.token", {{"ok", false}, {"error", e.error}});
    OAuthErrorAnswer(res, e.status, e.error, e.description);
  };
  if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) != 0) {
    return refuse({400, "invalid_request", "the body must be application/x-www-form-urlencoded"});
  }
  auto form = ParseForm(req.body, true);
  if (!form) return refuse({400, "invalid_request", form.error().message});
  const std::string fingerprint = PeerFingerprint(req);
  const ClientAuthContext auth{clients_, Issuer() + "/as/token", Issuer(), fingerprint, UnixNow()};
  auto client = AuthenticateClient(*form, auth);
  if (!client) return refuse(client.error());

  const std::string* grant_type = FindField(*form, "grant_type");
  const RefreshMode mode = s_.scenario.behaviour.oidc.refresh_tokens;
  // The answers' ID token (behaviour.oidc.token_id_token); unset: a valid one for the code, none on refresh.
  const std::optional<TokenIdToken> id_token_mode = s_.scenario.behaviour.oidc.token_id_token;
  const auto id_token = [&](const TokenGrantInfo& info, const std::string& access_token, bool refresh) {
    const TokenIdToken kind = id_token_mode.value_or(refresh ? TokenIdToken::kNone : TokenIdToken::kValid);
    if (kind == TokenIdToken::kNone) return std::string();
    // A refresh's token has no nonce (OpenID Connect Core §12.2) and the original auth_time.
    const IdTokenContent content{
        Issuer(), info.client_id, info.consent_id, refresh ? std::string() : info.nonce, UnixNow(), info.auth_time,
        {},       {},             access_token};
    return MakeTokenIdToken(content, keys_, kind);
  };
  // The consent behind a grant must still allow reads: not revoked, not expired.
  const auto usable_consent = [&](const std::string& id) -> tl::expected<void, OAuthError> {
    const auto consent = consents_.Get(id);
    if (!consent || consent->status != AccessConsentStatus::kAuthorised || consent->ExpiredOn(s_.clock.Today())) {
      return GrantError("invalid_grant", "the consent is no longer authorised (revoked or expired)");
    }
    return {};
  };
  const auto answer = [&]() -> tl::expected<TokenAnswer, OAuthError> {
    if (grant_type == nullptr) return GrantError("invalid_request", "grant_type: missing");
    if (*grant_type == "client_credentials") {
      const std::string* scope = FindField(*form, "scope");
      if (scope == nullptr || !ScopeHas(*scope, "accounts"))
        return GrantError("invalid_scope", "scope: must include accounts");
      return TokenAnswer{tokens_.IssueAccessToken({client->client_id, {}, {}, 0, fingerprint}), {}, {}, "accounts"};
    }
    if (*grant_type == "authorization_code") {
      const std::string* code = FindField(*form, "code");
      const std::string* redirect_uri = FindField(*form, "redirect_uri");
      if (code == nullptr) return GrantError("invalid_request", "code: missing");
      if (redirect_uri == nullptr) return GrantError("invalid_request", "redirect_uri: missing");
      BANKFEED_ASSIGN_OR_RETURN(const AuthCode granted, tokens_.RedeemCode(*code, client->client_id, *redirect_uri));
      BANKFEED_RETURN_IF_ERROR(usable_consent(granted.consent_id));
      const TokenGrantInfo info{client->client_id, granted.consent_id, granted.nonce, granted.auth_time, fingerprint};
      TokenAnswer a{tokens_.IssueAccessToken(info), {}, {}, "openid accounts"};
      if (mode != RefreshMode::kNone) a.refresh_token = tokens_.IssueRefreshToken(info);
      a.id_token = id_token(info, a.access_token, false);
      return a;
    }
    if (*grant_type == "refresh_token") {
      const std::string* token = FindField(*form, "refresh_token");
      if (token == nullptr) return GrantError("invalid_request", "refresh_token: missing");
      BANKFEED_ASSIGN_OR_RETURN(TokenGrantInfo info, tokens_.UseRefreshToken(*token, client->client_id, mode));
      BANKFEED_RETURN_IF_ERROR(usable_consent(info.consent_id));
      info.cert_fingerprint = fingerprint;
      TokenAnswer a{tokens_.IssueAccessToken(info), {}, {}, "openid accounts"};
      a.refresh_token = mode == RefreshMode::kRotate ? tokens_.IssueRefreshToken(info) : *token;
      a.id_token = id_token(info, a.access_token, true);
      return a;
    }
    return GrantError("unsupported_grant_type",
                      "grant_type: client_credentials, authorization_code and refresh_token are supported");
  }();
  if (!answer) return refuse(answer.error());

  log::Info("sandbox.uk.token", {{"ok", true}, {"grant", *grant_type}});
  JsonWriter w;
  w.BeginObject();
  w.Key("access_token").String(answer->access_token);
  w.Key("token_type").String("Bearer");
  w.Key("expires_in").Int(tokens_.access_ttl_seconds());
  if (!answer->refresh_token.empty()) w.Key("refresh_token").String(answer->refresh_token);
  if (!answer->id_token.empty()) w.Key("id_token").String(answer->id_token);
  w.Key("scope").String(answer->scope);
  w.EndObject();
  JsonAnswer(res, 200, w.Take());
}

}  // namespace bankfeed::sandbox::uk_ob
