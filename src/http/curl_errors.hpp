// Turns a failed curl transfer into a typed Error: TLS/configuration, network, timeout or protocol.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <string_view>

#include "bankfeed/result.hpp"

namespace bankfeed::http {

struct CurlFailure {
  CURLcode code = CURLE_OK;
  std::string_view errbuf;     // curl's error buffer (OpenSSL's reason text for TLS failures)
  bool too_large = false;      // our size cap stopped the transfer
  size_t cap = 0;
  bool connected = false;      // the connection and TLS were up: the request may have been sent
  // The server asked for a client certificate in the handshake and never showed it accepted us (no TLS 1.3 session
  // ticket). A connection cut off then, before any response byte, is a refused certificate whose alert was lost.
  bool certificate_pending = false;
  size_t received = 0;         // response bytes (headers and body) that arrived
};

// The message names the method, the URL without its query string, and the reason; never headers or bodies.
Error ClassifyCurlFailure(const CurlFailure& f, std::string_view method, std::string_view url);

}  // namespace bankfeed::http
