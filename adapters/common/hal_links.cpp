#include "adapters/common/hal_links.hpp"

#include <simdjson.h>

namespace bankfeed::adapters {
namespace od = simdjson::ondemand;
namespace {

constexpr size_t kMaxHref = 8192;

Status Fail(const std::string& path, std::string_view reason) {
  return MakeError(ErrorCode::kInvalidInput, path + ": " + std::string(reason));
}

// {"href": "..."} or "..."
Status ReadHref(od::value value, const std::string& path, std::string& href) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return Fail(path, "not JSON");
  std::string_view text;
  if (type == od::json_type::string) {
    if (value.get_string().get(text) != simdjson::SUCCESS) return Fail(path, "expected a string");
  } else if (type == od::json_type::object) {
    od::object obj;
    if (value.get_object().get(obj) != simdjson::SUCCESS) return Fail(path, "expected an object");
    bool found = false;
    for (auto field : obj) {
      std::string_view key;
      od::value v;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(v) != simdjson::SUCCESS) {
        return Fail(path, "not JSON");
      }
      if (key == "href") {
        if (v.get_string().get(text) != simdjson::SUCCESS) return Fail(path + ".href", "expected a string");
        found = true;
      }
    }
    if (!found) return Fail(path + ".href", "missing");
  } else {
    return Fail(path, "expected an object with href");
  }
  if (text.empty() || text.size() > kMaxHref) return Fail(path, "empty or over 8192 characters");
  href.assign(text);
  return {};
}

Status ReadLinkObject(od::object obj, const std::string& path, Links& out) {
  for (auto field : obj) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(v) != simdjson::SUCCESS) {
      return Fail(path, "not JSON");
    }
    std::string name(key);
    if (name.empty()) return Fail(path, "a link without a name");
    std::string href;
    BANKFEED_RETURN_IF_ERROR(ReadHref(v, path + "." + name, href));
    out[name] = std::move(href);
  }
  return {};
}

// [{"rel": "next", "href": "..."}] or [{"next": {"href": "..."}}]
Status ReadLinkArray(od::array array, const std::string& path, Links& out) {
  size_t index = 0;
  for (auto item : array) {
    std::string item_path = path + "[" + std::to_string(index++) + "]";
    od::object obj;
    if (item.get_object().get(obj) != simdjson::SUCCESS) return Fail(item_path, "expected an object");
    std::string rel, href;
    Links nested;
    for (auto field : obj) {
      std::string_view key, text;
      od::value v;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(v) != simdjson::SUCCESS) {
        return Fail(item_path, "not JSON");
      }
      if (key == "rel" || key == "href") {
        if (v.get_string().get(text) != simdjson::SUCCESS) {
          return Fail(item_path + "." + std::string(key), "expected a string");
        }
        (key == "rel" ? rel : href).assign(text);
      } else {
        if (key.empty()) return Fail(item_path, "a link without a name");
        std::string h;
        BANKFEED_RETURN_IF_ERROR(ReadHref(v, item_path + "." + std::string(key), h));
        nested[std::string(key)] = std::move(h);
      }
    }
    if (!rel.empty() || !href.empty()) {
      if (rel.empty() || href.empty() || href.size() > kMaxHref) {
        return Fail(item_path, "expected both rel and href");
      }
      out[rel] = href;
    }
    for (auto& [name, h] : nested) out[name] = std::move(h);
  }
  return {};
}

Status ReadLinksValue(od::value value, const std::string& path, Links& out) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return Fail(path, "not JSON");
  if (type == od::json_type::object) {
    od::object obj;
    if (value.get_object().get(obj) != simdjson::SUCCESS) return Fail(path, "not JSON");
    return ReadLinkObject(obj, path, out);
  }
  if (type == od::json_type::array) {
    od::array array;
    if (value.get_array().get(array) != simdjson::SUCCESS) return Fail(path, "not JSON");
    return ReadLinkArray(array, path, out);
  }
  if (type == od::json_type::null) return {};
  return Fail(path, "expected an object or an array");
}

}  // namespace

Result<Links> ReadLinks(std::string_view body) {
  simdjson::padded_string padded(body);
  od::parser parser;
  od::document doc;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS) return MakeError(ErrorCode::kInvalidInput, "not JSON");
  od::object root;
  if (doc.get_object().get(root) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kInvalidInput, "(root): expected an object");
  }
  Links outer, inner;
  for (auto field : root) {
    std::string_view key;
    od::value v;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS || field.value().get(v) != simdjson::SUCCESS) {
      return MakeError(ErrorCode::kInvalidInput, "not JSON");
    }
    if (key == "_links") {
      BANKFEED_RETURN_IF_ERROR(ReadLinksValue(v, "_links", outer));
    } else if (key == "transactions") {
      od::object txs;
      if (v.get_object().get(txs) != simdjson::SUCCESS) continue;  // the mapping reports a bad transactions
      for (auto tf : txs) {
        std::string_view tkey;
        od::value tv;
        if (tf.unescaped_key().get(tkey) != simdjson::SUCCESS || tf.value().get(tv) != simdjson::SUCCESS) {
          return MakeError(ErrorCode::kInvalidInput, "not JSON");
        }
        if (tkey == "_links") {
          BANKFEED_RETURN_IF_ERROR(ReadLinksValue(tv, "transactions._links", inner));
        }
      }
    }
  }
  for (auto& [name, href] : inner) outer[name] = std::move(href);
  return outer;
}

Result<PageLinks> HalPageLinks(std::string_view body) {
  BANKFEED_ASSIGN_OR_RETURN(Links links, ReadLinks(body));
  PageLinks out;
  if (auto next = links.find("next"); next != links.end()) out.next = std::move(next->second);
  if (auto self = links.find("self"); self != links.end()) out.self = std::move(self->second);
  return out;
}

}  // namespace bankfeed::adapters
