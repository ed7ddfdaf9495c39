// bankfeed.yaml. See include/bankfeed/client.hpp and src/client/client_config_reader.hpp.
#include <filesystem>
#include <fstream>
#include <sstream>

#include "bankfeed/client.hpp"
#include "client/client_config_reader.hpp"
#include "config/profile_checks.hpp"
#include "config/yaml_reader.hpp"

namespace bankfeed {
namespace fs = std::filesystem;
namespace {

CredentialSource ReadCredential(config::MapReader r, const fs::path& base) {
  CredentialSource c;
  c.certificate_file = ConfigRelative(base, r.RequiredString("certificate_file").value_or(""));
  c.key_file = ConfigRelative(base, r.String("key_file").value_or(""));
  c.password_file = ConfigRelative(base, r.String("password_file").value_or(""));
  c.password_env = r.String("password_env").value_or("");
  r.Finish();
  return c;
}

}  // namespace

std::string ConfigRelative(const fs::path& base, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (base / path).lexically_normal().string();
}

namespace client {

Result<ClientConfig> LoadClientConfig(const std::string& path, const ExtraSections& extra) {
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
    c.ca_bundle_file = ConfigRelative(base, tpp.String("ca_bundle_file").value_or(""));
    c.oauth_client_id = tpp.String("oauth_client_id").value_or("");
    c.qseal_url = tpp.String("qseal_url").value_or("");
    if (!c.qseal_url.empty() && !c.qseal_url.starts_with("https://") && !c.qseal_url.starts_with("http://")) {
      ctx.Fail(root["tpp"]["qseal_url"], "tpp.qseal_url", "not an http(s) URL");
    }
    c.redirect_uri = tpp.String("redirect_uri").value_or("");
    tpp.Finish();
  }
  c.profiles_dir = ConfigRelative(base, r.RequiredString("profiles_dir").value_or(""));
  {
    config::MapReader store = r.Map("store");
    c.store.path = ConfigRelative(base, store.RequiredString("path").value_or(""));
    c.store.key_file = ConfigRelative(base, store.String("key_file").value_or(""));
    c.store.key_env = store.String("key_env").value_or("");
    if (c.store.key_file.empty() == c.store.key_env.empty() && root["store"].IsMap()) {
      ctx.Fail(root["store"], "store", "expected exactly one of key_file and key_env");
    }
    store.Finish();
  }
  c.tenant = r.String("tenant").value_or("default");
  c.registrations_dir = ConfigRelative(base, r.String("registrations_dir").value_or("registrations"));
  config::MapReader banks = r.Map("banks");
  YAML::Node banks_node = root.IsMap() ? root["banks"] : YAML::Node();
  if (banks_node.IsMap()) {
    for (const auto& kv : banks_node) {
      if (!kv.first.IsScalar()) continue;
      config::MapReader bank = banks.Map(kv.first.Scalar());
      if (auto url = bank.String("base_url")) c.base_urls[kv.first.Scalar()] = *url;
      if (auto id = bank.String("oauth_client_id")) c.client_ids[kv.first.Scalar()] = *id;
      if (auto segment = bank.String("path_segment")) {
        if (auto bad = config::CheckPathSegment(*segment)) {
          ctx.Fail(kv.second["path_segment"], "banks." + kv.first.Scalar() + ".path_segment", *bad);
        }
        c.path_segments[kv.first.Scalar()] = *segment;
      }
      bank.Finish();
    }
  }
  banks.Finish();
  if (extra) {
    extra(r, base);
  } else {
    r.Node("daemon");
  }
  r.Finish();
  if (ctx.failed()) return tl::unexpected(*ctx.error());
  return c;
}

}  // namespace client

Result<ClientConfig> LoadClientConfig(const std::string& path) { return client::LoadClientConfig(path, {}); }

bool IsProfileId(std::string_view id) { return config::IsProfileId(id); }

Result<std::unique_ptr<Store>> OpenStore(const ClientConfig& config) { return OpenSqliteStore(config.store); }

Result<ConnectorEnvironment> EnvironmentFor(const std::string& today) {
  ConnectorEnvironment env;
  if (today.empty()) return env;
  auto date = Date::Parse(today);
  if (!date) return MakeError(ErrorCode::kInvalidArgument, "--today: expected YYYY-MM-DD");
  const auto noon = std::chrono::system_clock::time_point(
      std::chrono::seconds(static_cast<int64_t>(date->days_since_epoch) * 86400 + 12 * 3600));
  env.now = [noon] { return noon; };
  return env;
}

}  // namespace bankfeed
