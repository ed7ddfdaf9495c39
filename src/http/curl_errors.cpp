#include "http/curl_errors.hpp"

#include <array>
#include <string>

#include "log/log.hpp"

namespace bankfeed::http {
namespace {

bool Contains(std::string_view s, std::string_view needle) { return s.find(needle) != std::string_view::npos; }

// TLS alerts that mean the server refused us or our certificate. Under TLS 1.3 the client's certificate is checked
// after the client considers the handshake done, so the refusal arrives as a failed read (CURLE_RECV_ERROR) after
// the request was written; the alert text is what tells it apart from a plain reset.
std::string_view CertificateAlert(std::string_view errbuf) {
  static constexpr std::array<std::string_view, 8> kAlerts = {
      "alert certificate required", "alert bad certificate",  "alert unknown ca",
      "alert certificate unknown",  "alert certificate expired", "alert certificate revoked",
      "alert access denied",        "alert handshake failure"};
  for (std::string_view a : kAlerts) {
    if (Contains(errbuf, a)) return a;
  }
  return {};
}

}  // namespace

Error ClassifyCurlFailure(const CurlFailure& f, std::string_view method, std::string_view url) {
  // The URL goes through the log scrubber: no query string, no IBAN-shaped segment, no token-shaped run.
  const std::string where = std::string(method) + " " + log::ScrubValue(url) + ": ";
  auto err = [&](ErrorCode code, std::string_view reason) { return Error(code, where + std::string(reason)); };
  if (f.too_large || f.code == CURLE_FILESIZE_EXCEEDED) {
    return err(ErrorCode::kProtocol, "response larger than the cap of " + std::to_string(f.cap) + " bytes");
  }
  if (const std::string_view alert = CertificateAlert(f.errbuf); !alert.empty()) {
    return err(ErrorCode::kTls, "the server refused the TLS handshake or our client certificate (" +
                                    std::string(alert) + ")");
  }
  const bool cut_off = f.code == CURLE_RECV_ERROR || f.code == CURLE_SEND_ERROR || f.code == CURLE_GOT_NOTHING;
  if (cut_off && f.certificate_pending && f.received == 0) {
    return err(ErrorCode::kTls, "the server asked for a client certificate and closed the connection without "
                                "answering: it refused our certificate (or the lack of one)");
  }
  switch (f.code) {
    case CURLE_PEER_FAILED_VERIFICATION:
      if (Contains(f.errbuf, "does not match") || Contains(f.errbuf, "no alternative certificate subject name")) {
        return err(ErrorCode::kTls, "the server certificate does not match the host name");
      }
      if (Contains(f.errbuf, "expired")) return err(ErrorCode::kTls, "the server certificate has expired");
      return err(ErrorCode::kTls, "the server certificate did not verify against the trusted CAs");
    case CURLE_SSL_CONNECT_ERROR:
      if (Contains(f.errbuf, "unsupported protocol") || Contains(f.errbuf, "protocol version") ||
          Contains(f.errbuf, "no protocols available")) {
        return err(ErrorCode::kTls, "no common TLS version (bankfeed requires TLS 1.2 or later)");
      }
      if (Contains(f.errbuf, "certificate verify failed")) {
        return err(ErrorCode::kTls, "the server certificate did not verify against the trusted CAs");
      }
      return err(ErrorCode::kTls, "TLS handshake failed");
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
      return err(ErrorCode::kConfig, "our TLS configuration was rejected by curl (client certificate or CA bundle)");
    case CURLE_SSL_CIPHER:
      return err(ErrorCode::kTls, "no common TLS cipher");
    case CURLE_SSL_ISSUER_ERROR:
      return err(ErrorCode::kTls, "the server certificate's issuer check failed");
    case CURLE_SSL_CLIENTCERT:
      return err(ErrorCode::kTls, "the server requires a client certificate");
    case CURLE_UNSUPPORTED_PROTOCOL:
      return err(ErrorCode::kConfig, "only https URLs are allowed");
    case CURLE_URL_MALFORMAT:
      return err(ErrorCode::kConfig, "malformed URL");
    case CURLE_OPERATION_TIMEDOUT:
      return err(ErrorCode::kTimeout, f.connected ? "timed out waiting for the response"
                                                  : "timed out connecting");
    case CURLE_COULDNT_RESOLVE_HOST:
      return err(ErrorCode::kNetwork, "could not resolve the host");
    case CURLE_COULDNT_CONNECT:
      return err(ErrorCode::kNetwork, "connection refused or unreachable");
    case CURLE_GOT_NOTHING:
      return err(ErrorCode::kNetwork, "the server closed the connection without a response");
    case CURLE_RECV_ERROR:
      return err(ErrorCode::kNetwork, "connection reset or failed while reading the response");
    case CURLE_SEND_ERROR:
      return err(ErrorCode::kNetwork, "connection reset or failed while sending the request");
    case CURLE_PARTIAL_FILE:
      return err(ErrorCode::kNetwork, "the response body was cut short");
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return err(ErrorCode::kNetwork, "HTTP/2 stream or connection error");
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_BAD_CONTENT_ENCODING:
      return err(ErrorCode::kProtocol, "malformed HTTP response");
    case CURLE_WRITE_ERROR:
    case CURLE_OUT_OF_MEMORY:
      return err(ErrorCode::kInternal, "could not store the response");
    default:
      return err(ErrorCode::kNetwork, std::string("transfer failed (") + curl_easy_strerror(f.code) + ")");
  }
}

}  // namespace bankfeed::http
