// Subcommands of the `bankfeed` CLI. Each registers itself on the CLI11 app and returns the process exit code
// through the callback it sets. Exit codes follow sysexits: 0 ok, 2 usage, 65 bad data, 66 unreadable input.
#pragma once

#include <CLI/CLI.hpp>

namespace bankfeed::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDataErr = 65;
inline constexpr int kExitNoInput = 66;

// Sets `exit_code` when the subcommand runs.
void AddNormalizeCommand(CLI::App& app, int& exit_code);

}  // namespace bankfeed::cli
