// bankfeed_bench_normalize_cli: issue 21's streaming bar for `bankfeed normalize`, on the report the reviewers'
// yardstick writes (tests/bench/baseline/: gen_bg_report.py, 200000 Berlin Group rows, 111 MB, fixed seed).
//
// It prints, on that one file:
//   library   the library's normalization of the file in MB/s, best of --reps after a warm-up: the public
//             NormalizeTransactions (default options), and the internal berlin_group::MapTransactions on a padded
//             body with keep_raw_json = false (no copy, no raw rows: the least work the library does). The faster of
//             the two is the yardstick for the command. For reading the figures it also prints NormalizeTransactionsTo
//             into a counting sink (the call the command makes, without its output);
//   command   `bankfeed normalize --standard berlin-group --kind transactions FILE` as a child process with stdout
//             to /dev/null: wall time from fork to wait4 (best of --reps after a warm-up), MB/s, the ratio
//             command/library (bar: >= 0.8) and its peak RSS from wait4's rusage (largest over the runs) as a
//             multiple of the input's size (bar: < 2);
//   baseline  the yardstick's simdjson on-demand pass (bankfeed_bench_baseline_visit, built as its header says)
//             in MB/s, and the ratio command/baseline.
// MB are 10^6 bytes, as the baseline prints them. The command runs before this process loads the report: Linux
// counts the forking process's resident pages in a child's peak RSS, so the fork happens while this process is small.
//
// It never asserts on timing. It fails only when a step fails (generator, command, baseline, mapping) or when the
// library's or the command's row count differs from the rows generated. The warm-up run of the command writes to a
// pipe and its lines are counted.
//
//   bankfeed_bench_normalize_cli                   # 200000 rows (111 MB), --reps 3
//   bankfeed_bench_normalize_cli --report FILE     # an existing report; rows checked against the library's count
//   bankfeed_bench_normalize_cli --quick           # 2000 rows, one run each: a correctness smoke test
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "adapters/berlin_group/mapping.hpp"
#include "bankfeed/normalize.hpp"
#include "bench_common.hpp"
#include "child_process.hpp"

namespace bankfeed::bench {
namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  size_t rows = 200000;
  int reps = 3;
  std::string report;  // empty: generate one into a temporary directory
};

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

bool ParseArgs(int argc, char** argv, Options& opt) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    const bool has_value = i + 1 < argc;
    if (a == "--quick") {
      opt.rows = 2000;
      opt.reps = 1;
    } else if (a == "--rows" && has_value) {
      opt.rows = std::strtoull(argv[++i], nullptr, 10);
      if (opt.rows == 0) return false;
    } else if (a == "--reps" && has_value) {
      opt.reps = std::atoi(argv[++i]);
      if (opt.reps < 1) return false;
    } else if (a == "--report" && has_value) {
      opt.report = argv[++i];
    } else {
      return false;
    }
  }
  return true;
}

struct CommandFigures {
  double best_seconds = 1e300;
  long peak_rss_kib = 0;
};

// The command's runs: a warm-up into a pipe whose lines are counted (must be `rows`, when known), then `reps` timed
// runs into /dev/null.
std::optional<CommandFigures> MeasureCommand(const std::string& report, std::optional<size_t> rows, int reps) {
  const std::vector<std::string> argv = {BANKFEED_CLI_PATH, "normalize", "--standard", "berlin-group",
                                         "--kind", "transactions", report};
  CommandFigures figures;
  ChildRun warm = RunChild(argv, ChildStdout::kCountLines);
  if (warm.exit_code != 0) {
    std::fprintf(stderr, "bankfeed normalize failed (exit %d)\n", warm.exit_code);
    return std::nullopt;
  }
  if (rows && warm.lines != *rows) {
    std::fprintf(stderr, "bankfeed normalize printed %zu rows, expected %zu\n", warm.lines, *rows);
    return std::nullopt;
  }
  for (int i = 0; i < reps; ++i) {
    ChildRun run = RunChild(argv, ChildStdout::kDevNull);
    if (run.exit_code != 0) {
      std::fprintf(stderr, "bankfeed normalize failed (exit %d)\n", run.exit_code);
      return std::nullopt;
    }
    figures.best_seconds = std::min(figures.best_seconds, run.seconds);
    figures.peak_rss_kib = std::max(figures.peak_rss_kib, run.peak_rss_kib);
  }
  return figures;
}

// Best time of `reps` runs after a warm-up of the library on `body`; nullopt when a run fails or its count is wrong.
template <typename Run>
std::optional<double> MeasureLibrary(const char* label, size_t rows, int reps, Run run) {
  double best = 1e300;
  for (int i = 0; i <= reps; ++i) {
    const auto start = Clock::now();
    Result<std::vector<Transaction>> txs = run();
    const double seconds = Since(start);
    if (!txs) {
      std::fprintf(stderr, "%s failed: %s\n", label, txs.error().ToString().c_str());
      return std::nullopt;
    }
    if (txs->size() != rows) {
      std::fprintf(stderr, "%s returned %zu transactions, expected %zu\n", label, txs->size(), rows);
      return std::nullopt;
    }
    if (i > 0) best = std::min(best, seconds);
  }
  return best;
}

// The streaming call the command makes (keep_raw_json = false, the body used in place), into a sink that only counts:
// the command's cost without its output, for reading the figures; not part of the bar.
std::optional<double> MeasureStreaming(const simdjson::padded_string& padded, size_t rows, int reps) {
  std::string body;
  body.reserve(padded.size() + kBodyPadding);
  body.assign(padded.data(), padded.size());
  NormalizeOptions options;
  options.keep_raw_json = false;
  double best = 1e300;
  for (int i = 0; i <= reps; ++i) {
    size_t count = 0;
    const auto start = Clock::now();
    const Status status = NormalizeTransactionsTo(body, options, [&count](Transaction&) -> Status {
      ++count;
      return {};
    });
    const double seconds = Since(start);
    if (!status || count != rows) {
      std::fprintf(stderr, "NormalizeTransactionsTo: %s, %zu rows of %zu\n",
                   status ? "ok" : status.error().ToString().c_str(), count, rows);
      return std::nullopt;
    }
    if (i > 0) best = std::min(best, seconds);
  }
  return best;
}

int Main(const Options& opt) {
  std::printf("load average before: %s\n", LoadAverage().c_str());
  std::optional<TempDir> temp;
  std::string report = opt.report;
  std::optional<size_t> rows;
  if (report.empty()) {
    temp.emplace();
    report = temp->path() + "/bg_report.json";
    const auto start = Clock::now();
    ChildRun gen = RunChild({"python3", BANKFEED_BENCH_GENERATOR, std::to_string(opt.rows), report},
                            ChildStdout::kInherit);
    if (gen.exit_code != 0) {
      std::fprintf(stderr, "the report generator failed (exit %d): is python3 installed?\n", gen.exit_code);
      return 1;
    }
    std::printf("generated %s (%zu rows) in %.1f s\n", report.c_str(), opt.rows, Since(start));
    rows = opt.rows;
  }

  // The command first, while this process is small (see the top of this file).
  const std::optional<CommandFigures> command = MeasureCommand(report, rows, opt.reps);
  if (!command) return 1;

  simdjson::padded_string body;
  if (auto e = simdjson::padded_string::load(report).get(body)) {
    std::fprintf(stderr, "%s: %s\n", report.c_str(), simdjson::error_message(e));
    return 1;
  }
  const double mb = static_cast<double>(body.size()) / 1e6;
  if (!rows) {  // an existing report: the library's count is the one the command must match
    NormalizeOptions options;
    options.keep_raw_json = false;
    auto txs = berlin_group::MapTransactions(simdjson::padded_string_view(body), options);
    if (!txs) return std::fprintf(stderr, "%s\n", txs.error().ToString().c_str()), 1;
    rows = txs->size();
    if (!MeasureCommand(report, rows, 0)) return 1;
  }
  std::printf("report: %.1f MB, %zu transactions; library and command best of %d after a warm-up\n", mb, *rows,
              opt.reps);

  const std::string_view view(body.data(), body.size());
  const std::optional<double> public_call = MeasureLibrary("NormalizeTransactions", *rows, opt.reps, [&] {
    NormalizeOptions options;
    return NormalizeTransactions(view, options);
  });
  const std::optional<double> mapping = MeasureLibrary("berlin_group::MapTransactions", *rows, opt.reps, [&] {
    NormalizeOptions options;
    options.keep_raw_json = false;
    return berlin_group::MapTransactions(simdjson::padded_string_view(body), options);
  });
  if (!public_call || !mapping) return 1;
  const std::optional<double> streaming = MeasureStreaming(body, *rows, opt.reps);
  if (!streaming) return 1;
  const double library = std::min(*public_call, *mapping);
  std::printf("library  NormalizeTransactions (default options)        %8.1f MB/s\n", mb / *public_call);
  std::printf("library  MapTransactions, padded, keep_raw_json=false   %8.1f MB/s\n", mb / *mapping);
  std::printf("  (NormalizeTransactionsTo into a counting sink, as the command calls it: %.1f MB/s)\n",
              mb / *streaming);
  std::printf("command  bankfeed normalize > /dev/null, end to end     %8.1f MB/s   command/library %.2f (bar >= 0.8)\n",
              mb / command->best_seconds, library / command->best_seconds);
  const double rss_mb = static_cast<double>(command->peak_rss_kib) * 1024 / 1e6;
  std::printf("command  peak RSS %.1f MB = %.2f x the input (bar < 2)\n", rss_mb, rss_mb / mb);
  body = simdjson::padded_string();  // freed before the baseline runs

  ChildRun baseline = RunChild({BANKFEED_BASELINE_PATH, report}, ChildStdout::kCapture);
  const double baseline_mb_s = std::strtod(baseline.out.c_str(), nullptr);
  if (baseline.exit_code != 0 || baseline_mb_s <= 0) {
    std::fprintf(stderr, "the simdjson baseline failed (exit %d)\n", baseline.exit_code);
    return 1;
  }
  std::printf("baseline simdjson on-demand visit (best of 5)          %8.1f MB/s   command/baseline %.2f\n",
              baseline_mb_s, mb / command->best_seconds / baseline_mb_s);
  std::printf("load average after: %s\n", LoadAverage().c_str());
  return 0;
}

}  // namespace
}  // namespace bankfeed::bench

int main(int argc, char** argv) {
  bankfeed::bench::Options opt;
  if (!bankfeed::bench::ParseArgs(argc, argv, opt)) {
    std::fprintf(stderr, "usage: %s [--quick] [--rows N] [--reps N] [--report FILE]\n", argv[0]);
    return 2;
  }
  return bankfeed::bench::Main(opt);
}
