// The STET bank's authorization server: GET /stet/authorize (the PSU's browser), POST /stet/token and
// POST /stet/revoke (mTLS). Errors per RFC 6749 §4.1.2.1 / §5.2, naming the parameter, never a value.
#include <openssl/ssl.h>

#include "bankfeed/qcstatement.hpp"
#include "log/log.hpp"
#include "tools/sandbox/bearer.hpp"
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/json_writer.hpp"
#include "tools/sandbox/stet/module.hpp"

namespace bankfeed::sandbox::stet {
namespace {

bool HasWord(std::string_view words, std::string_view word) {
  for (size_t at = 0; at <= words.size();) {
    const size_t end = std::min(words.find(' ', at), words.size());
    if (words.substr(at, end - at) == word) return true;
    at = end + 1;
  }
  return false;
}

tl::unexpected<OAuthError> GrantError(std::string error, std::string description) {
  return tl::unexpected(OAuthError{400, std::move(error), std::move(description)});
}

// The organizationIdentifier (2.5.4.97) of the request's client certificate; "" without one.
std::string PeerOrganization(const httplib::Request& req) {
  X509* cert = req.ssl != nullptr ? SSL_get0_peer_certificate(req.ssl) : nullptr;
  if (cert == nullptr) return {};
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return {};
  const std::string bytes(reinterpret_cast<const char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  auto attributes = Psd2AttributesOfCertificate(bytes);
  return attributes && attributes->organization_identifier ? *attributes->organization_identifier : std::string();
}

}  // namespace

void StetModule::Authorize(const httplib::Request& req, httplib::Response& res) {
  const StetOptions& o = s_.scenario.behaviour.stet;
  auto query = ParseForm(QueryOf(req.target));
  if (!query) return AuthorizationRefusalPage(res, query.error().message);
  const std::string* client_id = FindField(*query, "client_id");
  if (client_id == nullptr || client_id->empty() || client_id->size() > 128 || !IsCleanText(*client_id) ||
      (o.client_id && *client_id != *o.client_id)) {
    return AuthorizationRefusalPage(res, "client_id: missing or not a client of this bank");
  }
  const std::string* redirect_uri = FindField(*query, "redirect_uri");
  if (redirect_uri == nullptr || !redirect_uri->starts_with("https://") || redirect_uri->size() <= 8 ||
      !IsCleanText(*redirect_uri) || redirect_uri->find('#') != std::string::npos) {
    return AuthorizationRefusalPage(res, "redirect_uri: missing or not an https URL");
  }
  const std::string* sent_state = FindField(*query, "state");
  const std::string state = sent_state != nullptr ? *sent_state : std::string();
  const auto refuse = [&](std::string_view error, std::string_view description) {
    log::Info("sandbox.stet.authorize", {{"outcome", error}});
    RedirectWithParams(res, *redirect_uri, '?', {{"error", error}, {"error_description", description}, {"state", state}});
  };
  const std::string* response_type = FindField(*query, "response_type");
  if (response_type == nullptr || *response_type != "code") {
    return refuse("unsupported_response_type", "response_type: expected code");
  }
  const std::string* scope = FindField(*query, "scope");
  if (scope == nullptr || !HasWord(*scope, "aisp")) return refuse("invalid_scope", "scope: must contain aisp");
  if (HasWord(*scope, "extended_transaction_history") && !o.extended_history) {
    return refuse("invalid_scope", "scope: extended_transaction_history is not offered by this bank");
  }
  const std::string* challenge = FindField(*query, "code_challenge");
  const std::string* method = FindField(*query, "code_challenge_method");
  if (challenge == nullptr && o.pkce) return refuse("invalid_request", "code_challenge: required by this bank");
  if (challenge != nullptr && (method == nullptr || *method != "S256")) {
    return refuse("invalid_request", "code_challenge_method: expected S256");
  }
  if (challenge != nullptr && (challenge->size() != 43 || !IsPkceToken(*challenge))) {
    return refuse("invalid_request", "code_challenge: expected BASE64URL(SHA-256(code_verifier))");
  }
  const Psu* psu = &s_.scenario.psus.front();
  if (const std::string* chosen = FindField(*query, "psu")) {
    psu = s_.scenario.FindPsu(*chosen);
    if (psu == nullptr) return refuse("access_denied", "psu: not a customer of this bank");
  }
  if (s_.scenario.behaviour.sca_outcome == ScaOutcome::kReject) {
    return refuse("access_denied", "the PSU rejected the authorization");
  }
  const std::string code = store_.Approve(
      {*client_id, psu->id, *scope, *redirect_uri, challenge != nullptr ? *challenge : std::string()});
  log::Info("sandbox.stet.authorize", {{"outcome", "approved"}});
  RedirectWithParams(res, *redirect_uri, '?', {{"code", code}, {"state", state}});
}

tl::expected<std::string, OAuthError> StetModule::Client(const FormFields& form, const httplib::Request& req) const {
  const std::string* client_id = FindField(form, "client_id");
  if (client_id == nullptr || client_id->empty()) {
    return tl::unexpected(OAuthError{401, "invalid_client", "client_id: missing"});
  }
  const std::optional<std::string>& configured = s_.scenario.behaviour.stet.client_id;
  const std::string expected = configured ? *configured : PeerOrganization(req);
  if (expected.empty() || *client_id != expected) {
    return tl::unexpected(OAuthError{401, "invalid_client", "client_id: not the client of this certificate"});
  }
  return *client_id;
}

void StetModule::Token(const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const auto refuse = [&](const OAuthError& e) {
    ++(e.error == "invalid_client" ? s_.stats.bad_client_auth : s_.stats.bad_grant);
    log::Info("sandbox.stet.token", {{"ok", false}, {"error", e.error}});
    OAuthErrorAnswer(res, e.status, e.error, e.description);
  };
  if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) != 0) {
    return refuse({400, "invalid_request", "the body must be application/x-www-form-urlencoded"});
  }
  auto form = ParseForm(req.body, true);
  if (!form) return refuse({400, "invalid_request", form.error().message});
  auto client = Client(*form, req);
  if (!client) return refuse(client.error());
  const StetOptions& o = s_.scenario.behaviour.stet;
  const bool has_scope = FindField(*form, "scope") != nullptr;
  if (o.token_scope == StetTokenScope::kRequired && !has_scope) {
    return refuse({400, "invalid_request", "scope: required by this bank"});
  }
  if (o.token_scope == StetTokenScope::kForbidden && has_scope) {
    return refuse({400, "invalid_request", "scope: not accepted by this bank"});
  }
  const RefreshMode mode = s_.scenario.behaviour.oidc.refresh_tokens;
  const std::string fingerprint = PeerFingerprint(req);
  const std::string* grant_type = FindField(*form, "grant_type");
  struct Answer {
    std::string access_token, refresh_token, scope;
  };
  const auto answer = [&]() -> tl::expected<Answer, OAuthError> {
    if (grant_type == nullptr) return GrantError("invalid_request", "grant_type: missing");
    if (*grant_type == "authorization_code") {
      const std::string* code = FindField(*form, "code");
      const std::string* redirect_uri = FindField(*form, "redirect_uri");
      if (code == nullptr) return GrantError("invalid_request", "code: missing");
      if (redirect_uri == nullptr) return GrantError("invalid_request", "redirect_uri: missing");
      BANKFEED_ASSIGN_OR_RETURN(
          const Authorization a, store_.RedeemCode(*code, *client, *redirect_uri, FindField(*form, "code_verifier")));
      Answer out{store_.IssueAccessToken(a.id, fingerprint, false), {}, a.scope};
      if (mode != RefreshMode::kNone) out.refresh_token = store_.IssueRefreshToken(a.id);
      return out;
    }
    if (*grant_type == "refresh_token") {
      const std::string* token = FindField(*form, "refresh_token");
      if (token == nullptr) return GrantError("invalid_request", "refresh_token: missing");
      BANKFEED_ASSIGN_OR_RETURN(const Authorization a, store_.UseRefreshToken(*token, *client, mode));
      Answer out{store_.IssueAccessToken(a.id, fingerprint, true), {}, a.scope};
      out.refresh_token = mode == RefreshMode::kRotate ? store_.IssueRefreshToken(a.id) : *token;
      return out;
    }
    return GrantError("unsupported_grant_type", "grant_type: authorization_code and refresh_token are supported");
  }();
  if (!answer) return refuse(answer.error());

  log::Info("sandbox.stet.token", {{"ok", true}, {"grant", *grant_type}});
  JsonWriter w;
  w.BeginObject();
  if (!o.token_without_access_token) w.Key("access_token").String(answer->access_token);
  w.Key("token_type").String("Bearer");
  w.Key("expires_in").Int(store_.access_ttl_seconds());
  if (!answer->refresh_token.empty()) w.Key("refresh_token").String(answer->refresh_token);
  w.Key("scope").String(answer->scope);
  w.EndObject();
  Json(res, 200, w.Take());
}

void StetModule::Revoke(const httplib::Request& req, httplib::Response& res) {
  auto form = ParseForm(req.body, true);
  if (!form) return OAuthErrorAnswer(res, 400, "invalid_request", form.error().message);
  auto client = Client(*form, req);
  if (!client) {
    ++s_.stats.bad_client_auth;
    return OAuthErrorAnswer(res, client.error().status, client.error().error, client.error().description);
  }
  // RFC 7009 §2.2: an unknown or already invalid token is answered 200 as well.
  if (const std::string* token = FindField(*form, "token")) store_.Revoke(*token, *client);
  log::Info("sandbox.stet.revoke", {{"ok", true}});
  res.status = 200;
}

}  // namespace bankfeed::sandbox::stet
