// bankfeed/bankfeed.hpp: the umbrella header.
#pragma once

#include "bankfeed/canonical_json.hpp"
#include "bankfeed/datetime.hpp"
#include "bankfeed/ids.hpp"
#include "bankfeed/model.hpp"
#include "bankfeed/money.hpp"
#include "bankfeed/normalize.hpp"
#include "bankfeed/result.hpp"
