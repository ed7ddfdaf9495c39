// Test helpers: run a program and capture what it printed.
#pragma once

#include <string>
#include <vector>

namespace bankfeed::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 if it did not exit normally (signal)
  std::string out;
  std::string err;
};

// Runs argv[0] with argv, feeding `stdin_data` on standard input, and waits for it.
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& stdin_data = "");

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& data);

}  // namespace bankfeed::testing
