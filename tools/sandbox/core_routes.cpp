#include "tools/sandbox/core_routes.hpp"

#include <simdjson.h>

#include "log/log.hpp"
#include "tools/sandbox/json_writer.hpp"

namespace bankfeed::sandbox {
namespace {

constexpr std::string_view kJson = "application/json";

void JsonError(httplib::Response& res, int status, std::string_view error, std::string_view description) {
  JsonWriter w;
  w.BeginObject().Key("error").String(error).Key("error_description").String(description).EndObject();
  res.status = status;
  res.set_content(w.Take(), std::string(kJson));
}

std::string ClockJson(Date today) {
  JsonWriter w;
  w.BeginObject().Key("today").String(today.ToString()).EndObject();
  return w.Take();
}

void Authorize(Services& s, const httplib::Request& req, httplib::Response& res) {
  auto query = ParseForm(QueryOf(req.target));
  if (!query) {
    res.status = 400;
    res.set_content("<html><body><h1>Bad request</h1><p>" + query.error().message + "</p></body></html>",
                    "text/html; charset=utf-8");
    return;
  }
  const AuthorizeOutcome out = s.oauth.Authorize(*query);
  if (out.status == 302) {
    res.set_redirect(out.location, 302);
    log::Info("sandbox.oauth.authorize", {{"outcome", out.location.find("code=") != std::string::npos}});
    return;
  }
  res.status = out.status;
  // The reason names a parameter; it is escaped anyway, as everything that goes into HTML.
  std::string text;
  for (const char c : out.error) text += (c == '<' || c == '>' || c == '&') ? '?' : c;
  res.set_content("<html><body><h1>Authorization refused</h1><p>" + text + "</p></body></html>",
                  "text/html; charset=utf-8");
}

void Token(Services& s, const httplib::Request& req, httplib::Response& res) {
  res.set_header("Cache-Control", "no-store");
  const std::string type = req.get_header_value("Content-Type");
  if (type.rfind("application/x-www-form-urlencoded", 0) != 0) {
    JsonError(res, 400, "invalid_request", "the body must be application/x-www-form-urlencoded");
    return;
  }
  auto form = ParseForm(req.body, true);
  if (!form) {
    JsonError(res, 400, "invalid_request", form.error().message);
    return;
  }
  auto grant = s.oauth.Token(*form);
  if (!grant) {
    log::Info("sandbox.oauth.token", {{"ok", false}, {"error", grant.error().error}});
    JsonError(res, grant.error().status, grant.error().error, grant.error().description);
    return;
  }
  log::Info("sandbox.oauth.token", {{"ok", true}});
  JsonWriter w;
  w.BeginObject();
  w.Key("access_token").String(grant->access_token);
  w.Key("token_type").String("Bearer");
  w.Key("expires_in").Int(grant->expires_in);
  w.Key("refresh_token").String(grant->refresh_token);
  w.Key("scope").String(grant->scope);
  w.EndObject();
  res.set_content(w.Take(), std::string(kJson));
}

void Metadata(Services& s, httplib::Response& res) {
  JsonWriter w;
  w.BeginObject();
  w.Key("issuer").String(s.base_url);
  w.Key("authorization_endpoint").String(s.base_url + "/oauth/authorize");
  w.Key("token_endpoint").String(s.base_url + "/oauth/token");
  w.Key("response_types_supported").BeginArray().String("code").EndArray();
  w.Key("grant_types_supported").BeginArray().String("authorization_code").String("refresh_token").EndArray();
  w.Key("code_challenge_methods_supported").BeginArray().String("S256").EndArray();
  w.Key("token_endpoint_auth_methods_supported").BeginArray().String("tls_client_auth").EndArray();
  w.EndObject();
  res.set_content(w.Take(), std::string(kJson));
}

}  // namespace

Result<Date> ParseClockBody(std::string_view body) {
  if (body.size() > 4096) return MakeError(ErrorCode::kInvalidInput, "body: too long");
  simdjson::padded_string padded(body);
  simdjson::ondemand::parser parser;
  simdjson::ondemand::document doc;
  simdjson::ondemand::object root;
  if (parser.iterate(padded).get(doc) != simdjson::SUCCESS || doc.get_object().get(root) != simdjson::SUCCESS) {
    return MakeError(ErrorCode::kInvalidInput, "body: expected a JSON object");
  }
  std::optional<Date> today;
  for (auto field : root) {
    std::string_view key;
    if (field.unescaped_key().get(key) != simdjson::SUCCESS) {
      return MakeError(ErrorCode::kInvalidInput, "body: not valid JSON");
    }
    if (key != "today") return MakeError(ErrorCode::kInvalidInput, "body: unknown member (only today)");
    std::string_view text;
    if (today || field.value().get_string().get(text) != simdjson::SUCCESS) {
      return MakeError(ErrorCode::kInvalidInput, "today: expected one date string YYYY-MM-DD");
    }
    auto date = Date::Parse(text);
    if (!date) return MakeError(ErrorCode::kInvalidInput, "today: expected a date YYYY-MM-DD");
    today = *date;
  }
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) return MakeError(ErrorCode::kInvalidInput, "body: trailing content after the object");
  if (!today) return MakeError(ErrorCode::kInvalidInput, "today: missing");
  return *today;
}

void RegisterCoreRoutes(HttpRouter& router, Services& s) {
  router.Page("GET", "/oauth/authorize", [&s](const httplib::Request& req, httplib::Response& res) {
    Authorize(s, req, res);
  });
  router.Protected("POST", "/oauth/token", [&s](const httplib::Request& req, httplib::Response& res) {
    Token(s, req, res);
  });
  router.Page("GET", "/.well-known/oauth-authorization-server",
              [&s](const httplib::Request&, httplib::Response& res) { Metadata(s, res); });
  router.Protected("GET", "/sandbox/stats", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_content(s.stats.ToJson(), std::string(kJson));
  });
  router.Protected("GET", "/sandbox/clock", [&s](const httplib::Request&, httplib::Response& res) {
    res.set_content(ClockJson(s.clock.Today()), std::string(kJson));
  });
  router.Protected("POST", "/sandbox/clock", [&s](const httplib::Request& req, httplib::Response& res) {
    auto today = ParseClockBody(req.body);
    if (!today) {
      JsonError(res, 400, "invalid_request", today.error().message);
      return;
    }
    s.clock.Set(*today);
    log::Info("sandbox.clock", {{"today", today->ToString()}});
    res.set_content(ClockJson(*today), std::string(kJson));
  });
}

}  // namespace bankfeed::sandbox
