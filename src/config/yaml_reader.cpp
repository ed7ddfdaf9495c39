#include "config/yaml_reader.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>
#include <typeinfo>
#include <unordered_set>

#include <yaml-cpp/eventhandler.h>
#include <utility>

namespace bankfeed::config {
namespace {

std::string Location(const std::string& source, const YAML::Mark& mark) {
  if (mark.is_null()) return source;
  return source + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

YAML::Mark MarkOf(const YAML::Node& node) {
  if (!node.IsDefined()) return YAML::Mark::null_mark();
  return node.Mark();
}

// yaml-cpp stops runaway nesting with YAML::DeepRecursion (its own recursion guard), but neither exports that
// class's type information nor gives it a message of its own ("bad file"), so it is recognised by its type name.
bool IsDeepRecursion(const YAML::Exception& e) {
  return std::string_view(typeid(e).name()).find("DeepRecursion") != std::string_view::npos;
}

// The events of a parse that only counts documents and remembers where the second one starts.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ == 2) second_start_ = mark;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  const YAML::Mark& second_start() const { return second_start_; }

 private:
  int documents_ = 0;
  YAML::Mark second_start_ = YAML::Mark::null_mark();
};

bool IsBefore(const YAML::Mark& a, const YAML::Mark& b) {
  return a.line < b.line || (a.line == b.line && a.column < b.column);
}

// One walk over a parsed document, without recursion (the input is untrusted): its depth, the number of nodes it
// expands to (aliases share nodes, so a small text can stand for an exponential tree) and duplicate keys, of which
// the first in the text is reported. Returns false after recording an error.
bool CheckStructure(YamlContext& ctx, const YAML::Node& root, size_t text_size, int max_depth) {
  struct Frame {
    YAML::Node node;
    int depth;
    std::string path;  // kept for mappings and sequences only: the path of a duplicate key
  };
  // Without aliases every node takes at least one byte of text, bar the root and a null value per key. Nodes are
  // counted as they are put on the stack, so that neither the walk's time nor its stack outgrows the bound.
  const size_t max_nodes = 2 * text_size + 64;
  size_t nodes = 1;
  const auto too_many = [&] {
    ctx.FailAt(YAML::Mark::null_mark(), "", "aliases expand to too many nodes");
    return false;
  };
  YAML::Mark duplicate_mark = YAML::Mark::null_mark();
  std::string duplicate_path;
  std::vector<Frame> stack;
  stack.push_back({root, 1, ""});
  std::vector<Frame> children;
  while (!stack.empty()) {
    Frame frame = std::move(stack.back());
    stack.pop_back();
    if (frame.depth > max_depth) {
      ctx.FailAt(MarkOf(frame.node), "", "nested deeper than " + std::to_string(max_depth) + " levels");
      return false;
    }
    const auto container = [](const YAML::Node& n) { return n.IsMap() || n.IsSequence(); };
    children.clear();
    const YAML::Node& node = frame.node;
    if ((node.IsSequence() || node.IsMap()) && (nodes += (node.IsMap() ? 2 : 1) * node.size()) > max_nodes) {
      return too_many();
    }
    if (node.IsSequence()) {
      for (size_t i = 0; i < node.size(); ++i) {
        const YAML::Node child = node[i];
        children.push_back({child, frame.depth + 1, container(child) ? IndexPath(frame.path, i) : std::string()});
      }
    } else if (node.IsMap()) {
      std::unordered_set<std::string_view> keys;
      for (const auto& kv : node) {
        std::string key_path;
        if (kv.first.IsScalar()) {
          key_path = JoinPath(frame.path, kv.first.Scalar());
          if (!keys.insert(kv.first.Scalar()).second) {
            const YAML::Mark mark = kv.first.Mark();
            if (duplicate_path.empty() || IsBefore(mark, duplicate_mark)) {
              duplicate_path = key_path;
              duplicate_mark = mark;
            }
          }
        }
        children.push_back({kv.first, frame.depth + 1, container(kv.first) ? frame.path : std::string()});
        children.push_back({kv.second, frame.depth + 1, container(kv.second) ? key_path : std::string()});
      }
    }
    // Reversed, so that the walk visits the nodes in the order of the text.
    for (auto it = children.rbegin(); it != children.rend(); ++it) stack.push_back(std::move(*it));
  }
  if (!duplicate_path.empty()) {
    ctx.FailAt(duplicate_mark, duplicate_path, "duplicate key");
    return false;
  }
  return true;
}

bool IsScalar(const YAML::Node& node) { return node.IsDefined() && node.IsScalar(); }

}  // namespace

std::string JoinPath(std::string_view parent, std::string_view key) {
  if (parent.empty()) return std::string(key);
  std::string out(parent);
  out += '.';
  out += key;
  return out;
}

std::string IndexPath(std::string_view parent, size_t index) {
  return std::string(parent) + "[" + std::to_string(index) + "]";
}

YAML::Node FindPath(const YAML::Node& root, std::string_view path) {
  YAML::Node node = root;
  while (!path.empty()) {
    if (path.front() == '[') {
      const size_t close = path.find(']');
      size_t index = 0;
      if (close == std::string_view::npos || !node.IsSequence()) return YAML::Node(YAML::NodeType::Undefined);
      auto [end, ec] = std::from_chars(path.data() + 1, path.data() + close, index);
      if (ec != std::errc() || end != path.data() + close || index >= node.size()) {
        return YAML::Node(YAML::NodeType::Undefined);
      }
      const YAML::Node& sequence = node;
      YAML::Node child = sequence[index];
      node.reset(child);
      path.remove_prefix(close + 1);
    } else {
      if (path.front() == '.') path.remove_prefix(1);
      const size_t end = path.find_first_of(".[");
      const std::string key(path.substr(0, end));
      if (!node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
      const YAML::Node& map = node;
      // A fresh handle: assigning to `node` itself would write through it into the document.
      YAML::Node child = map[key];
      if (!child.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
      node.reset(child);
      path.remove_prefix(end == std::string_view::npos ? path.size() : end);
    }
  }
  return node;
}

YAML::Node YamlContext::Load(std::string_view text, size_t max_bytes, int max_depth) {
  if (text.size() > max_bytes) {
    FailAt(YAML::Mark::null_mark(), "", "larger than " + std::to_string(max_bytes) + " bytes");
    return YAML::Node(YAML::NodeType::Undefined);
  }
  if (text.find('\0') != std::string_view::npos) {
    FailAt(YAML::Mark::null_mark(), "", "contains a NUL byte");
    return YAML::Node(YAML::NodeType::Undefined);
  }
  // Two passes: the first only counts documents, since YAML::LoadAll never returns on some inputs (a lone ","
  // yields an endless run of empty documents in yaml-cpp 0.7); the second builds the one document.
  YAML::Node root;
  try {
    std::istringstream in{std::string(text)};
    YAML::Parser parser(in);
    DocumentCounter counter;
    if (parser.HandleNextDocument(counter) && parser.HandleNextDocument(counter)) {
      FailAt(counter.second_start(), "", "more than one YAML document");
      return YAML::Node(YAML::NodeType::Undefined);
    }
    root.reset(YAML::Load(std::string(text)));
  } catch (const YAML::Exception& e) {
    if (IsDeepRecursion(e)) {
      FailAt(e.mark, "", "nested deeper than " + std::to_string(max_depth) + " levels");
    } else {
      // e.msg is yaml-cpp's reason ("illegal map value", ...). Some reasons end by quoting the document ("unknown
      // escape character: <the byte>", "invalid unicode: <the digits>"): only the reason before ": " is kept.
      const std::string_view reason = std::string_view(e.msg).substr(0, e.msg.find(": "));
      FailAt(e.mark, "", "not valid YAML: " + std::string(reason));
    }
    return YAML::Node(YAML::NodeType::Undefined);
  } catch (const std::exception&) {
    FailAt(YAML::Mark::null_mark(), "", "not valid YAML");
    return YAML::Node(YAML::NodeType::Undefined);
  }
  if (!CheckStructure(*this, root, text.size(), max_depth)) return YAML::Node(YAML::NodeType::Undefined);
  return root;
}

void YamlContext::Fail(const YAML::Node& node, std::string_view path, std::string_view reason) {
  FailAt(MarkOf(node), path, reason);
}

void YamlContext::FailAt(const YAML::Mark& mark, std::string_view path, std::string_view reason) {
  if (error_) return;
  std::string message = Location(source_, mark) + ": ";
  if (!path.empty()) {
    // A path holds keys from the document: control bytes and non-ASCII are escaped and a long one is cut, so that
    // an error line stays one short printable line in a log.
    constexpr size_t kMaxPathChars = 200;
    size_t written = 0;
    for (const char c : path) {
      if (written >= kMaxPathChars) {
        message += "...";
        break;
      }
      if (c >= 0x20 && c <= 0x7e) {
        message += c;
      } else {
        static constexpr char kHex[] = "0123456789abcdef";
        const auto byte = static_cast<unsigned char>(c);
        message += "\\x";
        message += kHex[byte >> 4];
        message += kHex[byte & 0xf];
      }
      ++written;
    }
    message += ": ";
  }
  message += reason;
  error_ = Error(code_, std::move(message));
}

std::optional<std::string> ReadString(YamlContext& ctx, const YAML::Node& node, std::string_view path) {
  if (!IsScalar(node)) {
    ctx.Fail(node, path, "expected a string");
    return std::nullopt;
  }
  return node.Scalar();
}

std::optional<int64_t> ReadInt(YamlContext& ctx, const YAML::Node& node, std::string_view path, int64_t min,
                               int64_t max) {
  std::string reason = "expected an integer from " + std::to_string(min) + " to " + std::to_string(max);
  if (!IsScalar(node)) {
    ctx.Fail(node, path, reason);
    return std::nullopt;
  }
  const std::string& text = node.Scalar();
  // A leading zero reads as octal in YAML 1.1 and as decimal in 1.2; neither guess is made.
  const std::string_view digits = std::string_view(text).substr(text.starts_with('-') ? 1 : 0);
  const bool leading_zero = digits.size() > 1 && digits.front() == '0';
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() || leading_zero || value < min ||
      value > max) {
    ctx.Fail(node, path, reason);
    return std::nullopt;
  }
  return value;
}

std::optional<bool> ReadBool(YamlContext& ctx, const YAML::Node& node, std::string_view path) {
  if (IsScalar(node)) {
    if (node.Scalar() == "true") return true;
    if (node.Scalar() == "false") return false;
  }
  ctx.Fail(node, path, "expected true or false");
  return std::nullopt;
}

std::optional<double> ReadProbability(YamlContext& ctx, const YAML::Node& node, std::string_view path) {
  if (IsScalar(node)) {
    std::istringstream in(node.Scalar());
    in.imbue(std::locale::classic());
    double value = -1;
    if (in >> value && in.peek() == std::char_traits<char>::eof() && value >= 0.0 && value <= 1.0) return value;
  }
  ctx.Fail(node, path, "expected a number from 0 to 1");
  return std::nullopt;
}

std::optional<Date> ReadDate(YamlContext& ctx, const YAML::Node& node, std::string_view path) {
  if (IsScalar(node)) {
    if (auto date = Date::Parse(node.Scalar())) return *date;
  }
  ctx.Fail(node, path, "expected a date YYYY-MM-DD");
  return std::nullopt;
}

std::optional<Decimal> ReadDecimal(YamlContext& ctx, const YAML::Node& node, std::string_view path) {
  if (IsScalar(node)) {
    if (auto value = Decimal::Parse(node.Scalar())) return *value;
  }
  ctx.Fail(node, path, "expected a decimal amount such as \"-12.30\"");
  return std::nullopt;
}

MapReader::MapReader(YamlContext& ctx, YAML::Node node, std::string path)
    : ctx_(ctx), node_(std::move(node)), path_(std::move(path)) {
  if (node_.IsDefined() && !node_.IsNull() && !node_.IsMap()) {
    ctx_.Fail(node_, path_, "expected a mapping");
    node_ = YAML::Node();
  }
}

bool MapReader::Has(std::string_view key) const {
  if (!node_.IsDefined() || !node_.IsMap()) return false;
  const YAML::Node& map = node_;
  return map[std::string(key)].IsDefined();
}

YAML::Node MapReader::Get(std::string_view key) {
  known_.emplace_back(key);
  if (!node_.IsDefined() || !node_.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
  const YAML::Node& map = node_;
  return map[std::string(key)];
}

std::optional<std::string> MapReader::String(std::string_view key) {
  YAML::Node node = Get(key);
  if (!node.IsDefined()) return std::nullopt;
  return ReadString(ctx_, node, JoinPath(path_, key));
}

std::optional<std::string> MapReader::RequiredString(std::string_view key) {
  YAML::Node node = Get(key);
  if (!node.IsDefined()) {
    ctx_.Fail(node_, JoinPath(path_, key), "missing");
    return std::nullopt;
  }
  auto value = ReadString(ctx_, node, JoinPath(path_, key));
  if (value && value->empty()) {
    ctx_.Fail(node, JoinPath(path_, key), "empty");
    return std::nullopt;
  }
  return value;
}

std::optional<int64_t> MapReader::Int(std::string_view key, int64_t min, int64_t max) {
  YAML::Node node = Get(key);
  if (!node.IsDefined()) return std::nullopt;
  return ReadInt(ctx_, node, JoinPath(path_, key), min, max);
}

std::optional<bool> MapReader::Bool(std::string_view key) {
  YAML::Node node = Get(key);
  if (!node.IsDefined()) return std::nullopt;
  return ReadBool(ctx_, node, JoinPath(path_, key));
}

std::optional<double> MapReader::Probability(std::string_view key) {
  YAML::Node node = Get(key);
  if (!node.IsDefined()) return std::nullopt;
  return ReadProbability(ctx_, node, JoinPath(path_, key));
}

std::optional<Date> MapReader::Date_(std::string_view key) {
  YAML::Node node = Get(key);
  if (!node.IsDefined()) return std::nullopt;
  return ReadDate(ctx_, node, JoinPath(path_, key));
}

std::optional<Decimal> MapReader::DecimalValue(std::string_view key) {
  YAML::Node node = Get(key);
  if (!node.IsDefined()) return std::nullopt;
  return ReadDecimal(ctx_, node, JoinPath(path_, key));
}

std::vector<std::string> MapReader::StringList(std::string_view key) {
  std::vector<std::string> out;
  YAML::Node node = Get(key);
  if (!node.IsDefined() || node.IsNull()) return out;
  std::string path = JoinPath(path_, key);
  if (!node.IsSequence()) {
    ctx_.Fail(node, path, "expected a list of strings");
    return out;
  }
  for (size_t i = 0; i < node.size(); ++i) {
    if (auto s = ReadString(ctx_, node[i], IndexPath(path, i))) out.push_back(std::move(*s));
  }
  return out;
}

std::map<std::string, std::string> MapReader::StringMap(std::string_view key) {
  std::map<std::string, std::string> out;
  YAML::Node node = Get(key);
  if (!node.IsDefined() || node.IsNull()) return out;
  std::string path = JoinPath(path_, key);
  if (!node.IsMap()) {
    ctx_.Fail(node, path, "expected a mapping of strings");
    return out;
  }
  for (const auto& kv : node) {
    auto name = ReadString(ctx_, kv.first, path);
    if (!name) continue;
    auto value = ReadString(ctx_, kv.second, JoinPath(path, *name));
    if (value) out.emplace(std::move(*name), std::move(*value));
  }
  return out;
}

MapReader MapReader::Map(std::string_view key) { return MapReader(ctx_, Get(key), JoinPath(path_, key)); }

std::vector<MapReader> MapReader::MapList(std::string_view key) {
  std::vector<MapReader> out;
  YAML::Node node = Get(key);
  if (!node.IsDefined() || node.IsNull()) return out;
  std::string path = JoinPath(path_, key);
  if (!node.IsSequence()) {
    ctx_.Fail(node, path, "expected a list");
    return out;
  }
  out.reserve(node.size());
  for (size_t i = 0; i < node.size(); ++i) out.emplace_back(ctx_, node[i], IndexPath(path, i));
  return out;
}

YAML::Node MapReader::Node(std::string_view key) { return Get(key); }

void MapReader::Finish() {
  if (!node_.IsDefined() || !node_.IsMap()) return;
  std::unordered_set<std::string_view> seen;
  for (const auto& kv : node_) {
    if (!kv.first.IsScalar()) {
      ctx_.Fail(kv.first, path_, "keys must be strings");
      return;
    }
    const std::string& key = kv.first.Scalar();
    if (!seen.insert(key).second) {
      ctx_.Fail(kv.first, JoinPath(path_, key), "duplicate key");
      return;
    }
    if (std::find(known_.begin(), known_.end(), key) == known_.end()) {
      ctx_.Fail(kv.first, JoinPath(path_, key), "unknown key");
      return;
    }
  }
}

}  // namespace bankfeed::config
