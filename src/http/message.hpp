// HTTP requests and responses as the transport sees them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace bankfeed::http {

struct Header {
  std::string name;
  std::string value;
};

// Case-insensitive header lookup; the first match.
std::optional<std::string_view> FindHeader(const std::vector<Header>& headers, std::string_view name);

struct Request {
  std::string method = "GET";
  std::string url;  // absolute https URL
  std::vector<Header> headers;  // sent in this order, exactly as given (signatures cover them)
  std::string body;             // sent byte for byte (the Digest covers it)

  // GET, HEAD, PUT, DELETE and OPTIONS may be repeated without a second effect (RFC 9110 §9.2.2).
  bool Idempotent() const;
  // The X-Request-ID header; Send adds a fresh one when the caller did not.
  std::optional<std::string_view> RequestId() const { return FindHeader(headers, "X-Request-ID"); }
};

struct Response {
  int status = 0;
  std::vector<Header> headers;  // of the final response only
  std::string body;
  std::string request_id;       // the X-Request-ID that was sent
  std::string url;              // the URL that answered
  int http_version = 0;         // 10, 11, 20 or 30, for diagnostics

  std::optional<std::string_view> HeaderValue(std::string_view name) const { return FindHeader(headers, name); }
};

// A random (version 4) UUID, lower-case, from OpenSSL's CSPRNG.
std::string NewRequestId();

}  // namespace bankfeed::http
