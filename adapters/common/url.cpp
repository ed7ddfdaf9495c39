#include "adapters/common/url.hpp"

#include <curl/curl.h>

#include <memory>

#include "common/text.hpp"

namespace bankfeed::adapters {
namespace {

struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using UrlHandle = std::unique_ptr<CURLU, UrlDeleter>;

struct CurlString {
  char* p = nullptr;
  ~CurlString() { curl_free(p); }
};

std::optional<std::string> Part(CURLU* u, CURLUPart part, unsigned flags = 0) {
  CurlString s;
  if (curl_url_get(u, part, &s.p, flags) != CURLUE_OK || !s.p) return std::nullopt;
  return std::string(s.p);
}

Result<UrlHandle> Parse(std::string_view url, std::string_view what) {
  UrlHandle u(curl_url());
  if (!u) return MakeError(ErrorCode::kInternal, "out of memory");
  if (url.find('\0') != std::string_view::npos || url.size() > 8192) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not a URL");
  }
  std::string text(url);
  if (curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not an absolute URL");
  }
  return u;
}

Result<UrlParts> Split(CURLU* u, std::string_view what) {
  UrlParts parts;
  auto scheme = Part(u, CURLUPART_SCHEME);
  auto host = Part(u, CURLUPART_HOST);
  auto port = Part(u, CURLUPART_PORT, CURLU_DEFAULT_PORT);
  if (!scheme || !host || !port || host->empty()) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not an absolute URL");
  }
  parts.scheme = LowerAscii(*scheme);
  if (parts.scheme != "https" && parts.scheme != "http") {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not an http(s) URL");
  }
  parts.host = LowerAscii(*host);
  parts.port = std::atoi(port->c_str());
  parts.path = Part(u, CURLUPART_PATH).value_or("/");
  parts.query = Part(u, CURLUPART_QUERY).value_or("");
  if (Part(u, CURLUPART_USER)) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": URL with user information");
  }
  return parts;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%' && i + 2 < text.size() && HexValue(text[i + 1]) >= 0 &&
               HexValue(text[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(text[i + 1]) * 16 + HexValue(text[i + 2]));
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string UrlParts::Origin() const { return scheme + "://" + host + ":" + std::to_string(port); }

std::string UrlParts::Target() const { return query.empty() ? path : path + "?" + query; }

Result<UrlParts> ParseUrl(std::string_view url, std::string_view what) {
  BANKFEED_ASSIGN_OR_RETURN(auto u, Parse(url, what));
  return Split(u.get(), what);
}

Result<std::string> ResolveUrl(std::string_view base, std::string_view reference, std::string_view what) {
  BANKFEED_ASSIGN_OR_RETURN(auto u, Parse(base, what));
  if (reference.find('\0') != std::string_view::npos || reference.size() > 8192 || reference.empty()) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not a URL reference");
  }
  std::string ref(reference);
  if (curl_url_set(u.get(), CURLUPART_URL, ref.c_str(), 0) != CURLUE_OK) {
    return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not a URL reference");
  }
  BANKFEED_RETURN_IF_ERROR(Split(u.get(), what));
  auto url = Part(u.get(), CURLUPART_URL);
  if (!url) return MakeError(ErrorCode::kInvalidInput, std::string(what) + ": not a URL reference");
  return *url;
}

bool SameOrigin(const UrlParts& a, const UrlParts& b) {
  return a.scheme == b.scheme && a.host == b.host && a.port == b.port;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += PercentEncode(name);
    out += '=';
    out += PercentEncode(value);
  }
  return out;
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name = Unescape(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : Unescape(pair.substr(eq + 1));
    out.emplace(std::move(name), std::move(value));
  }
  return out;
}

}  // namespace bankfeed::adapters
