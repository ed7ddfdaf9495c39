// bankfeed/bankfeed.hpp: the umbrella header.
#pragma once

#include "bankfeed/canonical_json.hpp"
#include "bankfeed/connector.hpp"
#include "bankfeed/credentials.hpp"
#include "bankfeed/datetime.hpp"
#include "bankfeed/ids.hpp"
#include "bankfeed/logging.hpp"
#include "bankfeed/model.hpp"
#include "bankfeed/money.hpp"
#include "bankfeed/normalize.hpp"
#include "bankfeed/profile.hpp"
#include "bankfeed/qcstatement.hpp"
#include "bankfeed/result.hpp"
#include "bankfeed/signing.hpp"
#include "bankfeed/transport.hpp"
