#include "config/profile_checks.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <vector>

#include "common/text.hpp"

namespace bankfeed::config {
namespace {

bool IsAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

// pchar (RFC 3986 §3.3) without the percent sign, which is checked with the two hex digits after it.
bool IsPathChar(char c) {
  return IsAlnum(c) || std::string_view("-._~!$&'()*+,;=:@").find(c) != std::string_view::npos;
}

// The characters after "https://" up to the end of the host and port.
std::optional<std::string> CheckAuthority(std::string_view authority) {
  if (authority.empty()) return "has no host";
  if (authority.find('@') != std::string_view::npos) return "must not hold a user name or password";
  std::string_view host = authority;
  std::string_view port;
  if (host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string_view::npos || close == 1) return "has a malformed IPv6 host";
    const std::string_view literal = host.substr(1, close - 1);
    if (!std::all_of(literal.begin(), literal.end(), [](char c) { return IsHex(c) || c == ':' || c == '.'; })) {
      return "has a malformed IPv6 host";
    }
    const std::string_view rest = host.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "has a malformed host";
      port = rest.substr(1);
      if (port.empty()) return "has an empty port";
    }
  } else {
    const size_t colon = host.find(':');
    if (colon != std::string_view::npos) {
      port = host.substr(colon + 1);
      host = host.substr(0, colon);
      if (port.empty()) return "has an empty port";
    }
    if (host.empty()) return "has no host";
    if (!std::all_of(host.begin(), host.end(), [](char c) { return IsAlnum(c) || c == '-' || c == '.'; }) ||
        host.front() == '.' || host.front() == '-' || host.find("..") != std::string_view::npos) {
      return "has a malformed host";
    }
  }
  if (!port.empty()) {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || !IsDigit(port.front()) || value < 1 || value > 65535) {
      return "has a port that is not a number from 1 to 65535";
    }
  }
  return std::nullopt;
}

}  // namespace

bool IsProfileId(std::string_view id) {
  return !id.empty() && id.size() <= kMaxProfileIdLength &&
         std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || IsDigit(c) || c == '-'; });
}

std::optional<std::string> CheckHttpsUrl(std::string_view url, UrlRules rules) {
  constexpr std::string_view kScheme = "https://";
  if (url.size() > kMaxUrlLength) return "longer than " + std::to_string(kMaxUrlLength) + " characters";
  if (!url.starts_with(kScheme)) return "must be an https URL (https://host[:port][/path])";
  if (!IsPrintableAscii(url) || url.find(' ') != std::string_view::npos) {
    return "must be printable ASCII without spaces (percent-encode the rest)";
  }
  const std::string_view rest = url.substr(kScheme.size());
  const size_t authority_end = rest.find_first_of("/?#");
  if (auto bad = CheckAuthority(rest.substr(0, authority_end))) return bad;
  if (authority_end == std::string_view::npos) return std::nullopt;

  std::string_view tail = rest.substr(authority_end);
  if (tail.find('#') != std::string_view::npos) return "must not have a fragment (#...)";
  const size_t question = tail.find('?');
  if (question != std::string_view::npos && !rules.allow_query) return "must not have a query (?...)";
  const std::string_view path = tail.substr(0, question);
  if (!rules.allow_trailing_slash && path.ends_with('/')) return "must not end with '/'";
  // The path and the query hold pchar, '/', and in the query '?', with '%' only as the start of "%XX".
  for (size_t i = 0; i < tail.size(); ++i) {
    const char c = tail[i];
    if (c == '%') {
      if (i + 2 >= tail.size() || !IsHex(tail[i + 1]) || !IsHex(tail[i + 2])) return "has a malformed %-escape";
      i += 2;
    } else if (!IsPathChar(c) && c != '/' && !(c == '?' && i >= question)) {
      return "has a character that must be percent-encoded";
    }
  }
  return std::nullopt;
}

std::optional<std::string> CheckStandardVersion(std::string_view version) {
  constexpr std::string_view kReason = "expected a version such as 1.3.11 (one to four dot-separated numbers)";
  if (version.empty() || version.size() > 24) return std::string(kReason);
  size_t parts = 0;
  size_t start = 0;
  while (true) {
    const size_t dot = version.find('.', start);
    const std::string_view part = version.substr(start, dot == std::string_view::npos ? dot : dot - start);
    if (part.empty() || part.size() > 4 || !std::all_of(part.begin(), part.end(), IsDigit)) return std::string(kReason);
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  if (parts > 4) return std::string(kReason);
  return std::nullopt;
}

std::optional<std::string> CheckPathSegment(std::string_view segment) {
  if (segment.empty() || segment.size() > 64) return "expected 1 to 64 characters";
  if (segment == "." || segment == "..") return "must not be . or ..";
  for (const char c : segment) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '~' || c == '-';
    if (!ok) return "expected letters, digits and . _ ~ - only (one path segment)";
  }
  return std::nullopt;
}

std::string WithPathSegment(std::string_view url, std::string_view segment) {
  std::string out(url);
  if (const size_t at = out.find(kPathSegmentPlaceholder); at != std::string::npos) {
    out.replace(at, kPathSegmentPlaceholder.size(), segment);
  }
  return out;
}

std::optional<std::string> CheckDateTimeSuffix(std::string_view suffix) {
  if (suffix.size() > 16) return "longer than 16 characters";
  if (suffix.find_first_not_of("0123456789Z+-:.") != std::string_view::npos) {
    return "expected a zone or fraction such as Z, +00:00 or .000Z (digits and Z + - : . only)";
  }
  return std::nullopt;
}

std::optional<std::string> CheckDateQueryFormat(std::string_view format) {
  if (format.size() > 32) return "longer than 32 characters";
  std::array<int, 3> counts{};  // %Y, %m, %d
  for (size_t i = 0; i < format.size(); ++i) {
    const char c = format[i];
    if (c == '%') {
      const char spec = i + 1 < format.size() ? format[i + 1] : '\0';
      const size_t which = std::string_view("Ymd").find(spec);
      if (spec == '\0' || which == std::string_view::npos) return "only %Y, %m and %d may follow a '%'";
      ++counts[which];
      ++i;
    } else if (std::string_view("-./_~").find(c) == std::string_view::npos) {
      return "the characters between %Y, %m and %d may only be - . / _ ~";
    }
  }
  if (counts != std::array<int, 3>{1, 1, 1}) return "must contain each of %Y, %m and %d exactly once";
  return std::nullopt;
}

std::optional<std::string> CheckOAuth2Scope(std::string_view scope) {
  if (scope.empty() || scope.size() > 1024) return "expected 1 to 1024 characters";
  // scope-token = 1*( %x21 / %x23-5B / %x5D-7E ), joined by single spaces.
  bool after_space = true;
  for (const char c : scope) {
    if (c == ' ') {
      if (after_space) return "scope tokens are separated by single spaces";
      after_space = true;
      continue;
    }
    if (c < 0x21 || c > 0x7e || c == '"' || c == '\\') return "holds a character not allowed in a scope token";
    after_space = false;
  }
  if (after_space) return "scope tokens are separated by single spaces";
  return std::nullopt;
}

std::optional<std::string> CheckDisplayText(std::string_view text, size_t max_length) {
  if (text.empty()) return "empty";
  if (text.size() > max_length) return "longer than " + std::to_string(max_length) + " bytes";
  if (std::any_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
    return "holds a control character";
  }
  return std::nullopt;
}

std::optional<std::string> CheckHeaderValue(std::string_view value) {
  if (value.empty()) return "empty";
  if (value.size() > 1024) return "longer than 1024 characters";
  if (!IsPrintableAscii(value)) return "must be printable ASCII";
  if (value.front() == ' ' || value.back() == ' ') return "must not start or end with a space";
  return std::nullopt;
}

std::optional<std::string> CheckExtraHeaderName(std::string_view name) {
  if (!IsToken(name) || name.size() > 256) return "not an HTTP header name";
  const std::string lower = LowerAscii(name);
  // What bankfeed writes on every request, what its signatures cover, and the hop-by-hop headers.
  static const std::vector<std::string_view> kOwn = {
      "authorization",     "digest", "signature", "x-request-id",    "consent-id", "host",
      "x-jws-signature",   "date",   "accept",    "accept-encoding", "connection", "keep-alive",
      "transfer-encoding", "te",     "trailer",   "upgrade",         "cookie",     "proxy-authorization"};
  static const std::vector<std::string_view> kOwnPrefixes = {"psu-", "tpp-", "content-", "proxy-"};
  if (std::find(kOwn.begin(), kOwn.end(), lower) != kOwn.end() ||
      std::any_of(kOwnPrefixes.begin(), kOwnPrefixes.end(),
                  [&](std::string_view prefix) { return lower.starts_with(prefix); })) {
    return "bankfeed sets this header itself";
  }
  return std::nullopt;
}

bool LooksLikeSecretKey(std::string_view key) {
  std::string normal = LowerAscii(key);
  std::replace(normal.begin(), normal.end(), '-', '_');
  if (normal == "token_endpoint") return false;  // oauth2.token_endpoint: a URL
  static constexpr std::array<std::string_view, 9> kWords = {
      "secret", "password", "passwd", "passphrase", "token", "private_key", "privatekey", "api_key", "apikey"};
  return std::any_of(kWords.begin(), kWords.end(),
                     [&](std::string_view word) { return normal.find(word) != std::string::npos; });
}

bool IsUkVersionBefore314(std::string_view version) {
  std::array<int, 3> parts{};
  size_t index = 0;
  const char* p = version.data();
  const char* const end = version.data() + version.size();
  while (p < end && index < parts.size()) {
    auto [next, ec] = std::from_chars(p, end, parts[index]);
    if (ec != std::errc()) return false;
    ++index;
    p = next;
    if (p < end && *p == '.') ++p;
  }
  return parts < std::array<int, 3>{3, 1, 4};
}

}  // namespace bankfeed::config
