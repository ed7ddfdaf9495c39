// A JSON object written member by member, for the small documents the core sends or keeps (grants, JWT claims,
// request bodies). Keys and strings are escaped; Raw takes JSON the caller already wrote.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/text.hpp"

namespace bankfeed {

class JsonObjectWriter {
 public:
  JsonObjectWriter& Str(std::string_view key, std::string_view value) {
    Key(key);
    AppendJsonString(out_, value);
    return *this;
  }
  JsonObjectWriter& Int(std::string_view key, int64_t value) {
    Key(key);
    out_ += std::to_string(value);
    return *this;
  }
  JsonObjectWriter& Bool(std::string_view key, bool value) {
    Key(key);
    out_ += value ? "true" : "false";
    return *this;
  }
  JsonObjectWriter& Raw(std::string_view key, std::string_view json) {
    Key(key);
    out_ += json;
    return *this;
  }
  JsonObjectWriter& StrList(std::string_view key, const std::vector<std::string>& values) {
    Key(key);
    out_ += '[';
    for (size_t i = 0; i < values.size(); ++i) {
      if (i) out_ += ',';
      AppendJsonString(out_, values[i]);
    }
    out_ += ']';
    return *this;
  }
  std::string Finish() { return out_ + "}"; }

 private:
  void Key(std::string_view key) {
    out_ += out_.size() == 1 ? "" : ",";
    AppendJsonString(out_, key);
    out_ += ':';
  }
  std::string out_ = "{";
};

}  // namespace bankfeed
