#include "tools/bankfeed/client_config.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "adapters/common/url.hpp"
#include "config/yaml_reader.hpp"
#include "store/sqlite_store.hpp"

namespace bankfeed::cli {
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

// Moves the origin of `url` from `from` to `to` when it is on `from`.
std::string Rebase(const std::string& url, const adapters::UrlParts& from, const adapters::UrlParts& to) {
  auto parts = adapters::ParseUrl(url, "url");
  if (!parts || !adapters::SameOrigin(*parts, from)) return url;
  return to.Origin() + parts->Target();
}

}  // namespace

std::string ConfigRelative(const fs::path& base, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (base / path).lexically_normal().string();
}

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
  if (extra) {
    extra(r, base);
  } else {
    r.Node("daemon");
  }
  r.Finish();
  if (ctx.failed()) return tl::unexpected(*ctx.error());
  return c;
}

bool IsProfileId(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char ch : id) {
    if (!(std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '-')) {
      return false;
    }
  }
  return true;
}

Result<ConnectionOptions> ConnectionFor(const ClientConfig& config, const std::string& bank_id) {
  ConnectionOptions options;
  if (!IsProfileId(bank_id)) {
    return MakeError(ErrorCode::kInvalidArgument, "--bank: expected a profile id such as sandbox-alpha");
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

Result<std::unique_ptr<Store>> OpenStore(const ClientConfig& config) { return OpenSqliteStore(config.store); }

Result<GrantSession> OpenGrant(const std::string& config_path, const std::string& handle, ConnectorEnvironment env) {
  GrantSession g;
  BANKFEED_ASSIGN_OR_RETURN(g.session.config, LoadClientConfig(config_path));
  if (!store::IsHandle(handle, "cg_")) return MakeError(ErrorCode::kInvalidArgument, "--consent: not a consent handle (cg_...)");
  BANKFEED_ASSIGN_OR_RETURN(g.store, OpenStore(g.session.config));
  BANKFEED_ASSIGN_OR_RETURN(g.lease, g.store->TryLeaseConsent(g.session.config.tenant, handle));
  if (!g.lease) {
    return MakeError(ErrorCode::kUnavailable,
                     "--consent: busy (a sync or another command is using it, maybe in bankfeedd); try again");
  }
  BANKFEED_ASSIGN_OR_RETURN(g.record, g.store->LoadConsent(g.session.config.tenant, handle));
  BANKFEED_ASSIGN_OR_RETURN(g.session.connector, ConnectorFor(g.session.config, g.record.bank_id, std::move(env)));
  return g;
}

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

ConnectorFactory FactoryFor(const ClientConfig& config, ConnectorEnvironment env) {
  return [config, env](const std::string& bank_id) { return ConnectorFor(config, bank_id, env); };
}

}  // namespace bankfeed::cli
