// A main() for builds without libFuzzer. It runs LLVMFuzzerTestOneInput once over every file named on the command
// line, or found under a directory named there. This lets the targets build with g++ and lets ctest replay their
// corpora, as simdjson's fuzz/main.cpp does.
//
//   fuzz_decimal fuzz/corpus/decimal/ crash-1234
//
// The exit status is 0 when every input ran. A violated invariant or a sanitizer report kills the process first,
// and the last "replaying" line names the input that did it. Missing paths and an empty corpus count as failures,
// so a mistyped directory cannot pass.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

namespace fs = std::filesystem;

bool Replay(const fs::path& path) {
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
  LLVMFuzzerTestOneInput(copy.get(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s FILE_OR_DIRECTORY...\n", argv[0]);
    return 2;
  }
  bool ok = true;
  size_t count = 0;
  for (int i = 1; i < argc; ++i) {
    const fs::path arg(argv[i]);
    std::error_code ec;
    if (fs::is_directory(arg, ec)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::recursive_directory_iterator(arg, ec)) {
        if (entry.is_regular_file()) files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());  // a stable order, so the same corpus gives the same run
      for (const fs::path& file : files) {
        ok = Replay(file) && ok;
        ++count;
      }
    } else if (fs::is_regular_file(arg, ec)) {
      ok = Replay(arg) && ok;
      ++count;
    } else {
      std::fprintf(stderr, "no such file or directory: %s\n", argv[i]);
      ok = false;
    }
  }
  std::printf("replayed %zu inputs\n", count);
  return ok && count > 0 ? 0 : 1;
}
