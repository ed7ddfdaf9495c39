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

// The exit code for an error (sysexits): 65 bad data from the bank, 69 bank unavailable or refusing, 75 try again
// later (rate limits, quota, timeouts), 77 not permitted (consent, authentication), 78 configuration, 2 bad
// arguments, 70 anything else.
int ExitCodeFor(const Error& error);
// One line on stderr.
void PrintError(std::string_view message);

}  // namespace bankfeed::cli
