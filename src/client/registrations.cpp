// Each bank's dynamic client registration, kept beside the configuration. See include/bankfeed/client.hpp.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <simdjson.h>

#include "bankfeed/client.hpp"
#include "common/json_object.hpp"
#include "common/replace_file.hpp"

namespace bankfeed {
namespace fs = std::filesystem;
namespace {

constexpr size_t kMaxRegistrationFile = 64 * 1024;

Result<std::string> RegistrationPath(const ClientConfig& config, const std::string& bank_id) {
  if (!IsProfileId(bank_id)) return MakeError(ErrorCode::kInvalidArgument, "bank id: expected a profile id");
  const std::string dir = config.registrations_dir.empty() ? std::string("registrations") : config.registrations_dir;
  return (fs::path(dir) / (bank_id + ".json")).string();
}

}  // namespace

Status SaveRegistration(const ClientConfig& config, const std::string& bank_id,
                        const ClientRegistration& registration) {
  BANKFEED_ASSIGN_OR_RETURN(const std::string path, RegistrationPath(config, bank_id));
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return MakeError(ErrorCode::kConfig, "registration " + path + ": cannot create its folder: " + ec.message());
  JsonObjectWriter w;
  w.Str("bank_id", bank_id).Str("client_id", registration.client_id);
  if (registration.client_id_issued_at) w.Int("client_id_issued_at", *registration.client_id_issued_at);
  w.Str("token_endpoint_auth_method", registration.token_endpoint_auth_method);
  w.StrList("redirect_uris", registration.redirect_uris);
  if (auto written = ReplaceFile(path, w.Finish() + "\n"); !written) {
    return MakeError(ErrorCode::kConfig, "registration " + path + ": " + written.error());
  }
  return {};
}

Result<ClientRegistration> LoadRegistration(const ClientConfig& config, const std::string& bank_id) {
  BANKFEED_ASSIGN_OR_RETURN(const std::string path, RegistrationPath(config, bank_id));
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "registration " + path + ": none");
  std::ostringstream text;
  text << in.rdbuf();
  const std::string json = text.str();
  const auto bad = [&](std::string why) { return MakeError(ErrorCode::kConfig, "registration " + path + ": " + why); };
  if (json.size() > kMaxRegistrationFile) return bad("larger than 64 KiB");
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(json).get_object().get(root) != simdjson::SUCCESS) return bad("not a JSON object");
  ClientRegistration out;
  std::string_view s;
  if (root["client_id"].get_string().get(s) != simdjson::SUCCESS || s.empty()) return bad("client_id: missing");
  out.client_id.assign(s);
  int64_t issued = 0;
  if (root["client_id_issued_at"].get_int64().get(issued) == simdjson::SUCCESS) out.client_id_issued_at = issued;
  if (root["token_endpoint_auth_method"].get_string().get(s) == simdjson::SUCCESS) {
    out.token_endpoint_auth_method.assign(s);
  }
  simdjson::dom::array uris;
  if (root["redirect_uris"].get_array().get(uris) == simdjson::SUCCESS) {
    for (simdjson::dom::element uri : uris) {
      if (uri.get_string().get(s) != simdjson::SUCCESS) return bad("redirect_uris: expected strings");
      out.redirect_uris.emplace_back(s);
    }
  }
  return out;
}

Status RemoveRegistration(const ClientConfig& config, const std::string& bank_id) {
  BANKFEED_ASSIGN_OR_RETURN(const std::string path, RegistrationPath(config, bank_id));
  std::error_code ec;
  fs::remove(path, ec);
  if (ec) return MakeError(ErrorCode::kConfig, "registration " + path + ": cannot remove: " + ec.message());
  return {};
}

}  // namespace bankfeed
