// `bankfeed normalize --kind transactions` streams (tools/bankfeed/normalize_stream.hpp): the same lines as the
// library's collected result, and what a failed run leaves on stdout: nothing more on a regular file, whole rows on a
// pipe. --keep-going: good rows on stdout, one line per refused row on stderr, never a value.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "bankfeed/bankfeed.hpp"
#include "unit/temp_store.hpp"
#include "unit/test_util.hpp"

namespace bankfeed::testing::normalize_stream_test {
namespace {

namespace fs = std::filesystem;

const std::string kCli = BANKFEED_CLI;
const std::string kSource = BANKFEED_SOURCE_DIR;

// A Berlin Group body of `rows` distinct booked rows; with `bad_at` the row at that index has an exponent amount.
std::string BerlinGroupBody(size_t rows, std::optional<size_t> bad_at = std::nullopt) {
  std::string body = R"({"transactions":{"booked":[)";
  for (size_t i = 0; i < rows; ++i) {
    if (i) body += ',';
    const std::string amount = bad_at == i ? "1e3" : "-" + std::to_string(i % 997) + "." + std::to_string(i % 10);
    body += R"({"transactionId":"T)" + std::to_string(i) + R"(","bookingDate":"2025-03-)" +
            std::to_string(10 + i % 19) + R"(","transactionAmount":{"currency":"EUR","amount":")" + amount +
            R"("},"creditorName":"Shop )" + std::to_string(i % 13) +
            R"(","creditorAccount":{"iban":"DE89370400440532013000"},"remittanceInformationUnstructured":"invoice )" +
            std::to_string(i) + R"( \"quoted\"\nsecond line"})";
  }
  return body + "]}}";
}

// What the command printed before it streamed: the library's collected rows, one canonical line each.
std::string LibraryLines(const std::string& body, Standard standard) {
  NormalizeOptions options;
  options.standard = standard;
  auto txs = NormalizeTransactions(body, options);
  EXPECT_TRUE(txs) << txs.error().ToString();
  std::string out;
  if (txs) {
    for (const Transaction& t : *txs) out += ToCanonicalJson(t) + "\n";
  }
  return out;
}

ProcessResult Normalize(const std::vector<std::string>& extra, const std::string& stdin_data = "") {
  std::vector<std::string> argv = {kCli, "normalize"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return RunProcess(argv, stdin_data);
}

// Runs the command through sh with stdout redirected (`redirect` is "> FILE" or ">> FILE").
ProcessResult NormalizeToFile(const std::string& input, const std::string& redirect) {
  return RunProcess({"/bin/sh", "-c",
                     "exec '" + kCli + "' normalize --standard berlin-group --kind transactions '" + input + "' " +
                         redirect});
}

size_t Lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

TEST(NormalizeStream, SameLinesAsTheLibraryOnEveryGoldenTransactionsBody) {
  struct Dir {
    std::string dir;
    Standard standard;
  };
  size_t compared = 0;
  for (const Dir& d : {Dir{"berlin-group", Standard::kBerlinGroup}, Dir{"uk-openbanking", Standard::kUkOpenBanking},
                       Dir{"stet", Standard::kStet}}) {
    std::ifstream manifest(kSource + "/tests/golden/" + d.dir + "/manifest.tsv");
    std::string line;
    while (std::getline(manifest, line)) {
      std::istringstream cols(line);
      std::string example, standard, kind, expected;
      if (line.empty() || line[0] == '#' || !(cols >> example >> standard >> kind >> expected)) continue;
      if (kind != "transactions" || !expected.ends_with(".jsonl")) continue;
      const std::string path = kSource + "/specs/openapi/" + d.dir + "/examples/" + example;
      auto r = Normalize({"--standard", standard, "--kind", "transactions", path});
      EXPECT_EQ(r.exit_code, 0) << example << ": " << r.err;
      EXPECT_EQ(r.out, LibraryLines(ReadFile(path), d.standard)) << example;
      ++compared;
    }
  }
  EXPECT_GE(compared, 10u) << "the golden manifests list the transactions bodies";
}

TEST(NormalizeStream, SameLinesAsTheLibraryAcrossManyOutputBlocks) {
  const std::string body = BerlinGroupBody(4000);  // about 3 MB of output: a dozen 256 KiB blocks
  const std::string expected = LibraryLines(body, Standard::kBerlinGroup);
  ASSERT_EQ(Lines(expected), 4000u);
  auto from_stdin = Normalize({"--standard", "berlin-group", "--kind", "transactions", "-"}, body);
  EXPECT_EQ(from_stdin.exit_code, 0) << from_stdin.err;
  EXPECT_EQ(from_stdin.err, "");
  EXPECT_TRUE(from_stdin.out == expected) << "stdin: the streamed lines differ from the library's";
  const fs::path dir = FreshTestDir("normalize-stream");
  WriteFile((dir / "body.json").string(), body);
  auto from_file = Normalize({"--standard", "berlin-group", "--kind", "transactions", (dir / "body.json").string()});
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_TRUE(from_file.out == expected) << "file: the streamed lines differ from the library's";
  fs::remove_all(dir);
}

TEST(NormalizeStream, FailedRunLeavesARegularFileAsItWas) {
  // The bad row is the last of 4000: about 3 MB of rows are written before it is read.
  const fs::path dir = FreshTestDir("normalize-stream");
  const std::string input = (dir / "bad.json").string();
  WriteFile(input, BerlinGroupBody(4000, 3999));
  const std::string out = (dir / "out.jsonl").string();

  WriteFile(out, "an earlier run's line\n");
  auto appended = NormalizeToFile(input, ">> '" + out + "'");
  EXPECT_EQ(appended.exit_code, 65);
  EXPECT_EQ(appended.err, "transactions.booked[3999].transactionAmount.amount: not a decimal (exponents are not allowed)\n");
  EXPECT_EQ(ReadFile(out), "an earlier run's line\n") << ">>: the file is truncated back to its length at the start";

  auto truncated = NormalizeToFile(input, "> '" + out + "'");
  EXPECT_EQ(truncated.exit_code, 65);
  EXPECT_EQ(fs::file_size(out), 0u) << ">: nothing of the run is left";

  // A compound command writing on after the failed run continues where the file was left, with no hole.
  auto r = RunProcess({"/bin/sh", "-c",
                       "{ '" + kCli + "' normalize --standard berlin-group --kind transactions '" + input +
                           "'; echo next; } > '" + out + "'"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(ReadFile(out), "next\n");
  fs::remove_all(dir);
}

TEST(NormalizeStream, FailedRunOnAPipeLeavesWholeRowsAndExits65) {
  const std::string body = BerlinGroupBody(4000, 3999);
  auto r = Normalize({"--standard", "berlin-group", "--kind", "transactions", "-"}, body);
  EXPECT_EQ(r.exit_code, 65);
  EXPECT_EQ(Lines(r.err), 1u);
  // Whole blocks of rows went out before the bad row was read; they are the library's first rows, each whole.
  const std::string good = LibraryLines(BerlinGroupBody(3999), Standard::kBerlinGroup);
  ASSERT_FALSE(r.out.empty()) << "rows are written before the whole body is read";
  EXPECT_LT(r.out.size(), good.size()) << "the last block, still pending at the failure, is dropped";
  EXPECT_EQ(r.out.back(), '\n');
  EXPECT_TRUE(good.compare(0, r.out.size(), r.out) == 0) << "a prefix of whole rows";
}

TEST(NormalizeStream, KeepGoingPrintsGoodRowsAndOneLinePerRefusedRowWithoutValues) {
  const std::string good_rows =
      R"({"transactionId":"G1","transactionAmount":{"currency":"EUR","amount":"-12.30"},"creditorName":"Lidl"},)"
      R"({"transactionId":"G2","transactionAmount":{"currency":"EUR","amount":"99"},"debtorName":"Anna"})";
  const std::string body =
      R"({"transactions":{"booked":[)"
      R"({"transactionId":"G1","transactionAmount":{"currency":"EUR","amount":"-12.30"},"creditorName":"Lidl"},)"
      R"({"transactionId":"SECRET-ID-1","transactionAmount":{"currency":"EUR","amount":"7e5"},)"
      R"("creditorName":"Zebulon Quux","remittanceInformationUnstructured":"PRIVATE-NOTE-4711"},)"
      R"({"transactionId":"G2","transactionAmount":{"currency":"EUR","amount":"99"},"debtorName":"Anna"}],)"
      R"("pending":[{"transactionId":"SECRET-ID-2","transactionAmount":{"currency":"EURA","amount":"5.00"},)"
      R"("debtorName":"Yolanda Private"}]}})";
  auto r = Normalize({"--standard", "berlin-group", "--kind", "transactions", "--keep-going", "-"}, body);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, LibraryLines(R"({"transactions":{"booked":[)" + good_rows + "]}}", Standard::kBerlinGroup))
      << "the good rows, with the ids they have without the refused ones";
  std::vector<std::string> lines;
  std::istringstream err(r.err);
  for (std::string l; std::getline(err, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 3u) << r.err;
  EXPECT_EQ(lines[0].rfind("refused transactions.booked[1]: invalid_input: transactions.booked[1].transactionAmount", 0),
            0u)
      << lines[0];
  EXPECT_EQ(lines[1].rfind("refused transactions.pending[0]: invalid_input: transactions.pending[0].", 0), 0u)
      << lines[1];
  EXPECT_EQ(lines[2], "normalize: 2 row(s) written, 2 refused");
  for (const char* value : {"SECRET", "7e5", "Zebulon", "PRIVATE", "4711", "EURA", "Yolanda", "{"}) {
    EXPECT_EQ(r.err.find(value), std::string::npos) << "stderr holds a value or the row's bytes: " << value;
  }
}

TEST(NormalizeStream, KeepGoingStillRefusesABodyUnusableAsAWhole) {
  auto syntax = Normalize({"--standard", "berlin-group", "--kind", "transactions", "--keep-going", "-"},
                          R"({"transactions":{"booked":[{"transactionAmount":{"currency":"EUR","amount":"1"}},)");
  EXPECT_EQ(syntax.exit_code, 65);
  EXPECT_EQ(syntax.out, "");
  EXPECT_EQ(Lines(syntax.err), 1u) << syntax.err;
  auto shape = Normalize({"--standard", "stet", "--kind", "transactions", "--keep-going", "-"},
                         R"({"transactions":{"not":"a list"}})");
  EXPECT_EQ(shape.exit_code, 65);
  EXPECT_EQ(shape.out, "");
}

TEST(NormalizeStream, KeepGoingIsForTransactionsOnly) {
  auto r = Normalize({"--standard", "berlin-group", "--kind", "balances", "--keep-going", "-"}, R"({"balances":[]})");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, "--keep-going: only with --kind transactions\n");
}

}  // namespace
}  // namespace bankfeed::testing::normalize_stream_test
