// The core's own routes: OAuth2 (authorize, token, metadata) and the /sandbox admin endpoints.
#pragma once

#include <string_view>

#include "bankfeed/datetime.hpp"
#include "bankfeed/result.hpp"
#include "tools/sandbox/router.hpp"

namespace bankfeed::sandbox {

void RegisterCoreRoutes(HttpRouter& router, Services& services);

// The body of POST /sandbox/clock: {"today": "YYYY-MM-DD"}. kInvalidInput naming the problem.
Result<Date> ParseClockBody(std::string_view body);

}  // namespace bankfeed::sandbox
