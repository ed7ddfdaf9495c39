// Helpers for the src/pki tests: the generated test PKI (ctest sets BANKFEED_TEST_PKI, see make-test-pki.sh) and a
// scratch directory for bad-mode copies.
#pragma once

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace bankfeed::testing {

// The path of a file of the generated test PKI; fails the test when the environment does not name one.
inline std::string PkiFile(const std::string& name) {
  const char* dir = std::getenv("BANKFEED_TEST_PKI");
  EXPECT_NE(dir, nullptr) << "BANKFEED_TEST_PKI is not set: run the tests through ctest (fixture test_env)";
  return std::string(dir != nullptr ? dir : "/nonexistent-test-pki") + "/" + name;
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A fresh directory under the system temp dir, removed with everything in it at the end of the test.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "bankfeed-pki-test-XXXXXX").string();
    if (::mkdtemp(tmpl.data()) != nullptr) path_ = tmpl;
    EXPECT_FALSE(path_.empty()) << "mkdtemp failed";
  }
  ~ScratchDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  // Writes `data` to `name` with `mode` and returns its path.
  std::string Write(const std::string& name, const std::string& data, mode_t mode = 0600) const {
    const std::string path = path_ + "/" + name;
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out << data;
      EXPECT_TRUE(out.good()) << "cannot write " << path;
    }
    EXPECT_EQ(::chmod(path.c_str(), mode), 0);
    return path;
  }
  std::string Copy(const std::string& from, const std::string& name, mode_t mode) const {
    return Write(name, ReadAll(from), mode);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace bankfeed::testing
