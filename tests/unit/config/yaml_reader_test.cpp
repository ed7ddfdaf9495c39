// The strict YAML reader (src/config/yaml_reader): document limits, strict scalars, unknown and duplicate keys, and
// errors as "file:line:col: key.path: reason".
#include "config/yaml_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bankfeed::config {
namespace {

// The error a document gives when loaded (Load and nothing else), or "ok".
std::string LoadError(const std::string& text, size_t max_bytes = 4u << 20, int max_depth = 64) {
  YamlContext ctx("t.yaml");
  const YAML::Node root = ctx.Load(text, max_bytes, max_depth);
  if (!ctx.failed()) {
    EXPECT_TRUE(root.IsDefined());
    return "ok";
  }
  EXPECT_EQ(ctx.error()->code, ErrorCode::kConfig);
  EXPECT_FALSE(root.IsDefined());
  return ctx.error()->message;
}

// Reads `key` of a one-key document with `read`, returning the error or "ok".
template <typename F>
std::string ReadError(const std::string& text, F read) {
  YamlContext ctx("t.yaml");
  MapReader r(ctx, ctx.Load(text), "");
  read(r);
  r.Finish();
  return ctx.failed() ? ctx.error()->message : "ok";
}

TEST(YamlReaderLoad, AcceptsAnOrdinaryDocumentAndEmptyText) {
  EXPECT_EQ(LoadError("a: 1\nb: [x, y]\nc: {d: e}\n"), "ok");
  YamlContext ctx("t.yaml");
  const YAML::Node empty = ctx.Load("");
  EXPECT_FALSE(ctx.failed());
  EXPECT_TRUE(empty.IsNull());
  MapReader r(ctx, empty, "");  // an empty document reads as an empty mapping
  EXPECT_FALSE(r.Has("a"));
  EXPECT_EQ(r.Int("a", 0, 1), std::nullopt);
  r.Finish();
  EXPECT_FALSE(ctx.failed());
}

TEST(YamlReaderLoad, SizeLimit) {
  EXPECT_EQ(LoadError("a: 12345\n", 9), "ok");
  EXPECT_EQ(LoadError("a: 123456\n", 9), "t.yaml: larger than 9 bytes");
}

TEST(YamlReaderLoad, NulByte) {
  EXPECT_EQ(LoadError(std::string("a: b\0c\n", 7)), "t.yaml: contains a NUL byte");
  EXPECT_EQ(LoadError(std::string("\0", 1)), "t.yaml: contains a NUL byte");
}

TEST(YamlReaderLoad, DepthLimit) {
  EXPECT_EQ(LoadError("a: {b: {c: 1}}\n", 4u << 20, 4), "ok");  // map, value map, value map, scalar
  EXPECT_EQ(LoadError("a: {b: {c: [1]}}\n", 4u << 20, 4), "t.yaml:1:13: nested deeper than 4 levels");
  std::string block;
  for (int i = 0; i < 20; ++i) block += std::string(2 * static_cast<size_t>(i), ' ') + "k:\n";
  EXPECT_EQ(LoadError(block, 4u << 20, 10), "t.yaml:10:19: nested deeper than 10 levels");
  // Far deeper than yaml-cpp's own recursion guard: an error, never a stack overflow.
  const std::string flow = std::string(100'000, '[') + std::string(100'000, ']');
  const std::string message = LoadError(flow);
  EXPECT_TRUE(message.starts_with("t.yaml:")) << message;
  EXPECT_TRUE(message.ends_with(": nested deeper than 64 levels")) << message;
}

TEST(YamlReaderLoad, SyntaxErrorNamesThePlace) {
  EXPECT_EQ(LoadError("a: 1\nb: [x, y\n"), "t.yaml:3:1: not valid YAML: end of sequence flow not found");
  EXPECT_EQ(LoadError("a: 1\n  b: 2\n"), "t.yaml:2:4: not valid YAML: illegal map value");
  // Found by fuzz_bank_profile: yaml-cpp's reason may end by quoting the document (here a control byte); only the
  // reason is kept.
  const std::string escape = LoadError(std::string("\"\\\x04", 3));
  EXPECT_EQ(escape.find('\x04'), std::string::npos) << escape;
  EXPECT_NE(escape.find("not valid YAML: unknown escape character"), std::string::npos) << escape;
  const std::string high = LoadError("a: \"\\\xff\"\n");
  EXPECT_EQ(high.find('\xff'), std::string::npos) << high;
}

TEST(YamlReaderLoad, OneDocumentOnly) {
  EXPECT_EQ(LoadError("a: 1\n---\nb: 2\n"), "t.yaml:2:1: more than one YAML document");
  EXPECT_EQ(LoadError("---\na: 1\n...\n"), "ok");
  // yaml-cpp's LoadAll never returns on a stray flow entry (an endless run of empty documents); Load stops.
  EXPECT_EQ(LoadError(","), "t.yaml:1:1: more than one YAML document");
  EXPECT_EQ(LoadError(",# x\nu$tandard: berlin-group\n"), "t.yaml:1:1: more than one YAML document");
}

TEST(YamlReaderLoad, DuplicateKeysAnywhere) {
  EXPECT_EQ(LoadError("a: 1\nb: 2\na: 3\n"), "t.yaml:3:1: a: duplicate key");
  EXPECT_EQ(LoadError("a:\n  b: 1\n  c: 2\n  b: 3\n"), "t.yaml:4:3: a.b: duplicate key");
  EXPECT_EQ(LoadError("l:\n  - {x: 1, x: 2}\n"), "t.yaml:2:12: l[0].x: duplicate key");
  // The first duplicate in the text is reported, whatever the nesting.
  EXPECT_EQ(LoadError("a:\n  b: 1\n  b: 2\nc: 1\nc: 2\n"), "t.yaml:3:3: a.b: duplicate key");
  EXPECT_EQ(LoadError("a: 1\na: 2\nc:\n  b: 1\n  b: 2\n"), "t.yaml:2:1: a: duplicate key");
  EXPECT_EQ(LoadError("a: {x: 1}\nb: {x: 1}\n"), "ok");  // the same key in different mappings
}

TEST(YamlReaderLoad, AliasExpansionIsBounded) {
  EXPECT_EQ(LoadError("base: &b {x: 1}\nuse: *b\n"), "ok");
  std::string bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 9; ++i) {
    const std::string prev = "*a" + std::to_string(i - 1);
    bomb += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " [" + prev;
    for (int j = 1; j < 10; ++j) bomb += ", " + prev;
    bomb += "]\n";
  }
  EXPECT_EQ(LoadError(bomb), "t.yaml: aliases expand to too many nodes");
}

TEST(YamlReaderScalars, BoolIsExactlyTrueOrFalse) {
  for (const char* good : {"true", "false"}) {
    EXPECT_EQ(ReadError(std::string("k: ") + good + "\n", [](MapReader& r) { r.Bool("k"); }), "ok") << good;
  }
  for (const char* bad : {"yes", "no", "on", "off", "True", "FALSE", "1", "0", "y", "\"\"", "[true]", "~"}) {
    EXPECT_EQ(ReadError(std::string("k: ") + bad + "\n", [](MapReader& r) { r.Bool("k"); }),
              "t.yaml:1:4: k: expected true or false")
        << bad;
  }
  YamlContext ctx("t.yaml");
  MapReader r(ctx, ctx.Load("t: true\nf: false\n"), "");
  EXPECT_EQ(r.Bool("t"), true);
  EXPECT_EQ(r.Bool("f"), false);
  EXPECT_EQ(r.Bool("absent"), std::nullopt);
  EXPECT_FALSE(ctx.failed());
}

TEST(YamlReaderScalars, IntegerIsPlainDecimalInRange) {
  YamlContext ctx("t.yaml");
  MapReader r(ctx, ctx.Load("a: 0\nb: -5\nc: 100\nd: 9223372036854775807\n"), "");
  EXPECT_EQ(r.Int("a", 0, 10), 0);
  EXPECT_EQ(r.Int("b", -10, 10), -5);
  EXPECT_EQ(r.Int("c", 1, 100), 100);
  EXPECT_EQ(r.Int("d", 0, INT64_MAX), INT64_MAX);
  EXPECT_FALSE(ctx.failed());

  for (const char* bad : {"0x10", "1.5", "\"\"", "''", "1e3", "+1", "010", "-01", "12abc", "ten", "0o7", "1_000",
                          "99999999999999999999", "11", "-1", "[1]", "{a: 1}", "~", ".inf"}) {
    EXPECT_EQ(ReadError(std::string("k: ") + bad + "\n", [](MapReader& r2) { r2.Int("k", 0, 10); }),
              "t.yaml:1:4: k: expected an integer from 0 to 10")
        << bad;
  }
  // A key with no value is null, not a missing key (yaml-cpp puts a null at the next token).
  EXPECT_EQ(ReadError("k:\n", [](MapReader& r2) { r2.Int("k", 0, 10); }),
            "t.yaml:2:1: k: expected an integer from 0 to 10");
}

TEST(YamlReaderScalars, StringsDatesDecimalsProbabilities) {
  YamlContext ctx("t.yaml");
  MapReader r(ctx, ctx.Load("s: hello\nn: 12\nd: 2025-01-31\nm: \"-12.30\"\np: 0.25\n"), "");
  EXPECT_EQ(r.String("s"), "hello");
  EXPECT_EQ(r.String("n"), "12");  // a plain scalar read as a string is its text
  EXPECT_EQ(r.Date_("d")->ToString(), "2025-01-31");
  EXPECT_EQ(r.DecimalValue("m")->ToString(), "-12.3");
  EXPECT_EQ(r.Probability("p"), 0.25);
  r.Finish();
  EXPECT_FALSE(ctx.failed());

  EXPECT_EQ(ReadError("s: [a]\n", [](MapReader& r2) { r2.String("s"); }), "t.yaml:1:4: s: expected a string");
  EXPECT_EQ(ReadError("d: 2025-02-30\n", [](MapReader& r2) { r2.Date_("d"); }),
            "t.yaml:1:4: d: expected a date YYYY-MM-DD");
  EXPECT_EQ(ReadError("p: 1.5\n", [](MapReader& r2) { r2.Probability("p"); }),
            "t.yaml:1:4: p: expected a number from 0 to 1");
}

TEST(YamlReaderMap, UnknownKeyAtItsPlace) {
  EXPECT_EQ(ReadError("known: 1\nquirks:\n  page_cap: 5\n  page_capp: 6\n",
                      [](MapReader& r) {
                        r.Int("known", 0, 9);
                        MapReader q = r.Map("quirks");
                        q.Int("page_cap", 1, 9);
                        q.Finish();
                      }),
            "t.yaml:4:3: quirks.page_capp: unknown key");
  EXPECT_EQ(ReadError("a: 1\nb: 2\n", [](MapReader& r) { r.Int("a", 0, 9); }), "t.yaml:2:1: b: unknown key");
  EXPECT_EQ(ReadError("? [a]\n: 1\n", [](MapReader&) {}), "t.yaml:1:3: keys must be strings");
}

TEST(YamlReaderMap, RequiredAndWrongShapes) {
  EXPECT_EQ(ReadError("a: 1\n",
                      [](MapReader& r) {
                        r.Int("a", 0, 9);
                        r.RequiredString("name");
                      }),
            "t.yaml:1:1: name: missing");
  EXPECT_EQ(ReadError("name: \"\"\n", [](MapReader& r) { r.RequiredString("name"); }), "t.yaml:1:7: name: empty");
  EXPECT_EQ(ReadError("m: 5\n", [](MapReader& r) { r.Map("m").Finish(); }), "t.yaml:1:4: m: expected a mapping");
  EXPECT_EQ(ReadError("l: x\n", [](MapReader& r) { r.StringList("l"); }), "t.yaml:1:4: l: expected a list of strings");
  EXPECT_EQ(ReadError("l: [a, [b]]\n", [](MapReader& r) { r.StringList("l"); }), "t.yaml:1:8: l[1]: expected a string");
  EXPECT_EQ(ReadError("m: [a]\n", [](MapReader& r) { r.StringMap("m"); }),
            "t.yaml:1:4: m: expected a mapping of strings");
  EXPECT_EQ(ReadError("m: {a: [b]}\n", [](MapReader& r) { r.StringMap("m"); }), "t.yaml:1:8: m.a: expected a string");
  EXPECT_EQ(ReadError("l: {a: 1}\n", [](MapReader& r) { r.MapList("l"); }), "t.yaml:1:4: l: expected a list");
  EXPECT_EQ(ReadError("l: [{a: 1}, 2]\n",
                      [](MapReader& r) {
                        for (MapReader& m : r.MapList("l")) {
                          m.Int("a", 0, 9);
                          m.Finish();
                        }
                      }),
            "t.yaml:1:13: l[1]: expected a mapping");
}

TEST(YamlReaderMap, EnumListsTheWords) {
  enum class Colour { kRed, kBlue };
  const std::vector<std::pair<std::string_view, Colour>> words = {{"red", Colour::kRed}, {"blue", Colour::kBlue}};
  YamlContext ctx("t.yaml");
  MapReader r(ctx, ctx.Load("a: blue\nb: green\n"), "");
  EXPECT_EQ(r.Enum<Colour>("a", words), Colour::kBlue);
  EXPECT_FALSE(ctx.failed());
  EXPECT_EQ(r.Enum<Colour>("b", words), std::nullopt);
  EXPECT_EQ(ctx.error()->message, "t.yaml:2:4: b: expected one of red, blue");
}

TEST(YamlReaderMap, FirstErrorWinsAndReadingGoesOn) {
  YamlContext ctx("t.yaml");
  MapReader r(ctx, ctx.Load("a: x\nb: y\nc: 3\n"), "");
  EXPECT_EQ(r.Int("a", 0, 9), std::nullopt);
  EXPECT_EQ(r.Bool("b"), std::nullopt);
  EXPECT_EQ(r.Int("c", 0, 9), 3);  // later keys are still read
  r.Finish();
  EXPECT_EQ(ctx.error()->message, "t.yaml:1:4: a: expected an integer from 0 to 9");
}

TEST(YamlReaderMap, KeysInErrorsArePrintableAndShort) {
  EXPECT_EQ(ReadError("\"a\\x01b\\u00e9\": 1\n", [](MapReader&) {}), "t.yaml:1:1: a\\x01b\\xc3\\xa9: unknown key");
  const std::string long_key(1000, 'k');  // YAML's limit for a plain key is 1024 characters
  const std::string message = ReadError(long_key + ": 1\n", [](MapReader&) {});
  EXPECT_EQ(message, "t.yaml:1:1: " + std::string(200, 'k') + "...: unknown key");
}

TEST(YamlReaderPaths, JoinIndexFind) {
  EXPECT_EQ(JoinPath("", "id"), "id");
  EXPECT_EQ(JoinPath("quirks", "page_cap"), "quirks.page_cap");
  EXPECT_EQ(IndexPath("faults", 3), "faults[3]");
  YamlContext ctx("t.yaml");
  const YAML::Node root = ctx.Load("signing:\n  cavage:\n    headers: [digest, date]\n");
  ASSERT_FALSE(ctx.failed());
  const YAML::Node date = FindPath(root, "signing.cavage.headers[1]");
  ASSERT_TRUE(date.IsDefined());
  EXPECT_EQ(date.Scalar(), "date");
  EXPECT_EQ(date.Mark().line, 2);
  EXPECT_EQ(date.Mark().column, 22);
  EXPECT_TRUE(FindPath(root, "signing.cavage").IsMap());
  EXPECT_FALSE(FindPath(root, "signing.cavage.headers[2]").IsDefined());
  EXPECT_FALSE(FindPath(root, "signing.jws").IsDefined());
  EXPECT_FALSE(FindPath(root, "signing[0]").IsDefined());
  EXPECT_FALSE(FindPath(root, "signing.cavage.headers[x]").IsDefined());
  // Looking things up leaves the document as it was.
  EXPECT_EQ(root["signing"]["cavage"]["headers"].size(), 2u);
  EXPECT_FALSE(root["signing"]["jws"].IsDefined());
}

}  // namespace
}  // namespace bankfeed::config
