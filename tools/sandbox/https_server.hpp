// httplib::SSLServer with the connection loop replaced, so handlers see header values exactly as the client sent
// them. cpp-httplib 0.11 percent-decodes every header value it parses ("SN=1,CA=CN=Test%20CA" arrives as
// "...Test CA", "TPP-Redirect-URI: https://tpp/cb?a=%2F" as ".../cb?a=/"), which breaks Cavage signatures over
// those headers and the "redirect URI unchanged" promise. This server reads each request through a stream that
// keeps the raw bytes of the request head and, before routing, replaces the parsed headers with the raw ones.
//
// It also stops idle keep-alive connections within ~50 ms of stop() (httplib's own loop waits for the keep-alive
// timeout), and sets req.ssl as SSLServer does, so client-certificate checks work unchanged.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include <httplib.h>

namespace bankfeed::sandbox {

class HttpsServer final : public httplib::SSLServer {
 public:
  explicit HttpsServer(const std::function<bool(SSL_CTX&)>& setup_ssl_ctx) : httplib::SSLServer(setup_ssl_ctx) {}

 private:
  bool process_and_close_socket(socket_t sock) override;
};

// The header fields of a raw request head ("GET / HTTP/1.1\r\nName: value\r\n...\r\n\r\n"), values trimmed of
// OWS and not decoded. Lines without a colon are skipped. std::nullopt when the head does not end in an empty line
// (it was longer than the stream keeps): the caller then keeps httplib's own headers.
std::optional<httplib::Headers> ParseRawHeaders(std::string_view head);

}  // namespace bankfeed::sandbox
