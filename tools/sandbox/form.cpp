#include "tools/sandbox/form.hpp"

#include <algorithm>

namespace bankfeed::sandbox {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Result<std::string> Decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= s.size()) return MakeError(ErrorCode::kInvalidInput, "form: truncated percent escape");
      const int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return MakeError(ErrorCode::kInvalidInput, "form: bad percent escape");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

Result<FormFields> ParseForm(std::string_view text, bool reject_duplicates) {
  if (text.size() > kMaxFormBytes) return MakeError(ErrorCode::kInvalidInput, "form: too long");
  FormFields fields;
  for (std::string_view rest = text; !rest.empty();) {
    const size_t amp = rest.find('&');
    const std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (item.empty()) continue;
    if (fields.size() == kMaxFormFields) return MakeError(ErrorCode::kInvalidInput, "form: too many fields");
    const size_t eq = item.find('=');
    BANKFEED_ASSIGN_OR_RETURN(std::string name, Decode(item.substr(0, eq)));
    BANKFEED_ASSIGN_OR_RETURN(std::string value,
                              Decode(eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1)));
    if (name.empty()) return MakeError(ErrorCode::kInvalidInput, "form: a field without a name");
    if (reject_duplicates && FindField(fields, name) != nullptr) {
      return MakeError(ErrorCode::kInvalidInput, "form: a field is given twice");
    }
    fields.push_back({std::move(name), std::move(value)});
  }
  return fields;
}

const std::string* FindField(const FormFields& fields, std::string_view name) {
  for (const FormField& f : fields) {
    if (f.name == name) return &f.value;
  }
  return nullptr;
}

std::string_view QueryOf(std::string_view target) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  return query.substr(0, query.find('#'));
}

std::string_view PathOf(std::string_view target) { return target.substr(0, target.find('?')); }

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string_view RawQueryValue(std::string_view raw_query, std::string_view name) {
  for (size_t at = 0; at <= raw_query.size();) {
    const size_t end = std::min(raw_query.find('&', at), raw_query.size());
    const std::string_view pair = raw_query.substr(at, end - at);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      return pair.substr(name.size() + 1);
    }
    at = end + 1;
  }
  return {};
}

std::optional<std::string> ColonFormError(std::string_view raw_value, bool must_encode) {
  const bool encoded = raw_value.find("%3A") != std::string_view::npos || raw_value.find("%3a") != std::string_view::npos;
  const bool literal = raw_value.find(':') != std::string_view::npos;
  if (must_encode && literal) return "':' must be percent-encoded";
  if (!must_encode && encoded) return "a percent-encoded ':' is not accepted";
  return std::nullopt;
}

}  // namespace bankfeed::sandbox
