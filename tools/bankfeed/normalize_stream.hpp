// `bankfeed normalize --kind transactions`: rows streamed from the body to standard output as they are read.
#pragma once

#include <string>

#include "bankfeed/normalize.hpp"
#include "tools/bankfeed/padded_input.hpp"

namespace bankfeed::cli {

// Normalizes `input` and writes each row's canonical JSON line to `out_fd` in blocks (BlockWriter: what a failed run
// leaves there). Returns the exit status:
//   0   every row written; with `keep_going` (it sets options.refused), the rows that could be normalized, one line
//       per refused row on stderr (its path and typed error, never its bytes or a value) and a summary line;
//   65  the body is bad: the first bad row in strict mode, or a body unusable as a whole (syntax error, wrong
//       shape) in either mode; one line on stderr;
//   74  standard output could not be written;
//   66  (the process exits) a mapped input file shrank while it was read: see ArmTruncatedInputHandler.
int StreamTransactions(const PaddedInput& input, const NormalizeOptions& options, bool keep_going, int out_fd);

}  // namespace bankfeed::cli
