// What a caller can send bankfeedd that is not a well-formed request (issue 19): every string field of every request
// of every RPC, holding bytes that are not UTF-8, is INVALID_ARGUMENT naming the field (the test walks the proto
// descriptors, so a field or a method added later is covered); protobuf's own complaints reach the log as JSON only;
// and a flood of refused calls leaves a bounded number of log lines while the metrics count every one.
#include <google/protobuf/descriptor.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/impl/client_unary_call.h>
#include <grpcpp/support/sync_stream.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "integration/daemon_process.hpp"
#include "integration/sandbox_fixture.hpp"

namespace bankfeed::testing {
namespace {

namespace pb = google::protobuf;

constexpr char kNotUtf8[] = "ok\xff\xfe\xc0\xaf";  // a stray byte, and an overlong '/'

// A length-delimited field in the protobuf wire format.
std::string Field(int number, const std::string& bytes) {
  std::string out;
  const auto varint = [&out](uint64_t v) {
    for (; v >= 0x80; v >>= 7) out.push_back(static_cast<char>(v | 0x80));
    out.push_back(static_cast<char>(v));
  };
  varint(static_cast<uint64_t>(number) << 3 | 2);
  varint(bytes.size());
  return out + bytes;
}

// One request per string field reachable from `type` (nested and repeated fields included): the path the daemon
// must name ("ibans[0]", "a.b"), and the request's bytes with only that field set, to bytes that are not UTF-8.
void StringFields(const pb::Descriptor& type, const std::string& path, std::set<const pb::Descriptor*> open,
                  std::vector<std::pair<std::string, std::function<std::string(const std::string&)>>>& out,
                  const std::function<std::string(const std::string&)>& wrap) {
  open.insert(&type);
  for (int i = 0; i < type.field_count(); ++i) {
    const pb::FieldDescriptor& f = *type.field(i);
    const std::string name = path + f.name() + (f.is_repeated() ? "[0]" : "");
    const int number = f.number();
    const auto here = [wrap, number](const std::string& bytes) { return wrap(Field(number, bytes)); };
    if (f.type() == pb::FieldDescriptor::TYPE_STRING) {
      out.emplace_back(name, here);
    } else if (f.type() == pb::FieldDescriptor::TYPE_MESSAGE && !open.count(f.message_type())) {
      StringFields(*f.message_type(), name + ".", open, out, here);
    }
  }
}

grpc::ByteBuffer Bytes(const std::string& s) {
  grpc::Slice slice(s);
  return grpc::ByteBuffer(&slice, 1);
}

// Calls `path` ("/bankfeed.v1.Feed/Sync") with raw request bytes, unary or server-streaming.
grpc::Status CallRaw(const DaemonProcess& d, const std::string& tenant, const pb::MethodDescriptor& method,
                     const std::string& request) {
  const std::string path = "/" + method.service()->full_name() + "/" + method.name();
  auto context = d.Context(tenant, std::chrono::seconds(20));
  auto channel = d.channel();
  const grpc::ByteBuffer bytes = Bytes(request);
  if (!method.server_streaming()) {
    grpc::ByteBuffer response;
    return grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
        channel.get(), grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::NORMAL_RPC), context.get(),
        bytes, &response);
  }
  std::unique_ptr<grpc::ClientReader<grpc::ByteBuffer>> reader(
      grpc::internal::ClientReaderFactory<grpc::ByteBuffer>::Create(
          channel.get(), grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::SERVER_STREAMING),
          context.get(), bytes));
  grpc::ByteBuffer message;
  while (reader->Read(&message)) {
  }
  return reader->Finish();
}

// Lines of the daemon's stderr that are not one JSON object (spdlog's own, protobuf's, gRPC's).
std::vector<std::string> NonJsonLines(const std::string& log) {
  std::vector<std::string> out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    if (line.rfind("{\"ts\":\"", 0) != 0 || line.back() != '}') out.push_back(line);
  }
  return out;
}

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

class DaemonInput : public SandboxTest {
 protected:
  void SetUp() override {
    StartBank(ScenarioYaml(3, 0, ""));
    workspace_ = std::make_unique<CliWorkspace>(DaemonWorkspaceName("daemon-input-"), pki_, bank().BaseUrl(), "");
  }

  std::unique_ptr<CliWorkspace> workspace_;
};

TEST_F(DaemonInput, EveryStringFieldOfEveryRequestThatIsNotUtf8IsInvalidArgumentNamingIt) {
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(kToday));
  const std::string proto_dir = std::string(BANKFEED_SOURCE_DIR) + "/daemon/proto";
  int methods = 0, fields = 0;
  for (const auto& entry : std::filesystem::directory_iterator(proto_dir + "/bankfeed/v1")) {
    const std::string name = "bankfeed/v1/" + entry.path().filename().string();
    const pb::FileDescriptor* file = pb::DescriptorPool::generated_pool()->FindFileByName(name);
    ASSERT_NE(file, nullptr) << name << " is not compiled into the API";
    for (int service = 0; service < file->service_count(); ++service) {
      for (int m = 0; m < file->service(service)->method_count(); ++m) {
        const pb::MethodDescriptor& method = *file->service(service)->method(m);
        ASSERT_FALSE(method.client_streaming()) << method.full_name() << ": not covered by this test yet";
        ++methods;
        std::vector<std::pair<std::string, std::function<std::string(const std::string&)>>> strings;
        StringFields(*method.input_type(), "", {}, strings, [](const std::string& bytes) { return bytes; });
        for (const auto& [path, request] : strings) {
          ++fields;
          const grpc::Status s = CallRaw(d, kTenantA, method, request(kNotUtf8));
          EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << method.full_name() << " " << path;
          EXPECT_EQ(s.error_message(), path + ": not valid UTF-8") << method.full_name();
          // The same from a stranger: refused for who they are, before what they sent is looked at.
          EXPECT_EQ(CallRaw(d, "", method, request(kNotUtf8)).error_code(), grpc::StatusCode::UNAUTHENTICATED);
        }
      }
    }
  }
  EXPECT_EQ(methods, 12);
  EXPECT_GE(fields, 20);
  // Bytes that are no message at all are INVALID_ARGUMENT too (a field 1 cut short), never INTERNAL.
  const pb::MethodDescriptor* start =
      pb::DescriptorPool::generated_pool()->FindMethodByName("bankfeed.v1.Consents.StartConsent");
  ASSERT_NE(start, nullptr);
  const grpc::Status cut = CallRaw(d, kTenantA, *start, std::string("\x0a\x10short", 7));
  EXPECT_EQ(cut.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(cut.error_message(), "request: not a bankfeed.v1.StartConsentRequest message");
  EXPECT_EQ(d.Stop(), 0);
  const std::string log = d.log();
  EXPECT_EQ(NonJsonLines(log), std::vector<std::string>{}) << log;
  EXPECT_EQ(log.find("\xff"), std::string::npos);
  // Refusals are logged once per interval and source (the rest are counted): the first one is there.
  EXPECT_NE(log.find(": not valid UTF-8\",\"refusals\":1}"), std::string::npos) << log;
}

// A service whose requests protobuf parses before our code (server reflection, gRPC's own): protobuf's complaint
// about a string that is not UTF-8 is one JSON log line, not a plain-text line on stderr.
TEST_F(DaemonInput, ProtobufsOwnComplaintsAreLoggedAsJson) {
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(kToday));
  auto context = d.Context(kTenantA, std::chrono::seconds(20));
  auto channel = d.channel();
  const std::string path = "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo";
  std::unique_ptr<grpc::ClientReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>> stream(
      grpc::internal::ClientReaderWriterFactory<grpc::ByteBuffer, grpc::ByteBuffer>::Create(
          channel.get(), grpc::internal::RpcMethod(path.c_str(), grpc::internal::RpcMethod::BIDI_STREAMING),
          context.get()));
  stream->Write(Bytes(Field(1, kNotUtf8)));  // host
  stream->WritesDone();
  grpc::ByteBuffer answer;
  while (stream->Read(&answer)) {
  }
  stream->Finish();  // whatever gRPC's reflection answers: its log line is what counts here
  EXPECT_EQ(d.Stop(), 0);
  const std::string log = d.log();
  EXPECT_EQ(NonJsonLines(log), std::vector<std::string>{}) << log;
  EXPECT_NE(log.find("\"event\":\"protobuf\""), std::string::npos) << log;
}

// Anyone who reaches the socket can be refused: 2,000 refusals (no token, and no token with a request that is not
// UTF-8 either) leave a bounded number of log lines, and the metrics count every one.
TEST_F(DaemonInput, TwoThousandRefusedCallsLeaveABoundedNumberOfLogLines) {
  DaemonProcess d(*workspace_);
  ASSERT_TRUE(d.Start(kToday));
  const std::string before = d.log();
  auto accounts = d.accounts();
  const pb::MethodDescriptor* balances =
      pb::DescriptorPool::generated_pool()->FindMethodByName("bankfeed.v1.Accounts.GetBalances");
  ASSERT_NE(balances, nullptr);
  for (int i = 0; i < 1000; ++i) {
    v1::ListAccountsResponse out;
    ASSERT_EQ(accounts->ListAccounts(d.Context("").get(), {}, &out).error_code(), grpc::StatusCode::UNAUTHENTICATED);
    ASSERT_EQ(CallRaw(d, "", *balances, Field(1, kNotUtf8)).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  const std::string metrics = HttpGet(d.metrics_port(), "/metrics");
  EXPECT_NE(metrics.find("bankfeed_rpc_refusals_total{reason=\"unauthenticated\"} 2000\n"), std::string::npos)
      << metrics;
  EXPECT_EQ(d.Stop(), 0);
  const std::string log = d.log().substr(before.size());
  const size_t lines = Count(log, "\"grpc_status\":\"UNAUTHENTICATED\"");
  EXPECT_GE(lines, 1u) << log;
  EXPECT_LE(lines, 5u) << log;
  EXPECT_NE(log.find("\"refusals\":1}"), std::string::npos) << log;  // the first one, for itself
  EXPECT_LE(Count(log, "\n"), 10u) << log;
}

}  // namespace
}  // namespace bankfeed::testing
