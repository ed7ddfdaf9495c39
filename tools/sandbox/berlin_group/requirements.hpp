// The quirks a sandbox bank enforces on requests (scenario behaviour.require; README "Quirks the sandbox
// enforces"). Each check returns the refusal, or std::nullopt when the request passes.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <httplib.h>

#include "tools/sandbox/module.hpp"

namespace bankfeed::sandbox::berlin_group {

// behaviour.require.headers on every /v1 request; with `psu_rules` (consent creation and AIS reads) also psu_id
// and psu_id_type.
std::optional<ApiError> CheckRequirements(const Requirements& require, const httplib::Request& req, bool psu_rules);

// A dateFrom/dateTo value in `format` (%Y four digits, %m and %d two, other characters literal); std::nullopt
// when it does not match or is no calendar day.
std::optional<Date> ParseQueryDate(std::string_view text, std::string_view format);

}  // namespace bankfeed::sandbox::berlin_group
