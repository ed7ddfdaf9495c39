// Reading a response body for `bankfeed normalize` so that it is held once in memory.
#pragma once

#include <string>

#include "bankfeed/result.hpp"

namespace bankfeed::cli {

// The whole of a file, or of standard input for "-", in a string whose capacity leaves bankfeed::kBodyPadding bytes
// past its size: NormalizeTransactionsTo then parses it in place, without a second copy of the body. A regular file
// (or standard input redirected from one) is read straight into a buffer of its size; a pipe grows the buffer as it
// reads. kNotFound when the input cannot be opened or read; the message never holds the body.
Result<std::string> ReadPaddedInput(const std::string& path);

}  // namespace bankfeed::cli
