#include "tools/sandbox/bearer.hpp"

#include <openssl/ssl.h>

#include "common/text.hpp"
#include "signing/certificate.hpp"
#include "tools/sandbox/form.hpp"
#include "tools/sandbox/json_writer.hpp"

namespace bankfeed::sandbox {

std::string BearerToken(const httplib::Request& req) {
  const std::string value = req.get_header_value("Authorization");
  if (value.size() <= 7 || !EqualsIgnoreCase(std::string_view(value).substr(0, 7), "bearer ")) return {};
  return std::string(TrimOws(std::string_view(value).substr(7)));
}

std::string CertificateFingerprint(X509* cert) { return signing::CertificateSha256Hex(cert); }

std::string PeerFingerprint(const httplib::Request& req) {
  X509* cert = req.ssl != nullptr ? SSL_get0_peer_certificate(req.ssl) : nullptr;
  return cert != nullptr ? CertificateFingerprint(cert) : std::string();
}

void OAuthErrorAnswer(httplib::Response& res, int status, std::string_view error, std::string_view description) {
  JsonWriter w;
  w.BeginObject().Key("error").String(error).Key("error_description").String(description).EndObject();
  res.status = status;
  res.set_content(w.Take(), "application/json");
}

void AuthorizationRefusalPage(httplib::Response& res, std::string_view reason) {
  std::string text;
  for (const char c : reason) text += (c == '<' || c == '>' || c == '&' || c == '"') ? '?' : c;
  res.status = 400;
  res.set_content("<html><body><h1>Authorization refused</h1><p>" + text + "</p></body></html>",
                  "text/html; charset=utf-8");
}

void RedirectWithParams(httplib::Response& res, const std::string& redirect_uri, char separator,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> params) {
  std::string location = redirect_uri;
  char next = separator == '?' && redirect_uri.find('?') != std::string::npos ? '&' : separator;
  for (const auto& [name, value] : params) {
    location += next + std::string(name) + "=" + PercentEncode(value);
    next = '&';
  }
  res.set_redirect(location, 302);
}

}  // namespace bankfeed::sandbox
