// src/client/client_config_reader.hpp: bankfeed.yaml read together with sections that are not the client's
// (bankfeedd's `daemon:`), with the file's reader, so that one file configures both and errors name file, line and
// key the same way. Internal: the public call is LoadClientConfig (include/bankfeed/client.hpp).
#pragma once

#include <filesystem>
#include <functional>
#include <string>

#include "bankfeed/client.hpp"
#include "config/yaml_reader.hpp"

namespace bankfeed::client {

// Reads the other sections; `base` is the file's folder.
using ExtraSections = std::function<void(config::MapReader& root, const std::filesystem::path& base)>;

// kConfig naming file, line and key. Without `extra`, a `daemon:` section is accepted and left to bankfeedd.
Result<ClientConfig> LoadClientConfig(const std::string& path, const ExtraSections& extra);

}  // namespace bankfeed::client
