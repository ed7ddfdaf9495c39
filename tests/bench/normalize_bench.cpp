// bankfeed_bench_normalize: how fast normalization runs compared with the cheapest full read of the same JSON.
//
// For each standard it generates a large transaction report in memory (report_generator.hpp; fixed seed) and times,
// on the same padded buffer:
//   baseline   a simdjson on-demand pass that visits every key and value of the document and copies every string
//              value into a std::string. Any mapping has to do at least this much work.
//   normalize  the standard's internal mapping, <standard>::MapTransactions(padded_string_view, options). This is
//              what bankfeed::NormalizeTransactions calls after copying the body into a padded buffer. Calling it
//              directly leaves that copy out, so both sides parse the same bytes. It runs twice: with the default
//              options (keep_raw_json = true, each row's JSON copied for audit) and with keep_raw_json = false.
// Each measurement is the best of --reps runs after one warm-up run. The tool prints MB/s, transactions/s and the
// ratio normalize/baseline. It never asserts on timing. It exits non-zero only if a mapping fails or returns a row
// count other than the number generated. A mapping that still answers "not implemented" is reported as skipped.
//
//   bankfeed_bench_normalize                       # BG 100 MB, UK 50 MB, STET 50 MB
//   bankfeed_bench_normalize --bg-mb 20 --uk-mb 0 --stet-mb 0 --reps 3
//   bankfeed_bench_normalize --quick               # ~1 MB each, one run: a correctness smoke test
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "adapters/berlin_group/mapping.hpp"
#include "adapters/stet/mapping.hpp"
#include "adapters/uk_ob/mapping.hpp"
#include "bankfeed/ids.hpp"
#include "report_generator.hpp"

namespace bankfeed::bench {
namespace {

namespace od = simdjson::ondemand;
using Clock = std::chrono::steady_clock;

// What the baseline keeps, so the compiler cannot drop any of the work.
struct Sink {
  std::vector<std::string> strings;
  size_t key_bytes = 0;
  double number_sum = 0;
  size_t other_scalars = 0;
};

simdjson::error_code Visit(od::value v, Sink& sink) {
  od::json_type type;
  if (auto e = v.type().get(type)) return e;
  switch (type) {
    case od::json_type::object: {
      od::object obj;
      if (auto e = v.get_object().get(obj)) return e;
      for (auto field_result : obj) {
        od::field field;
        if (auto e = std::move(field_result).get(field)) return e;
        std::string_view key;
        if (auto e = field.unescaped_key().get(key)) return e;
        sink.key_bytes += key.size();
        if (auto e = Visit(field.value(), sink)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::array: {
      od::array arr;
      if (auto e = v.get_array().get(arr)) return e;
      for (auto element_result : arr) {
        od::value element;
        if (auto e = std::move(element_result).get(element)) return e;
        if (auto e = Visit(element, sink)) return e;
      }
      return simdjson::SUCCESS;
    }
    case od::json_type::string: {
      std::string_view s;
      if (auto e = v.get_string().get(s)) return e;
      sink.strings.emplace_back(s);
      return simdjson::SUCCESS;
    }
    case od::json_type::number: {
      double d;
      if (auto e = v.get_double().get(d)) return e;
      sink.number_sum += d;
      return simdjson::SUCCESS;
    }
    case od::json_type::boolean: {
      bool b;
      if (auto e = v.get_bool().get(b)) return e;
      sink.other_scalars += b ? 1 : 0;
      return simdjson::SUCCESS;
    }
    case od::json_type::null: {
      bool is_null;
      if (auto e = v.is_null().get(is_null)) return e;
      sink.other_scalars += 1;
      return simdjson::SUCCESS;
    }
  }
  return simdjson::INCORRECT_TYPE;
}

struct Options {
  double bg_mb = 100, uk_mb = 50, stet_mb = 50;
  int reps = 5;
  uint64_t seed = 20240331;
};

using MapFn = Result<std::vector<Transaction>> (*)(simdjson::padded_string_view, const NormalizeOptions&);

struct StandardCase {
  const char* name;
  const char* mapping;
  double mb;
  GeneratedReport (*generate)(size_t, uint64_t);
  MapFn map;
};

// Best wall time of `reps` runs of f() after one warm-up. f times its own work into `seconds`, so set-up and
// tear-down stay out, and returns false to stop (it reported an error).
template <typename F>
bool BestOf(int reps, double& best_seconds, F&& f) {
  best_seconds = 1e300;
  for (int i = 0; i <= reps; ++i) {  // run 0 is the warm-up
    double seconds = 0;
    if (!f(seconds)) return false;
    if (i > 0) best_seconds = std::min(best_seconds, seconds);
  }
  return true;
}

double Since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

void PrintLine(const char* label, double mb, size_t rows, double seconds, double baseline_seconds) {
  std::printf("  %-34s %9.1f MB/s %12.0f tx/s", label, mb / seconds, static_cast<double>(rows) / seconds);
  if (baseline_seconds > 0) std::printf("   ratio %.2fx", baseline_seconds / seconds);
  std::printf("   (%.3f s)\n", seconds);
}

// Returns false on a correctness failure.
bool RunCase(const StandardCase& c, const Options& opt) {
  if (c.mb <= 0) return true;
  const auto bytes = static_cast<size_t>(c.mb * 1024 * 1024);
  size_t rows = 0;
  simdjson::padded_string padded;
  {
    GeneratedReport report = c.generate(bytes, opt.seed);
    rows = report.rows;
    padded = simdjson::padded_string(report.json);
  }  // the generator's copy is freed before timing
  const double mb = static_cast<double>(padded.size()) / (1024.0 * 1024.0);
  std::printf("%s: %.1f MB, %zu transactions, best of %d after a warm-up\n", c.name, mb, rows, opt.reps);

  od::parser parser;
  Sink sink;
  double baseline = 0;
  const bool baseline_ok = BestOf(opt.reps, baseline, [&](double& seconds) {
    // A fresh vector each run, as normalization builds a fresh result; the old one is freed before the clock starts.
    std::vector<std::string>().swap(sink.strings);
    sink.key_bytes = 0;
    const auto start = Clock::now();
    od::document doc;
    od::value root;
    simdjson::error_code e = parser.iterate(padded).get(doc);
    if (!e) e = doc.get_value().get(root);
    if (!e) e = Visit(root, sink);
    seconds = Since(start);
    if (e) std::fprintf(stderr, "%s: baseline: %s\n", c.name, simdjson::error_message(e));
    return !e;
  });
  if (!baseline_ok) return false;
  size_t string_bytes = 0;
  for (const std::string& s : sink.strings) string_bytes += s.size();
  std::printf("  (baseline kept %zu strings, %zu string bytes, %zu key bytes)\n", sink.strings.size(), string_bytes,
              sink.key_bytes);
  sink.strings = {};
  PrintLine("baseline (on-demand visit + copies)", mb, rows, baseline, 0);

  for (const bool keep_raw : {true, false}) {
    NormalizeOptions options;
    options.keep_raw_json = keep_raw;
    double seconds = 0;
    double ids_seconds = 1e300;
    bool skipped = false;
    const bool ok = BestOf(opt.reps, seconds, [&](double& elapsed) {
      const auto start = Clock::now();
      auto txs = c.map(simdjson::padded_string_view(padded), options);
      elapsed = Since(start);  // the result is destroyed after the clock stops
      if (txs) {
        // The mapping assigns ids row by row; running AssignTransactionIds again on the result shows their share.
        const auto ids_start = Clock::now();
        bankfeed::AssignTransactionIds(*txs);
        ids_seconds = std::min(ids_seconds, Since(ids_start));
      }
      if (!txs) {
        if (txs.error().code == ErrorCode::kInternal && txs.error().message == "not implemented") {
          skipped = true;
          return false;
        }
        std::fprintf(stderr, "%s: %s failed: %s\n", c.name, c.mapping, txs.error().ToString().c_str());
        return false;
      }
      if (txs->size() != rows) {
        std::fprintf(stderr, "%s: %s returned %zu transactions, expected %zu\n", c.name, c.mapping, txs->size(),
                     rows);
        return false;
      }
      return true;
    });
    if (skipped) {
      std::printf("  normalize: skipped (%s is not implemented yet)\n", c.mapping);
      return true;
    }
    if (!ok) return false;
    PrintLine(keep_raw ? "normalize (default options)" : "normalize (keep_raw_json=false)", mb, rows, seconds,
              baseline);
    std::printf("    of which id assignment about %.3f s (%.0f%%)\n", ids_seconds, 100 * ids_seconds / seconds);
  }
  return true;
}

bool ParseArgs(int argc, char** argv, Options& opt) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    auto number = [&](double& out) {
      if (i + 1 >= argc) return false;
      char* end = nullptr;
      out = std::strtod(argv[++i], &end);
      return end != argv[i] && *end == '\0' && out >= 0;
    };
    double n = 0;
    if (a == "--quick") {
      opt.bg_mb = opt.uk_mb = opt.stet_mb = 1;
      opt.reps = 1;
    } else if (a == "--bg-mb") {
      if (!number(opt.bg_mb)) return false;
    } else if (a == "--uk-mb") {
      if (!number(opt.uk_mb)) return false;
    } else if (a == "--stet-mb") {
      if (!number(opt.stet_mb)) return false;
    } else if (a == "--reps") {
      if (!number(n) || n < 1) return false;
      opt.reps = static_cast<int>(n);
    } else if (a == "--seed") {
      if (!number(n)) return false;
      opt.seed = static_cast<uint64_t>(n);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace
}  // namespace bankfeed::bench

int main(int argc, char** argv) {
  using namespace bankfeed::bench;
  Options opt;
  if (!ParseArgs(argc, argv, opt)) {
    std::fprintf(stderr,
                 "usage: %s [--quick] [--bg-mb N] [--uk-mb N] [--stet-mb N] [--reps N] [--seed N]\n"
                 "  sizes in MiB (0 skips a standard); defaults: --bg-mb 100 --uk-mb 50 --stet-mb 50 --reps 5\n",
                 argv[0]);
    return 2;
  }
  // On-demand runs stage 1 (structural indexing) in the kernel chosen at run time, and the rest (iteration,
  // strings, numbers) in the kernel compiled into this binary, which BANKFEED_X86_64_LEVEL sets.
  std::printf("simdjson %d.%d.%d, stage 1 kernel %s (run time), on-demand kernel %s (compile time)\n",
              simdjson::SIMDJSON_VERSION_MAJOR, simdjson::SIMDJSON_VERSION_MINOR, simdjson::SIMDJSON_VERSION_REVISION,
              simdjson::get_active_implementation()->name().c_str(),
              SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION));
  const StandardCase cases[] = {
      {"berlin-group", "berlin_group::MapTransactions", opt.bg_mb, GenerateBerlinGroup,
       bankfeed::berlin_group::MapTransactions},
      {"uk-ob", "uk_ob::MapTransactions", opt.uk_mb, GenerateUkOpenBanking, bankfeed::uk_ob::MapTransactions},
      {"stet", "stet::MapTransactions", opt.stet_mb, GenerateStet, bankfeed::stet::MapTransactions},
  };
  bool ok = true;
  for (const StandardCase& c : cases) ok = RunCase(c, opt) && ok;
  return ok ? 0 : 1;
}
