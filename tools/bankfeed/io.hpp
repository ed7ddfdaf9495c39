// Small I/O helpers for the CLI.
#pragma once

#include <string>
#include <string_view>

#include "bankfeed/result.hpp"

namespace bankfeed::cli {

// Reads a whole file, or standard input for "-". kNotFound when it cannot be opened or read.
Result<std::string> ReadInput(const std::string& path);

// Writes all of `data` to stdout; false on a write error (e.g. a closed pipe).
bool WriteStdout(std::string_view data);

// One line on stderr.
void PrintError(std::string_view message);

}  // namespace bankfeed::cli
