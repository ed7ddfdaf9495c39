// A main() for builds without libFuzzer, linked with every target (see fuzz_target.hpp). It runs the named target
// once over every file named on the command line, or found under a directory named there. This lets the targets
// build with g++ and lets ctest replay their corpora, as simdjson's fuzz/main.cpp does.
//
//   bankfeed_fuzz_replay decimal fuzz/corpus/decimal/ crash-1234
//   bankfeed_fuzz_replay --list
//
// The exit status is 0 when every input ran. A violated invariant or a sanitizer report kills the process first,
// and the last "replaying" line names the input that did it. An unknown target, missing paths and an empty corpus
// count as failures, so a mistyped name or directory cannot pass.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string_view>
#include <system_error>
#include <vector>

#include "fuzz_target.hpp"

namespace {

namespace fs = std::filesystem;

bool Replay(bankfeed::fuzz::TestOneInput target, const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Use a heap copy of exactly the input's size, as libFuzzer does. An ASan build then reports a read one byte past
  // the end instead of missing it.
  const std::unique_ptr<uint8_t[]> copy(new uint8_t[bytes.size()]);
  std::copy(bytes.begin(), bytes.end(), copy.get());
  std::fprintf(stderr, "replaying %s (%zu bytes)\n", path.c_str(), bytes.size());
  target(copy.get(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const auto& targets = bankfeed::fuzz::Targets();
  if (argc == 2 && std::string_view(argv[1]) == "--list") {
    for (const auto& [name, entry] : targets) std::printf("%.*s\n", static_cast<int>(name.size()), name.data());
    return 0;
  }
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s TARGET FILE_OR_DIRECTORY...\n       %s --list\n", argv[0], argv[0]);
    return 2;
  }
  const auto target = targets.find(argv[1]);
  if (target == targets.end()) {
    std::fprintf(stderr, "no fuzz target named '%s' in this program (--list names them)\n", argv[1]);
    return 2;
  }
  bool ok = true;
  size_t count = 0;
  for (int i = 2; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::recursive_directory_iterator(arg, ec)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());  // a stable order, so the same corpus gives the same run
      for (const fs::path& file : files) {
        ok = Replay(target->second, file) && ok;
        ++count;
      }
    } else if (fs::is_regular_file(arg, ec)) {
      ok = Replay(target->second, arg) && ok;
      ++count;
    } else {
      std::fprintf(stderr, "no such file or directory: %s\n", argv[i]);
      ok = false;
    }
  }
  std::printf("replayed %zu inputs\n", count);
  return ok && count > 0 ? 0 : 1;
}
