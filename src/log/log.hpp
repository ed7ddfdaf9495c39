// The one logging and redaction layer. Library code logs events with named fields, never free text built from data:
//
//   log::Info("http.response", {{"bank", bank_id}, {"status", 200}, {"request_id", id}, {"ms", 12}});
//
// Each field value passes through Redact(key, value) before it is formatted, so a careless call site still cannot
// write a token, key, password, IBAN, PSU id or message body.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

#include "bankfeed/logging.hpp"

namespace bankfeed::log {

struct Field {
  Field(std::string_view k, std::string_view v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const char* v) : key(k), value(std::string(v)) {}
  Field(std::string_view k, const std::string& v) : key(k), value(v) {}
  Field(std::string_view k, int64_t v) : key(k), value(v) {}
  Field(std::string_view k, int v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, long long v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, unsigned long v) : key(k), value(static_cast<int64_t>(v)) {}
  Field(std::string_view k, double v) : key(k), value(v) {}
  Field(std::string_view k, bool v) : key(k), value(v) {}

  std::string_view key;
  std::variant<std::string, int64_t, double, bool> value;
};

bool Enabled(LogLevel level);
void Write(LogLevel level, std::string_view event, std::initializer_list<Field> fields);

inline void Debug(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(LogLevel::kDebug)) Write(LogLevel::kDebug, event, fields);
}
inline void Info(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(LogLevel::kInfo)) Write(LogLevel::kInfo, event, fields);
}
inline void Warn(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(LogLevel::kWarn)) Write(LogLevel::kWarn, event, fields);
}
inline void Error(std::string_view event, std::initializer_list<Field> fields = {}) {
  if (Enabled(LogLevel::kError)) Write(LogLevel::kError, event, fields);
}

// The redaction rules, exposed for tests and for other sinks (metrics labels, error messages):
// - a key naming a secret or personal field (authorization, token, secret, password, key, cookie, signature, psu,
//   iban, name, body, ...) keeps only "[redacted]";
// - any other value is scrubbed: URLs lose their query string, and anything shaped like a bearer token, JWT/JWS,
//   PEM block, IBAN or long base64 run is replaced.
std::string Redact(std::string_view key, std::string_view value);
std::string ScrubValue(std::string_view value);

}  // namespace bankfeed::log
