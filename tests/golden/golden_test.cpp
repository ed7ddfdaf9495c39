// Golden tests: every example vendored under specs/openapi/<standard>/examples runs through the real
// `bankfeed normalize` and must match its committed output byte for byte.
//
// tests/golden/<standard>/manifest.tsv has one row per example:
//   example-file <TAB> standard <TAB> kind <TAB> expected-file [<TAB> extra args, space-separated]
// An expected file ending in .jsonl means exit 0 and that stdout; .err means exit 65, that one stderr line and an
// empty stdout. Set BANKFEED_UPDATE_GOLDENS=1 to rewrite the expected files (then review the diff by hand).
#include <dirent.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "unit/test_util.hpp"

namespace bankfeed::testing {
namespace {

const std::string kSource = BANKFEED_SOURCE_DIR;
const std::vector<std::string> kStandardDirs = {"berlin-group", "uk-openbanking", "stet"};

struct GoldenCase {
  std::string dir;  // specs/openapi/<dir>
  std::string example, standard, kind, expected;
  std::vector<std::string> extra_args;
};

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> parts;
  std::stringstream ss(s);
  std::string p;
  while (std::getline(ss, p, sep)) parts.push_back(p);
  return parts;
}

std::vector<GoldenCase> LoadCases() {
  std::vector<GoldenCase> cases;
  for (const auto& dir : kStandardDirs) {
    std::ifstream f(kSource + "/tests/golden/" + dir + "/manifest.tsv");
    std::string line;
    while (std::getline(f, line)) {
      if (line.empty() || line[0] == '#') continue;
      auto cols = Split(line, '\t');
      if (cols.size() < 4) continue;
      GoldenCase c{dir, cols[0], cols[1], cols[2], cols[3], {}};
      if (cols.size() > 4) {
        for (auto& a : Split(cols[4], ' ')) {
          if (!a.empty()) c.extra_args.push_back(a);
        }
      }
      cases.push_back(std::move(c));
    }
  }
  return cases;
}

std::vector<std::string> ListExamples(const std::string& dir) {
  std::vector<std::string> names;
  const std::string path = kSource + "/specs/openapi/" + dir + "/examples";
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string n = e->d_name;
      if (n.size() > 5 && n.ends_with(".json")) names.push_back(n);
    }
    closedir(d);
  }
  std::sort(names.begin(), names.end());
  return names;
}

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.dir << "/" << c.example; }

class GoldenTest : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(GoldenTest, MatchesCommittedOutput) {
  const GoldenCase& c = GetParam();
  std::vector<std::string> argv = {BANKFEED_CLI, "normalize", "--standard", c.standard, "--kind", c.kind};
  argv.insert(argv.end(), c.extra_args.begin(), c.extra_args.end());
  argv.push_back(kSource + "/specs/openapi/" + c.dir + "/examples/" + c.example);
  const ProcessResult r = RunProcess(argv);
  const std::string expected_path = kSource + "/tests/golden/" + c.dir + "/" + c.expected;
  const bool expect_error = c.expected.ends_with(".err");
  if (std::getenv("BANKFEED_UPDATE_GOLDENS") != nullptr) {
    WriteFile(expected_path, expect_error ? r.err : r.out);
  }
  const std::string expected = ReadFile(expected_path);
  if (expect_error) {
    EXPECT_EQ(r.exit_code, 65) << c.example;
    EXPECT_EQ(r.out, "") << "nothing may reach stdout on bad data";
    EXPECT_EQ(r.err, expected);
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "exactly one line on stderr";
  } else {
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "");
    EXPECT_EQ(r.out, expected);
  }
}

std::string CaseName(const ::testing::TestParamInfo<GoldenCase>& info) {
  std::string n = info.param.dir + "_" + info.param.example;
  for (char& ch : n) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
}

INSTANTIATE_TEST_SUITE_P(Examples, GoldenTest, ::testing::ValuesIn(LoadCases()), CaseName);

// Every vendored example has a manifest row, and every row names a vendored example.
TEST(GoldenCoverage, EveryExampleHasAGolden) {
  const auto cases = LoadCases();
  for (const auto& dir : kStandardDirs) {
    std::set<std::string> covered;
    for (const auto& c : cases) {
      if (c.dir == dir) covered.insert(c.example);
    }
    const auto examples = ListExamples(dir);
    EXPECT_FALSE(examples.empty()) << dir;
    for (const auto& e : examples) EXPECT_TRUE(covered.count(e)) << dir << "/" << e << " has no golden";
    EXPECT_EQ(covered.size(), examples.size()) << dir << ": manifest names files that are not vendored";
  }
}

}  // namespace
}  // namespace bankfeed::testing
