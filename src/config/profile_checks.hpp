// Checks of single bank-profile values (include/bankfeed/profile.hpp). Each returns std::nullopt when the value is
// good, or the reason it is not; the reason never quotes the value, so the caller can put it in an error next to the
// file, line and key.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace bankfeed::config {

inline constexpr size_t kMaxProfileIdLength = 64;
inline constexpr size_t kMaxUrlLength = 2048;

// id: lower-case letters, digits and '-', at most kMaxProfileIdLength characters.
bool IsProfileId(std::string_view id);

struct UrlRules {
  bool allow_query = false;           // "?..." (OAuth2 endpoints may have one; a base URL may not)
  bool allow_trailing_slash = false;  // a base URL gets paths appended, so it must not end in '/'
};
// An absolute https URL with a host, an optional port, no user information and no fragment.
std::optional<std::string> CheckHttpsUrl(std::string_view url, UrlRules rules);

// "1.3.11": one to four dot-separated numbers.
std::optional<std::string> CheckStandardVersion(std::string_view version);

// Quirks::date_query_format: %Y, %m and %d once each, with only - . / _ ~ between them.
std::optional<std::string> CheckDateQueryFormat(std::string_view format);
// Quirks::date_time_query_suffix: at most 16 of 0-9 Z + - : . ("Z", "+00:00", ".000Z").
std::optional<std::string> CheckDateTimeSuffix(std::string_view suffix);

// An OAuth2 scope (RFC 6749 §3.3): scope tokens separated by single spaces.
std::optional<std::string> CheckOAuth2Scope(std::string_view scope);

// Quirks::path_segment: 1 to 64 of A-Z a-z 0-9 . _ ~ - (one URL path segment, never "." or "..").
std::optional<std::string> CheckPathSegment(std::string_view segment);
// The placeholder in a base URL that quirks.path_segment fills, and the URL with it filled (unchanged without one).
inline constexpr std::string_view kPathSegmentPlaceholder = "{segment}";
std::string WithPathSegment(std::string_view url, std::string_view segment);

// A line of text for people (a display name): no control characters, bounded; UTF-8 passes.
std::optional<std::string> CheckDisplayText(std::string_view text, size_t max_length);

// A header value from a profile (extra_headers, PSU-ID-Type): printable ASCII without leading or trailing space.
std::optional<std::string> CheckHeaderValue(std::string_view value);

// Quirks::extra_headers names: an HTTP token (RFC 9110) that bankfeed does not set itself.
std::optional<std::string> CheckExtraHeaderName(std::string_view name);

// A key (any mapping key in the profile, extra header names included) that looks like it holds a secret: *secret*,
// *password*, *passwd*, *passphrase*, *token* (but not token_endpoint), *private_key*, *api_key*, ignoring case and
// with '-' read as '_'.
bool LooksLikeSecretKey(std::string_view key);
inline constexpr std::string_view kNoSecretsReason = "secrets never in a profile: use a 0600 file or the environment";

// The UK Open Banking versions before 3.1.4 sign with "b64": false (JwsOptions::Form::kV313b64False).
bool IsUkVersionBefore314(std::string_view version);

}  // namespace bankfeed::config
