// URLs the adapters build and follow, through libcurl's URL API (RFC 3986 parsing and reference resolution).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "bankfeed/result.hpp"

namespace bankfeed::adapters {

struct UrlParts {
  std::string scheme;  // lower-case
  std::string host;    // lower-case
  int port = 0;        // explicit or the scheme's default
  std::string path;    // "/v1/accounts"
  std::string query;   // without '?'; empty when none
  std::string Origin() const;        // "https://host:port"
  std::string Target() const;        // path and query as sent: "/v1/accounts?x=1"
};

// Parses an absolute http(s) URL. kInvalidInput naming `what` (never the URL: it may hold ids or tokens).
Result<UrlParts> ParseUrl(std::string_view url, std::string_view what);

// Resolves `reference` (absolute, or relative such as "/v1/x?page=2" or "?page=2") against `base`.
Result<std::string> ResolveUrl(std::string_view base, std::string_view reference, std::string_view what);

bool SameOrigin(const UrlParts& a, const UrlParts& b);

// RFC 3986 percent-encoding of everything but unreserved characters.
std::string PercentEncode(std::string_view text);

// "a=1&b=x%20y" from ordered pairs (values and names percent-encoded).
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

// Parses "a=1&b=x%20y" (or "+" for space, as forms send); later duplicates are ignored. Malformed escapes are
// kept literally.
std::map<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace bankfeed::adapters
