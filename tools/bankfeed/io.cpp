#include "tools/bankfeed/io.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

namespace bankfeed::cli {

Result<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    std::ios::sync_with_stdio(false);
    std::ostringstream ss;
    ss << std::cin.rdbuf();
    if (std::cin.bad()) return MakeError(ErrorCode::kNotFound, "cannot read standard input");
    return ss.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "cannot open input file: " + std::string(std::strerror(errno)));
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return MakeError(ErrorCode::kNotFound, "cannot read input file");
  return data;
}

bool WriteStdout(std::string_view data) {
  if (data.empty()) return true;
  const size_t written = std::fwrite(data.data(), 1, data.size(), stdout);
  return written == data.size() && std::fflush(stdout) == 0;
}

void PrintError(std::string_view message) {
  std::string line(message);
  for (char& c : line) {
    if (c == '\n' || c == '\r') c = ' ';  // one line, always
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
}

int ExitCodeFor(const Error& error) {
  switch (error.code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kProtocol:
      return 65;
    case ErrorCode::kInvalidArgument:
      return 2;
    case ErrorCode::kUnavailable:
    case ErrorCode::kNetwork:
    case ErrorCode::kHttp:
    case ErrorCode::kTls:
      return 69;
    case ErrorCode::kRateLimited:
    case ErrorCode::kAccessExceeded:
    case ErrorCode::kTimeout:
      return 75;
    case ErrorCode::kUnauthenticated:
    case ErrorCode::kConsentExpired:
    case ErrorCode::kConsentInvalid:
      return 77;
    case ErrorCode::kConfig:
      return 78;
    case ErrorCode::kNotFound:
      return 66;
    case ErrorCode::kInternal:
      break;
  }
  return 70;
}

}  // namespace bankfeed::cli
