// A fresh encrypted SQLite store for a test: `<temp>/bankfeed-<what>-<pid>-<test name>/` holding the database
// ("db") and a new key file ("keys"). The caller removes the directory when done.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "bankfeed/store.hpp"
#include "crypto/keyring.hpp"

namespace bankfeed::testing {

// The test's own directory, emptied. `what` names the test file's area, e.g. "engine".
inline std::filesystem::path FreshTestDir(const std::string& what) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("bankfeed-" + what + "-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The store at dir/db under a new key in dir/keys; null (with a test failure) when it cannot be opened.
inline std::unique_ptr<Store> OpenTempStore(const std::filesystem::path& dir) {
  auto keys = crypto::Keyring::Generate("k1");
  if (!keys || !keys->WriteKeyFile((dir / "keys").string())) {
    ADD_FAILURE() << "cannot write the key file in " << dir;
    return nullptr;
  }
  SqliteStoreOptions options;
  options.path = (dir / "db").string();
  options.key_file = (dir / "keys").string();
  auto store = OpenSqliteStore(options);
  if (!store) {
    ADD_FAILURE() << store.error().ToString();
    return nullptr;
  }
  return std::move(*store);
}

}  // namespace bankfeed::testing
