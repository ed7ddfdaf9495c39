// Subcommands of the `bankfeed` CLI. Each registers itself on the CLI11 app and returns the process exit code
// through the callback it sets. Exit codes follow sysexits: 0 ok, 2 usage, 65 bad data, 66 unreadable input.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "common/ip_address.hpp"

namespace bankfeed::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitDataErr = 65;
inline constexpr int kExitNoInput = 66;
inline constexpr int kExitUnavailable = 69;  // the bank could not be reached or refused service
inline constexpr int kExitSoftware = 70;
inline constexpr int kExitIoErr = 74;  // standard output could not be written
inline constexpr int kExitTempFail = 75;
inline constexpr int kExitNoPerm = 77;  // a consent must be renewed  // not yet: try again (e.g. a consent still awaiting SCA)
inline constexpr int kExitConfig = 78;

// --psu-ip: a literal IPv4 or IPv6 address, or a usage error "--psu-ip: expected ..." that never echoes the value.
inline CLI::Validator PsuIpValidator() {
  return CLI::Validator(
      [](const std::string& ip) { return IsIpAddress(ip) ? std::string() : std::string(kIpAddressExpected); }, "IP");
}

// Sets `exit_code` when the subcommand runs.
void AddNormalizeCommand(CLI::App& app, int& exit_code);
void AddSandboxCommand(CLI::App& app, int& exit_code);  // sandbox_cmd.cpp: the mock banks
void AddConsentCommand(CLI::App& app, int& exit_code);  // consent_cmd.cpp: start, complete, status, revoke
void AddFetchCommand(CLI::App& app, int& exit_code);    // fetch_cmd.cpp: accounts, balances, transactions
void AddSyncCommand(CLI::App& app, int& exit_code);     // sync_cmd.cpp: the sync engine over the store's consents
void AddFeedCommand(CLI::App& app, int& exit_code);     // feed_cmd.cpp: changes after a cursor
void AddForgetCommand(CLI::App& app, int& exit_code);   // forget_cmd.cpp: revoke and erase a customer
void AddRegisterCommand(CLI::App& app, int& exit_code); // register_cmd.cpp: dynamic client registration

}  // namespace bankfeed::cli
