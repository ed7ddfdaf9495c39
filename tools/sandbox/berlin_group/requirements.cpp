#include "tools/sandbox/berlin_group/requirements.hpp"

#include "common/text.hpp"

namespace bankfeed::sandbox::berlin_group {
namespace {

ApiError RequirementError(std::string text) { return {400, "FORMAT_ERROR", std::move(text), {}}; }

}  // namespace

std::optional<ApiError> CheckRequirements(const Requirements& require, const httplib::Request& req, bool psu_rules) {
  for (const auto& [name, value] : require.headers) {
    if (!req.has_header(name)) return RequirementError("header " + name + " is required by this bank");
    if (req.get_header_value(name) != value) return RequirementError("header " + name + " has a value this bank rejects");
  }
  if (!psu_rules) return std::nullopt;
  const bool has_psu_id = req.has_header("PSU-ID");
  if (require.psu_id == PsuIdRule::kRequired && !has_psu_id) return RequirementError("header PSU-ID is required");
  if (require.psu_id == PsuIdRule::kForbidden && has_psu_id) return RequirementError("header PSU-ID is not accepted");
  if (require.psu_id_type && has_psu_id) {
    if (!req.has_header("PSU-ID-Type")) return RequirementError("header PSU-ID-Type is required with PSU-ID");
    if (req.get_header_value("PSU-ID-Type") != *require.psu_id_type) {
      return RequirementError("header PSU-ID-Type has a value this bank rejects");
    }
  }
  return std::nullopt;
}

std::optional<Date> ParseQueryDate(std::string_view text, std::string_view format) {
  std::string ymd[3];  // year, month, day digits
  size_t t = 0;
  for (size_t f = 0; f < format.size(); ++f) {
    if (format[f] != '%' || f + 1 == format.size()) {
      if (t == text.size() || text[t] != format[f]) return std::nullopt;
      ++t;
      continue;
    }
    const char spec = format[++f];
    const size_t width = spec == 'Y' ? 4 : 2;
    const int slot = spec == 'Y' ? 0 : spec == 'm' ? 1 : spec == 'd' ? 2 : -1;
    if (slot < 0 || text.size() - t < width) return std::nullopt;
    for (size_t k = 0; k < width; ++k) {
      if (text[t + k] < '0' || text[t + k] > '9') return std::nullopt;
    }
    ymd[slot] = std::string(text.substr(t, width));
    t += width;
  }
  if (t != text.size() || ymd[0].empty() || ymd[1].empty() || ymd[2].empty()) return std::nullopt;
  auto date = Date::Parse(ymd[0] + "-" + ymd[1] + "-" + ymd[2]);
  if (!date) return std::nullopt;
  return *date;
}

}  // namespace bankfeed::sandbox::berlin_group
