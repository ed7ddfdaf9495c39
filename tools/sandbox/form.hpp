// Query strings and form bodies (application/x-www-form-urlencoded) as the sandbox reads them from requests.
// Strict and bounded because the input is a client's: a malformed escape or an oversized input is an error naming
// the reason, never the input.
//
//   auto q = ParseForm(QueryOf(req.target));
//   if (const std::string* from = FindField(*q, "dateFrom")) ...
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bankfeed/result.hpp"

namespace bankfeed::sandbox {

inline constexpr size_t kMaxFormBytes = 16 * 1024;
inline constexpr size_t kMaxFormFields = 64;

struct FormField {
  std::string name;
  std::string value;
};
using FormFields = std::vector<FormField>;

// "a=1&b=x+y%21" -> {a: "1"}, {b: "x y!"}. Empty segments are skipped; "a" alone is {a: ""}. With
// reject_duplicates a repeated name is an error (RFC 6749 §3.2: OAuth parameters must not repeat).
// kInvalidInput "form: <reason>".
Result<FormFields> ParseForm(std::string_view text, bool reject_duplicates = false);

// The first field with this name, or nullptr.
const std::string* FindField(const FormFields& fields, std::string_view name);

// The query of a request target: what follows the first '?', up to a '#'.
std::string_view QueryOf(std::string_view target);
// The path of a request target: what precedes the first '?'.
std::string_view PathOf(std::string_view target);

// A query parameter's value as it came on the wire, before percent-decoding; empty when absent.
std::string_view RawQueryValue(std::string_view raw_query, std::string_view name);
// A bank's rule on how a date-time's ':' is written (behaviour.require.date_time_colons): percent-encoded when
// `must_encode`, literally otherwise. The reason when `raw_value` breaks it, std::nullopt when it keeps it.
std::optional<std::string> ColonFormError(std::string_view raw_value, bool must_encode);

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string PercentEncode(std::string_view text);

}  // namespace bankfeed::sandbox
