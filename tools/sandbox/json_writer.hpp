// A small streaming JSON writer for the sandbox's responses: commas are placed for the caller, strings are escaped
// with AppendJsonString, numbers come in as integers or as already-formatted decimal text (never double).
//
//   JsonWriter w;
//   w.BeginObject().Key("consentStatus").String("valid").EndObject();
//   res.set_content(w.Take(), "application/json");
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bankfeed::sandbox {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Bool(bool value);
  // A JSON number given as text, e.g. Decimal::ToString(): the caller guarantees the syntax.
  JsonWriter& Number(std::string_view text);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  void BeforeValue();
  std::string out_;
  std::vector<bool> has_item_;  // per open container: whether a comma is due before the next item
  bool after_key_ = false;
};

}  // namespace bankfeed::sandbox
