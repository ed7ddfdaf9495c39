#include "tools/bankfeed/normalize_stream.hpp"

#include <cstdio>
#include <vector>

#include "bankfeed/canonical_json.hpp"
#include "bankfeed/ids.hpp"
#include "tools/bankfeed/block_writer.hpp"
#include "tools/bankfeed/commands.hpp"
#include "tools/bankfeed/io.hpp"
#include "tools/bankfeed/row_pipeline.hpp"

namespace bankfeed::cli {
namespace {

// Prints the refused rows collected so far and forgets them (with their raw bytes), so a body whose rows are all
// refused is never held twice. Only the path and the typed error are printed: the error names the field and the
// reason, never the value, and the row's bytes stay out of every message.
void ReportRefused(std::vector<RefusedRow>& refused, size_t& count) {
  for (const RefusedRow& row : refused) PrintError("refused " + row.path + ": " + row.error.ToString());
  count += refused.size();
  refused.clear();
}

}  // namespace

int StreamTransactions(const PaddedInput& input, const NormalizeOptions& options, bool keep_going, int out_fd) {
  std::vector<RefusedRow> refused;
  NormalizeOptions opts = options;
  if (keep_going) opts.refused = &refused;
  BlockWriter out(out_fd);
  if (input.mapped()) ArmTruncatedInputHandler(out_fd, out.start_length().value_or(-1));
  size_t written = 0, refused_count = 0;
  bool write_failed = false;
  // Rows are formatted and written on a second thread while this one reads on (RowPipeline); `out` and `ids` belong
  // to that thread until Close() has returned. The ids are assigned there too, in the rows' order, as the library
  // would have assigned them (the rows are the same, and so are their ids): the reading thread is the busier one.
  const bool assign_ids = opts.assign_ids;
  opts.assign_ids = false;
  TransactionIdAssigner ids;
  RowPipeline pipeline([&out, &ids, assign_ids](Transaction& t) {
    if (assign_ids) ids.Assign(t);
    AppendCanonicalJson(out.pending(), t);
    out.pending().push_back('\n');
    return out.Appended();
  });
  const Status status = NormalizeTransactionsTo(input.padded(), opts, [&](Transaction& t) -> Status {
    if (keep_going && !refused.empty()) ReportRefused(refused, refused_count);
    ++written;
    if (pipeline.Push(t)) return {};
    write_failed = true;
    return MakeError(ErrorCode::kInternal, "cannot write to standard output");
  });
  if (!pipeline.Close()) write_failed = true;
  if (keep_going) ReportRefused(refused, refused_count);
  const bool finished = status && !write_failed && out.Finish();
  if (!finished) {
    if (status) write_failed = true;  // the last block could not be written
    if (!out.Abandon()) PrintError("cannot truncate standard output back to where this run started");
    PrintError(write_failed ? std::string("cannot write to standard output") : status.error().message);
    return write_failed ? kExitIoErr : kExitDataErr;
  }
  if (keep_going) {
    PrintError("normalize: " + std::to_string(written) + " row(s) written, " + std::to_string(refused_count) +
               " refused");
  }
  return kExitOk;
}

}  // namespace bankfeed::cli
