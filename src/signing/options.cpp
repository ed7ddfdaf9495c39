// Validation of the per-bank signing options (include/bankfeed/signing.hpp). A profile with a bad option fails
// when it is loaded, naming the option, instead of at the bank with a 401.
#include <algorithm>
#include <string>

#include "bankfeed/signing.hpp"
#include "signing/cavage.hpp"
#include "common/text.hpp"

namespace bankfeed {
namespace {

constexpr size_t kMaxOptionLength = 1024;

tl::unexpected<Error> BadOption(std::string option, std::string_view reason) {
  return MakeError(ErrorCode::kConfig, option + ": " + std::string(reason));
}

bool IsLowerHeaderName(std::string_view s) {
  return IsToken(s) && std::none_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
}

// A string that goes into a header value or a JSON string as is: printable ASCII, bounded.
Status CheckText(const std::string& option, std::string_view value, bool allow_empty) {
  if (value.empty()) return allow_empty ? Status() : BadOption(option, "empty");
  if (value.size() > kMaxOptionLength) return BadOption(option, "too long");
  if (!IsPrintableAscii(value)) return BadOption(option, "must be printable ASCII");
  return {};
}

}  // namespace

Status CavageOptions::Validate() const {
  if (!signing::IsRsaSha256Token(algorithm)) {
    return BadOption("cavage.algorithm", "unsupported (rsa-sha256 or SHA256withRSA)");
  }
  if (headers.empty()) return BadOption("cavage.headers", "empty");
  if (headers.size() > signing::kMaxSignedHeaders) return BadOption("cavage.headers", "too many");
  for (size_t i = 0; i < headers.size(); ++i) {
    const std::string option = "cavage.headers[" + std::to_string(i) + "]";
    if (headers[i] != "(request-target)" && !IsLowerHeaderName(headers[i])) {
      return BadOption(option, "not a lower-case header name or (request-target)");
    }
    if (std::find(headers.begin(), headers.begin() + static_cast<std::ptrdiff_t>(i), headers[i]) !=
        headers.begin() + static_cast<std::ptrdiff_t>(i)) {
      return BadOption(option, "listed twice");
    }
  }
  for (size_t i = 0; i < headers_if_present.size(); ++i) {
    const std::string option = "cavage.headers_if_present[" + std::to_string(i) + "]";
    if (std::find(headers.begin(), headers.end(), headers_if_present[i]) == headers.end()) {
      return BadOption(option, "not in cavage.headers");
    }
    if (headers_if_present[i] == "(request-target)") return BadOption(option, "(request-target) is always present");
  }
  // An empty signing string would sign nothing about the request.
  const bool any_required = std::any_of(headers.begin(), headers.end(), [this](const std::string& h) {
    return std::find(headers_if_present.begin(), headers_if_present.end(), h) == headers_if_present.end();
  });
  if (!any_required) return BadOption("cavage.headers_if_present", "leaves no header that is always signed");

  switch (key_id_format) {
    case KeyIdFormat::kSerialIssuer:
      if (!key_id_url.empty()) return BadOption("cavage.key_id_url", "set, but cavage.key_id_format is serial/issuer");
      break;
    case KeyIdFormat::kUrl:
      BANKFEED_RETURN_IF_ERROR(CheckText("cavage.key_id_url", key_id_url, false));
      if (!key_id_url.starts_with("https://") && !key_id_url.starts_with("http://")) {
        return BadOption("cavage.key_id_url", "not an http(s) URL");
      }
      if (key_id_url.find_first_of(" \"\\") != std::string::npos) {
        return BadOption("cavage.key_id_url", "holds a space, quote or backslash");
      }
      break;
    default: return BadOption("cavage.key_id_format", "unknown value");
  }
  if (certificate_encoding != CertificateEncoding::kBase64Der && certificate_encoding != CertificateEncoding::kPem) {
    return BadOption("cavage.certificate_encoding", "unknown value");
  }
  if (digest != DigestAlgorithm::kSha256 && digest != DigestAlgorithm::kSha512) {
    return BadOption("cavage.digest", "unknown value");
  }
  return {};
}

Status JwsOptions::Validate() const {
  if (form != Form::kV314Plus && form != Form::kV313b64False) return BadOption("jws.form", "unknown value");
  BANKFEED_RETURN_IF_ERROR(CheckText("jws.kid", kid, false));
  BANKFEED_RETURN_IF_ERROR(CheckText("jws.issuer", issuer, false));
  BANKFEED_RETURN_IF_ERROR(CheckText("jws.trust_anchor", trust_anchor, false));
  BANKFEED_RETURN_IF_ERROR(CheckText("jws.content_type", content_type, true));  // empty: no "cty"
  return {};
}

CavageOptions CavageOptions::StetDefaults() {
  CavageOptions o;
  o.headers = {"(request-target)", "digest",           "x-request-id",        "psu-ip-address",
               "psu-ip-port",      "psu-http-method",  "psu-date",            "psu-user-agent",
               "psu-referer",      "psu-accept",       "psu-accept-charset",  "psu-accept-encoding",
               "psu-accept-language", "psu-geo-location", "psu-device-id",   "date",
               "content-type"};
  o.headers_if_present.assign(o.headers.begin() + 3, o.headers.end());
  o.key_id_format = KeyIdFormat::kUrl;
  return o;
}

}  // namespace bankfeed
