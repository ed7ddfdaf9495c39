// Internal to the scenario parser: the pieces scenario.cpp and scenario_behaviour.cpp share.
#pragma once

#include "config/yaml_reader.hpp"
#include "tools/sandbox/scenario.hpp"

namespace bankfeed::sandbox::detail {

// Reads `behaviour` (an empty reader when the key is absent) into `out`; errors go to the reader's context.
void ReadBehaviour(config::MapReader& reader, Behaviour& out);

// Reads `behaviour.stet` (scenario_stet.cpp).
void ReadStet(config::MapReader& reader, StetOptions& out);

// A string that must be IsCleanText; records "expected text without control characters" otherwise.
std::optional<std::string> CleanString(config::MapReader& reader, std::string_view key, bool required);

}  // namespace bankfeed::sandbox::detail
