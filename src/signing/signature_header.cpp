#include "signing/signature_header.hpp"

#include <algorithm>
#include <array>

#include "signing/base64.hpp"
#include "common/text.hpp"

namespace bankfeed::signing {
namespace {

constexpr size_t kMaxParameters = 16;
constexpr size_t kMaxSignatureBytes = 1024;  // RSA-8192
constexpr size_t kMaxTimestampDigits = 15;   // far beyond year 9999, far below int64 overflow

tl::unexpected<Error> BadSignature(std::string reason) { return MakeError(ErrorCode::kInvalidInput, "Signature: " + reason); }

bool IsWs(char c) { return c == ' ' || c == '\t'; }

// qdtext and the escaped character of a quoted-pair (RFC 9110 §5.6.4): HTAB, SP, visible ASCII, obs-text.
bool IsQuotedChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  return c == '\t' || (u >= 0x20 && u != 0x7f);
}

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}
  bool AtEnd() const { return i_ == s_.size(); }
  char Peek() const { return s_[i_]; }
  void SkipWs() {
    while (!AtEnd() && IsWs(Peek())) ++i_;
  }
  bool Consume(char c) {
    if (AtEnd() || Peek() != c) return false;
    ++i_;
    return true;
  }
  std::string_view Token() {
    const size_t start = i_;
    while (!AtEnd() && IsTchar(Peek())) ++i_;
    return s_.substr(start, i_ - start);
  }
  // After the opening quote: the unescaped content up to the closing quote.
  Result<std::string> QuotedRest(std::string_view param) {
    std::string out;
    while (!AtEnd()) {
      const char c = s_[i_++];
      if (c == '"') return out;
      if (c == '\\') {
        if (AtEnd() || !IsQuotedChar(Peek())) return BadSignature(std::string(param) + ": bad escape in quoted string");
        out += s_[i_++];
        continue;
      }
      if (!IsQuotedChar(c)) return BadSignature(std::string(param) + ": control character in quoted string");
      out += c;
    }
    return BadSignature(std::string(param) + ": unterminated quoted string");
  }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

enum Param { kKeyId, kAlgorithm, kHeaders, kSignature, kCreated, kExpires, kParamCount, kUnknown = kParamCount };
constexpr std::array<std::string_view, kParamCount> kParamNames = {"keyId",     "algorithm", "headers",
                                                                   "signature", "created",   "expires"};

Param ParamOf(std::string_view name) {
  for (size_t i = 0; i < kParamNames.size(); ++i) {
    if (kParamNames[i] == name) return static_cast<Param>(i);
  }
  return kUnknown;
}

Result<int64_t> ParseTimestamp(std::string_view text, std::string_view param) {
  if (text.empty() || text.size() > kMaxTimestampDigits) return BadSignature(std::string(param) + ": not a Unix time");
  int64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') return BadSignature(std::string(param) + ": not a Unix time");
    v = v * 10 + (c - '0');
  }
  return v;
}

// headers="(request-target) host date": names separated by single spaces, lower-cased here because the draft
// says the list is lower-case and the Berlin Group example capitalises it anyway.
Result<std::vector<std::string>> ParseHeaderList(std::string_view text) {
  std::vector<std::string> names;
  if (text.empty()) return BadSignature("headers: empty");
  for (std::string_view rest = text;;) {
    const size_t space = rest.find(' ');
    const std::string_view item = rest.substr(0, space);
    const bool pseudo =
        item.size() > 2 && item.front() == '(' && item.back() == ')' && IsToken(item.substr(1, item.size() - 2));
    if (!pseudo && !IsToken(item)) return BadSignature("headers: not a list of header names separated by single spaces");
    std::string name = LowerAscii(item);
    if (std::find(names.begin(), names.end(), name) != names.end()) return BadSignature("headers: a header is listed twice");
    if (names.size() == kMaxSignedHeaders) return BadSignature("headers: too many");
    names.push_back(std::move(name));
    if (space == std::string_view::npos) break;
    rest.remove_prefix(space + 1);
  }
  return names;
}

Status AppendQuoted(std::string& out, std::string_view value) {
  out += '"';
  for (const char c : value) {
    if (!IsQuotedChar(c) || c == '\t') {
      return MakeError(ErrorCode::kInvalidArgument, "Signature: control character in a parameter value");
    }
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return {};
}

}  // namespace

Result<ParsedSignature> ParseSignatureHeader(std::string_view value) {
  if (value.size() > kMaxSignatureHeaderSize) return BadSignature("too long");
  Reader in(value);
  std::array<std::optional<std::string>, kParamCount> seen;
  size_t count = 0;
  in.SkipWs();
  if (in.AtEnd()) return BadSignature("empty");
  while (true) {
    const std::string_view name = in.Token();
    if (name.empty()) return BadSignature("expected a parameter name");
    if (++count > kMaxParameters) return BadSignature("too many parameters");
    const Param param = ParamOf(name);
    // Names in messages: only the ones the draft defines, never text from the input.
    const std::string label = param == kUnknown ? std::string("parameter") : std::string(kParamNames[param]);
    in.SkipWs();
    if (!in.Consume('=')) return BadSignature(label + ": expected '='");
    in.SkipWs();
    std::string v;
    if (in.Consume('"')) {
      BANKFEED_ASSIGN_OR_RETURN(v, in.QuotedRest(label));
    } else {
      // A bare token: draft-12 writes created=1402170695 without quotes. Everything else must be quoted.
      v = std::string(in.Token());
      if (v.empty()) return BadSignature(label + ": expected a quoted string");
      if (param != kCreated && param != kExpires && param != kUnknown) return BadSignature(label + ": must be quoted");
    }
    if (param != kUnknown) {
      if (seen[param]) return BadSignature(label + ": given twice");
      seen[param] = std::move(v);
    }
    in.SkipWs();
    if (in.AtEnd()) break;
    if (!in.Consume(',')) return BadSignature("expected ',' between parameters");
    in.SkipWs();
    if (in.AtEnd()) return BadSignature("trailing ','");
  }

  ParsedSignature out;
  if (!seen[kKeyId] || seen[kKeyId]->empty()) return BadSignature("keyId: missing");
  out.key_id = std::move(*seen[kKeyId]);
  if (!seen[kSignature] || seen[kSignature]->empty()) return BadSignature("signature: missing");
  BANKFEED_ASSIGN_OR_RETURN(out.signature, Base64Decode(*seen[kSignature], "Signature: signature"));
  if (out.signature.size() > kMaxSignatureBytes) return BadSignature("signature: too long");
  if (seen[kAlgorithm]) {
    if (!IsToken(*seen[kAlgorithm])) return BadSignature("algorithm: not a token");
    out.algorithm = std::move(*seen[kAlgorithm]);
  }
  out.headers_given = seen[kHeaders].has_value();
  if (out.headers_given) {
    BANKFEED_ASSIGN_OR_RETURN(out.headers, ParseHeaderList(*seen[kHeaders]));
  } else {
    out.headers = {"date"};
  }
  if (seen[kCreated]) {
    BANKFEED_ASSIGN_OR_RETURN(out.created, ParseTimestamp(*seen[kCreated], "created"));
  }
  if (seen[kExpires]) {
    BANKFEED_ASSIGN_OR_RETURN(out.expires, ParseTimestamp(*seen[kExpires], "expires"));
  }
  if (out.created && out.expires && *out.expires < *out.created) return BadSignature("expires: before created");
  return out;
}

Result<std::string> FormatSignatureHeader(std::string_view key_id, std::string_view algorithm,
                                          std::string_view header_list, std::string_view signature_b64) {
  std::string out = "keyId=";
  BANKFEED_RETURN_IF_ERROR(AppendQuoted(out, key_id));
  out += ",algorithm=";
  BANKFEED_RETURN_IF_ERROR(AppendQuoted(out, algorithm));
  out += ",headers=";
  BANKFEED_RETURN_IF_ERROR(AppendQuoted(out, header_list));
  out += ",signature=";
  BANKFEED_RETURN_IF_ERROR(AppendQuoted(out, signature_b64));
  return out;
}

}  // namespace bankfeed::signing
