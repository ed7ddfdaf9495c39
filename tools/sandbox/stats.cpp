#include "tools/sandbox/stats.hpp"

#include "tools/sandbox/json_writer.hpp"

namespace bankfeed::sandbox {

std::string Stats::ToJson() const {
  JsonWriter w;
  w.BeginObject();
  w.Key("requests").Int(requests.load());
  w.Key("api_requests").Int(api_requests.load());
  w.Key("bad_signature").Int(bad_signature.load());
  w.Key("missing_signature").Int(missing_signature.load());
  w.Key("no_client_certificate").Int(no_client_certificate.load());
  w.Key("rejected_client_certificate").Int(rejected_client_certificate.load());
  w.Key("quota_refusals").Int(quota_refusals.load());
  w.Key("faults_injected").Int(faults_injected.load());
  w.Key("bad_registration").Int(bad_registration.load());
  w.Key("bad_client_auth").Int(bad_client_auth.load());
  w.Key("bad_request_object").Int(bad_request_object.load());
  w.Key("bad_grant").Int(bad_grant.load());
  w.Key("bad_access_token").Int(bad_access_token.load());
  w.EndObject();
  return w.Take();
}

}  // namespace bankfeed::sandbox
