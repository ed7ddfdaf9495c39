// The HTTP side of OAuth2 for every standard's module: what a protected request carries (the bearer token of its
// Authorization header, the client certificate its token must be bound to, RFC 8705 §3) and the answers of an
// authorization server (error bodies, the authorize page's refusal and redirects).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

#include <httplib.h>
#include <openssl/x509.h>

namespace bankfeed::sandbox {

// The token of "Authorization: Bearer <token>" (scheme case-insensitive); "" when there is none.
std::string BearerToken(const httplib::Request& req);
// Lower-case hex SHA-256 of a certificate's DER: the fingerprint a certificate-bound token carries; "" on failure.
std::string CertificateFingerprint(X509* cert);
// The fingerprint of the request's mTLS client certificate; "" without one.
std::string PeerFingerprint(const httplib::Request& req);

// An OAuth2 / RFC 7591 error answer: {"error": ..., "error_description": ...}.
void OAuthErrorAnswer(httplib::Response& res, int status, std::string_view error, std::string_view description);
// 400 with an HTML page: what the PSU's browser gets when there is nowhere safe to redirect to (RFC 6749 §4.1.2.1).
void AuthorizationRefusalPage(httplib::Response& res, std::string_view reason);
// 302 to redirect_uri with the parameters percent-encoded after `separator`: '#' (the fragment, UK hybrid flow) or
// '?' (the query, STET; '&' when the URI has a query already).
void RedirectWithParams(httplib::Response& res, const std::string& redirect_uri, char separator,
                        std::initializer_list<std::pair<std::string_view, std::string_view>> params);

}  // namespace bankfeed::sandbox
