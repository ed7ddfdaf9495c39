// A scratch directory with a bankfeed.yaml, a bank profile pointing at an in-process sandbox bank, an at-rest key
// file and the store, for tests that run the real `bankfeed` CLI as a child process.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "bankfeed/store.hpp"

namespace bankfeed::testing {

struct CliResult {
  int exit_code = -1;  // -1 after a signal
  std::string out, err;
};

class CliWorkspace {
 public:
  // Makes the directory, the key file and the configuration: profile `test-bank` at `base_url` with the extra
  // `quirks_yaml` lines (indented two spaces, under quirks:), TPP credentials from `pki`.
  CliWorkspace(const std::string& name, const std::string& pki, const std::string& base_url,
               const std::string& quirks_yaml);
  ~CliWorkspace();
  CliWorkspace(const CliWorkspace&) = delete;
  CliWorkspace& operator=(const CliWorkspace&) = delete;

  const std::string& dir() const { return dir_; }
  std::string config() const { return dir_ + "/bankfeed.yaml"; }
  SqliteStoreOptions store_options() const;
  // Adds profile `bank_id`: the UK Open Banking sandbox bank at `origin` (https://127.0.0.1:PORT, its OpenID provider;
  // the AIS API under /open-banking/v3.1/aisp), private_key_jwt with the test QSealC, its customers reconfirming
  // every `reconfirm_days` (0: no such rule). Its client id comes from a registration, as `bankfeed register` keeps it.
  void AddUkProfile(const std::string& bank_id, const std::string& origin, int reconfirm_days) const;
  // A STET profile `bank_id` for the STET sandbox bank at `origin` (the STET defaults; the TPP's qseal_url).
  void AddStetProfile(const std::string& bank_id, const std::string& origin) const;
  std::unique_ptr<Store> OpenStore() const;  // nullptr (and a test failure) on error

  // Starts `bankfeed <args> --config <config>`; stdout and stderr go to files in dir().
  pid_t Start(std::vector<std::string> args) const;
  // Waits for a started child and collects its output.
  CliResult Wait(pid_t pid) const;
  CliResult Run(std::vector<std::string> args) const { return Wait(Start(std::move(args))); }

 private:
  std::string dir_;
};

std::string ReadFileText(const std::string& path);

}  // namespace bankfeed::testing
