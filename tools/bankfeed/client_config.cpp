#include "tools/bankfeed/client_config.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <openssl/rand.h>

#include "adapters/common/url.hpp"
#include "config/yaml_reader.hpp"

namespace bankfeed::cli {
namespace fs = std::filesystem;
namespace {

std::string Relative(const fs::path& base, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (base / path).lexically_normal().string();
}

CredentialSource ReadCredential(config::MapReader r, const fs::path& base) {
  CredentialSource c;
  c.certificate_file = Relative(base, r.RequiredString("certificate_file").value_or(""));
  c.key_file = Relative(base, r.String("key_file").value_or(""));
  c.password_file = Relative(base, r.String("password_file").value_or(""));
  c.password_env = r.String("password_env").value_or("");
  r.Finish();
  return c;
}

bool ValidHandle(const std::string& handle) {
  if (handle.size() != 27 || handle.rfind("cg_", 0) != 0) return false;
  for (size_t i = 3; i < handle.size(); ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(handle[i]))) return false;
  }
  return true;
}

// Moves the origin of `url` from `from` to `to` when it is on `from`.
std::string Rebase(const std::string& url, const adapters::UrlParts& from, const adapters::UrlParts& to) {
  auto parts = adapters::ParseUrl(url, "url");
  if (!parts || !adapters::SameOrigin(*parts, from)) return url;
  return to.Origin() + parts->Target();
}

}  // namespace

Result<ClientConfig> LoadClientConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kConfig, path + ": cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  config::YamlContext ctx(path);
  YAML::Node root = ctx.Load(text.str(), 1u << 20);
  const fs::path base = fs::path(path).parent_path();
  config::MapReader r(ctx, root, "");
  ClientConfig c;
  {
    config::MapReader tpp = r.Map("tpp");
    c.qwac = ReadCredential(tpp.Map("qwac"), base);
    c.qseal = ReadCredential(tpp.Map("qseal"), base);
    c.ca_bundle_file = Relative(base, tpp.String("ca_bundle_file").value_or(""));
    c.oauth_client_id = tpp.String("oauth_client_id").value_or("");
    c.redirect_uri = tpp.String("redirect_uri").value_or("");
    tpp.Finish();
  }
  c.profiles_dir = Relative(base, r.RequiredString("profiles_dir").value_or(""));
  c.state_dir = Relative(base, r.RequiredString("state_dir").value_or(""));
  config::MapReader banks = r.Map("banks");
  YAML::Node banks_node = root.IsMap() ? root["banks"] : YAML::Node();
  if (banks_node.IsMap()) {
    for (const auto& kv : banks_node) {
      if (!kv.first.IsScalar()) continue;
      config::MapReader bank = banks.Map(kv.first.Scalar());
      if (auto url = bank.String("base_url")) c.base_urls[kv.first.Scalar()] = *url;
      bank.Finish();
    }
  }
  banks.Finish();
  r.Finish();
  if (ctx.failed()) return tl::unexpected(*ctx.error());
  return c;
}

Result<ConnectionOptions> ConnectionFor(const ClientConfig& config, const std::string& bank_id) {
  ConnectionOptions options;
  for (char ch : bank_id) {
    if (!(std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '-')) {
      return MakeError(ErrorCode::kInvalidArgument, "--bank: expected a profile id such as sandbox-alpha");
    }
  }
  BANKFEED_ASSIGN_OR_RETURN(options.profile, LoadBankProfile((fs::path(config.profiles_dir) / (bank_id + ".yaml")).string()));
  if (auto it = config.base_urls.find(bank_id); it != config.base_urls.end()) {
    auto from = adapters::ParseUrl(options.profile.base_url, "profile.base_url");
    auto to = adapters::ParseUrl(it->second, "banks." + bank_id + ".base_url");
    if (!to || to->scheme != "https") {
      return MakeError(ErrorCode::kConfig, "banks." + bank_id + ".base_url: not an https URL");
    }
    if (from && options.profile.oauth2) {
      options.profile.oauth2->authorization_endpoint = Rebase(options.profile.oauth2->authorization_endpoint, *from, *to);
      options.profile.oauth2->token_endpoint = Rebase(options.profile.oauth2->token_endpoint, *from, *to);
    }
    options.profile.base_url = it->second;
    while (!options.profile.base_url.empty() && options.profile.base_url.back() == '/') {
      options.profile.base_url.pop_back();
    }
  }
  options.qwac = config.qwac;
  options.qseal = config.qseal;
  options.ca_bundle_file = config.ca_bundle_file;
  options.oauth_client_id = config.oauth_client_id;
  return options;
}

namespace {

Result<std::unique_ptr<Connector>> ConnectorFor(const ClientConfig& config, const std::string& bank_id,
                                                ConnectorEnvironment env) {
  BANKFEED_ASSIGN_OR_RETURN(auto connection, ConnectionFor(config, bank_id));
  return MakeConnector(connection, std::move(env));
}

}  // namespace

Result<Session> OpenSession(const std::string& config_path, const std::string& bank_id, ConnectorEnvironment env) {
  Session s;
  BANKFEED_ASSIGN_OR_RETURN(s.config, LoadClientConfig(config_path));
  BANKFEED_ASSIGN_OR_RETURN(s.connector, ConnectorFor(s.config, bank_id, std::move(env)));
  return s;
}

Result<GrantSession> OpenGrant(const std::string& config_path, const std::string& handle, ConnectorEnvironment env) {
  GrantSession g;
  BANKFEED_ASSIGN_OR_RETURN(g.session.config, LoadClientConfig(config_path));
  BANKFEED_ASSIGN_OR_RETURN(g.grant, LoadGrant(g.session.config, handle));
  BANKFEED_ASSIGN_OR_RETURN(g.session.connector, ConnectorFor(g.session.config, g.grant.bank_id, std::move(env)));
  return g;
}

std::string NewGrantHandle() {
  unsigned char bytes[12];
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string handle = "cg_";
  for (unsigned char b : bytes) {
    handle += kHex[b >> 4];
    handle += kHex[b & 15];
  }
  return handle;
}

Status SaveGrant(const ClientConfig& config, const std::string& handle, const ConsentGrant& grant) {
  if (!ValidHandle(handle)) return MakeError(ErrorCode::kInvalidArgument, "--consent: not a grant handle (cg_...)");
  std::error_code ec;
  fs::create_directories(config.state_dir, ec);
  if (ec) return MakeError(ErrorCode::kConfig, "state_dir: cannot be created");
  ::chmod(config.state_dir.c_str(), 0700);
  const fs::path final_path = fs::path(config.state_dir) / (handle + ".json");
  const fs::path temp_path = fs::path(config.state_dir) / (handle + ".json.tmp");
  std::string text = GrantToJson(grant);
  int fd = ::open(temp_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return MakeError(ErrorCode::kConfig, "state_dir: cannot write a grant");
  bool ok = true;
  for (size_t done = 0; ok && done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    ::unlink(temp_path.c_str());
    return MakeError(ErrorCode::kConfig, "state_dir: cannot write a grant");
  }
  return {};
}

Result<ConsentGrant> LoadGrant(const ClientConfig& config, const std::string& handle) {
  if (!ValidHandle(handle)) return MakeError(ErrorCode::kInvalidArgument, "--consent: not a grant handle (cg_...)");
  const fs::path path = fs::path(config.state_dir) / (handle + ".json");
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, "--consent: no such grant in state_dir");
  std::ostringstream text;
  text << in.rdbuf();
  return GrantFromJson(text.str());
}

}  // namespace bankfeed::cli
