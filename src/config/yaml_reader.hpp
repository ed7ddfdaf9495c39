// Strict, typed reading of YAML configuration (bank profiles, sandbox scenarios) with errors that name the file,
// the line, the column and the key path:
//   "specs/banks/alpha.yaml:14:13: quirks.page_cap: expected an integer from 1 to 100000"
//
// A YamlContext collects the first error; readers keep going with defaults after it, so parsing code reads as a
// flat list of fields and checks ctx.error() once at the end. A MapReader remembers which keys were read, and
// Finish() reports the first key nobody asked for ("unknown key"), which catches typos in configs.
//
//   YamlContext ctx("alpha.yaml");
//   auto root = ctx.Load(text);
//   MapReader r(ctx, root, "");
//   int page_cap = r.Int("page_cap", 1, 100000).value_or(1000);
//   r.Finish();
//   if (ctx.failed()) return tl::unexpected(*ctx.error());
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "bankfeed/datetime.hpp"
#include "bankfeed/money.hpp"
#include "bankfeed/result.hpp"

namespace bankfeed::config {

class YamlContext {
 public:
  explicit YamlContext(std::string source_name, ErrorCode code = ErrorCode::kConfig)
      : source_(std::move(source_name)), code_(code) {}

  // Parses a whole document. Text over max_bytes, a NUL byte, a syntax error, more than one document, a duplicate
  // key in any mapping, a document nested deeper than max_depth, or aliases that expand to far more nodes than the
  // text holds (a "billion laughs") are errors (and an undefined node is returned). Empty text is a null document.
  YAML::Node Load(std::string_view text, size_t max_bytes = 4u << 20, int max_depth = 64);

  // Records an error at `node`'s position (or the file when the node has none) unless one is recorded already.
  void Fail(const YAML::Node& node, std::string_view path, std::string_view reason);
  void FailAt(const YAML::Mark& mark, std::string_view path, std::string_view reason);

  bool failed() const { return error_.has_value(); }
  const std::optional<Error>& error() const { return error_; }
  const std::string& source() const { return source_; }

 private:
  std::string source_;
  ErrorCode code_;
  std::optional<Error> error_;
};

// Joins a key path: Join("quirks", "page_cap") == "quirks.page_cap"; Join("", "id") == "id".
std::string JoinPath(std::string_view parent, std::string_view key);
std::string IndexPath(std::string_view parent, size_t index);  // "faults[3]"

// The node at a key path such as "signing.cavage.headers[2]" below `root`, or an undefined node when the path does
// not lead anywhere. Used to put an error found after reading (e.g. by a Validate()) at its place in the file.
YAML::Node FindPath(const YAML::Node& root, std::string_view path);

// Scalar conversions with the same strict rules the MapReader uses. On failure they record the error and return
// std::nullopt. Integers are plain decimal ("0x10", "1.5", "1e3", "010", "+1" and "" are not integers); booleans are
// exactly true or false (not yes/no/on/off/True).
std::optional<std::string> ReadString(YamlContext& ctx, const YAML::Node& node, std::string_view path);
std::optional<int64_t> ReadInt(YamlContext& ctx, const YAML::Node& node, std::string_view path, int64_t min,
                               int64_t max);
std::optional<bool> ReadBool(YamlContext& ctx, const YAML::Node& node, std::string_view path);
std::optional<double> ReadProbability(YamlContext& ctx, const YAML::Node& node, std::string_view path);
std::optional<Date> ReadDate(YamlContext& ctx, const YAML::Node& node, std::string_view path);
std::optional<Decimal> ReadDecimal(YamlContext& ctx, const YAML::Node& node, std::string_view path);

class MapReader {
 public:
  // `node` must be a mapping (or null/undefined, read as empty); anything else is an error at `path`.
  MapReader(YamlContext& ctx, YAML::Node node, std::string path);

  bool Has(std::string_view key) const;
  const std::string& path() const { return path_; }
  YamlContext& ctx() { return ctx_; }

  // Each getter marks the key as known. Optional getters return std::nullopt when the key is absent; Required*
  // record "missing" and return std::nullopt.
  std::optional<std::string> String(std::string_view key);
  std::optional<std::string> RequiredString(std::string_view key);
  std::optional<int64_t> Int(std::string_view key, int64_t min, int64_t max);
  std::optional<bool> Bool(std::string_view key);
  std::optional<double> Probability(std::string_view key);  // a number in [0, 1]
  std::optional<Date> Date_(std::string_view key);
  std::optional<Decimal> DecimalValue(std::string_view key);
  std::vector<std::string> StringList(std::string_view key);
  std::map<std::string, std::string> StringMap(std::string_view key);

  // One of the listed words, e.g. Enum<PsuIdPolicy>("psu_id", {{"optional", kOptional}, ...}).
  template <typename E>
  std::optional<E> Enum(std::string_view key, const std::vector<std::pair<std::string_view, E>>& words) {
    auto text = String(key);
    if (!text) return std::nullopt;
    for (const auto& [word, value] : words) {
      if (*text == word) return value;
    }
    FailEnum(key, words.size(), [&](size_t i) { return words[i].first; });
    return std::nullopt;
  }

  // Nested mapping (empty reader when absent) and sequences of mappings/scalars.
  MapReader Map(std::string_view key);
  std::vector<MapReader> MapList(std::string_view key);
  YAML::Node Node(std::string_view key);  // raw access; marks the key as known

  // Reports the first key that no getter asked for.
  void Finish();

 private:
  template <typename F>
  void FailEnum(std::string_view key, size_t count, F word_at) {
    std::string reason = "expected one of";
    for (size_t i = 0; i < count; ++i) reason += (i ? ", " : " ") + std::string(word_at(i));
    ctx_.Fail(node_[std::string(key)], JoinPath(path_, key), reason);
  }
  YAML::Node Get(std::string_view key);

  YamlContext& ctx_;
  YAML::Node node_;
  std::string path_;
  std::vector<std::string> known_;
};

}  // namespace bankfeed::config
