#include "adapters/common/oauth2.hpp"

#include <cctype>
#include <charconv>

#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <simdjson.h>

#include "adapters/common/url.hpp"
#include "signing/base64.hpp"

namespace bankfeed::adapters {
namespace od = simdjson::ondemand;

std::string RandomUrlToken(size_t bytes) {
  std::string raw(bytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(raw.data()), static_cast<int>(raw.size())) != 1) {
    std::abort();  // no randomness means no safe state or verifier; never continue with a predictable one
  }
  std::string out = signing::Base64UrlEncode(raw);
  OPENSSL_cleanse(raw.data(), raw.size());
  return out;
}

std::string PkceChallenge(std::string_view verifier) {
  unsigned char hash[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), hash);
  return signing::Base64UrlEncode(std::string_view(reinterpret_cast<const char*>(hash), sizeof hash));
}

Result<std::string> AuthorizationUrl(const OAuth2Profile& oauth, const AuthorizationRequest& request) {
  BANKFEED_ASSIGN_OR_RETURN(auto endpoint, ParseUrl(oauth.authorization_endpoint, "oauth2.authorization_endpoint"));
  std::vector<std::pair<std::string, std::string>> fields = {
      {"response_type", "code"},     {"client_id", request.client_id}, {"redirect_uri", request.redirect_uri},
      {"scope", request.scope},      {"state", request.state}};
  if (!request.code_challenge.empty()) {
    fields.emplace_back("code_challenge", request.code_challenge);
    fields.emplace_back("code_challenge_method", "S256");
  }
  std::string url = oauth.authorization_endpoint;
  url += endpoint.query.empty() ? '?' : '&';
  url += FormEncode(fields);
  return url;
}

Result<TokenResponse> ParseTokenResponse(std::string_view body) {
  auto fail = [](std::string_view what) {
    return MakeError(ErrorCode::kProtocol, "token response: " + std::string(what));
  };
  if (body.size() > (1u << 20)) return fail("larger than 1 MiB");
  simdjson::padded_string padded(body);
  od::parser parser;
  od::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return fail("not JSON");
  od::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) return fail("not a JSON object");
  TokenResponse out;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) return fail("not JSON");
    od::value value;
    if (field.value().get(value) != simdjson::SUCCESS) return fail("not JSON");
    std::string_view text;
    if (key == "access_token" || key == "refresh_token" || key == "token_type" || key == "id_token") {
      if (value.get_string().get(text) != simdjson::SUCCESS) return fail(std::string(key) + ": expected a string");
      std::string& target = key == "access_token"    ? out.access_token
                            : key == "refresh_token" ? out.refresh_token
                            : key == "id_token"      ? out.id_token
                                                     : out.token_type;
      target.assign(text);
    } else if (key == "expires_in") {
      int64_t seconds = 0;
      // RFC 6749 says a number; some servers send a string.
      od::json_type type;
      if (value.type().get(type) != simdjson::SUCCESS) return fail("expires_in: expected a number");
      if (type == od::json_type::string) {
        if (value.get_string().get(text) != simdjson::SUCCESS) return fail("expires_in: expected a number");
        auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), seconds);
        if (ec != std::errc() || p != text.data() + text.size()) return fail("expires_in: expected a number");
      } else if (value.get_int64().get(seconds) != simdjson::SUCCESS) {
        return fail("expires_in: expected a number");
      }
      if (seconds < 0 || seconds > 10LL * 365 * 86400) return fail("expires_in: out of range");
      out.expires_in = std::chrono::seconds(seconds);
    }
  }
  const char* location = nullptr;
  if (doc.current_location().get(location) != simdjson::OUT_OF_BOUNDS) {
    return fail("trailing content after the JSON object");
  }
  if (out.access_token.empty()) return fail("access_token: missing");
  if (!out.token_type.empty()) {
    std::string lower = out.token_type;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower != "bearer") return fail("token_type: expected Bearer");
  }
  return out;
}

Error TokenEndpointError(const http::Response& response, std::string_view bank_id) {
  std::string code;
  {
    simdjson::padded_string padded(response.body.size() > (64u << 10) ? std::string_view() : response.body);
    od::parser parser;
    od::document doc;
    std::string_view text;
    if (parser.iterate(padded).get(doc) == simdjson::SUCCESS &&
        doc.find_field_unordered("error").get_string().get(text) == simdjson::SUCCESS) {
      bool token_like = !text.empty() && text.size() <= 64;
      for (char c : text) token_like = token_like && (std::isalnum(static_cast<unsigned char>(c)) || c == '_');
      if (token_like) code.assign(text);
    }
  }
  Error e = http::StatusError(response, bank_id);
  if (code == "invalid_grant") {
    e.code = ErrorCode::kConsentInvalid;
    e.message = "token endpoint: invalid_grant (the authorization is no longer valid; the customer must consent again)";
  } else if (code == "invalid_client" || code == "unauthorized_client") {
    e.code = ErrorCode::kUnauthenticated;
    e.message = "token endpoint: " + code + " (check the client id and the QWAC)";
  } else if (!code.empty()) {
    e.code = ErrorCode::kProtocol;
    e.message = "token endpoint: " + code;
  } else {
    e.message = "token endpoint: HTTP " + std::to_string(response.status);
  }
  e.bank_code = code;
  return e;
}

Result<TokenResponse> RequestToken(http::Client& client, const RetryOptions& retry, const std::string& token_endpoint,
                                   const std::vector<std::pair<std::string, std::string>>& form,
                                   std::string_view bank_id) {
  http::Request request;
  request.method = "POST";
  request.url = token_endpoint;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = FormEncode(form);
  auto response = http::SendWithRetry(client, std::move(request), retry);
  if (!response) return tl::unexpected(std::move(response).error());
  if (response->status != 200) return tl::unexpected(TokenEndpointError(*response, bank_id));
  auto token = ParseTokenResponse(response->body);
  if (!token) {
    Error e = token.error();
    e.bank_id = std::string(bank_id);
    e.request_id = response->request_id;
    return tl::unexpected(std::move(e));
  }
  return token;
}

Status RevokeToken(http::Client& client, const RetryOptions& retry, const std::string& revocation_endpoint,
                   const std::vector<std::pair<std::string, std::string>>& form, std::string_view bank_id) {
  http::Request request;
  request.method = "POST";
  request.url = revocation_endpoint;
  request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}};
  request.body = FormEncode(form);
  auto response = http::SendWithRetry(client, std::move(request), retry);
  if (!response) {
    Error e = std::move(response).error();
    e.message = "revoke token: " + e.message;
    if (e.bank_id.empty()) e.bank_id = std::string(bank_id);
    return tl::unexpected(std::move(e));
  }
  if (response->status == 200) return {};
  Error e = TokenEndpointError(*response, bank_id);
  if (response->status >= 500) e.code = ErrorCode::kUnavailable;
  e.message = "revoke token: " + e.message;
  return tl::unexpected(std::move(e));
}

bool StateMatches(std::string_view expected, std::string_view received) {
  if (expected.empty() || expected.size() != received.size()) return false;
  return CRYPTO_memcmp(expected.data(), received.data(), expected.size()) == 0;
}

}  // namespace bankfeed::adapters
