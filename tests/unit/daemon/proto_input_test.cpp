// Requests read from bytes: a string field that is not UTF-8 is named, however deep or repeated; anything else that
// is not the message is refused without naming a field; a good request parses as protobuf would.
#include "daemon/src/proto_input.hpp"

#include <gtest/gtest.h>

#include "bankfeed/v1/consents.pb.h"
#include "bankfeed/v1/feed.pb.h"

namespace bankfeed::daemon {
namespace {

// A string field set to raw bytes, written by hand: protobuf itself will not serialize a string that is not UTF-8.
std::string Field(int number, const std::string& bytes) {
  std::string out(1, static_cast<char>(number << 3 | 2));
  out.push_back(static_cast<char>(bytes.size()));  // short values: one varint byte
  return out + bytes;
}

grpc::ByteBuffer Bytes(const std::string& s) {
  grpc::Slice slice(s);
  return grpc::ByteBuffer(&slice, 1);
}

const std::string kBad = "a\xff";

TEST(ProtoInput, NamesTheFirstStringThatIsNotUtf8NestedOrRepeated) {
  const auto& response = *v1::SyncResponse::descriptor();
  // changes[1].transaction.creditor.name: Change 1, Transaction 5, Party 15, name 1.
  const std::string party = Field(1, kBad), transaction = Field(15, party);
  const std::string change = Field(5, transaction);
  EXPECT_EQ(InvalidUtf8Field(Field(1, Field(2, "cu_x")) + Field(1, change), response),
            "changes[1].transaction.creditor.name");
  EXPECT_EQ(InvalidUtf8Field(Field(2, kBad), response), "next_cursor");
  const auto& start = *v1::StartConsentRequest::descriptor();
  EXPECT_EQ(InvalidUtf8Field(Field(6, "DE89") + Field(6, kBad), start), "ibans[1]");
  EXPECT_EQ(InvalidUtf8Field(Field(2, "psu-1") + Field(3, "192.0.2.1") + std::string("\x20\x01", 2), start), "");
  EXPECT_EQ(InvalidUtf8Field(Field(2, "\xc3\xa9t\xc3\xa9"), start), "");  // "été": UTF-8
  EXPECT_EQ(InvalidUtf8Field(Field(2, "\xed\xa0\x80"), start), "psu_id");  // a UTF-16 surrogate
  EXPECT_EQ(InvalidUtf8Field(Field(2, "\xc0\xaf"), start), "psu_id");      // an overlong '/'
  EXPECT_EQ(InvalidUtf8Field(Field(15, kBad), start), "");  // an unknown field is bytes: not ours to judge
}

TEST(ProtoInput, ParseRequestRefusesNamingTheFieldAndNeverTheValue) {
  v1::StartConsentRequest request;
  grpc::Status s = ParseRequest(Bytes(Field(2, "psu-" + kBad)), request);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "psu_id: not valid UTF-8");
  s = ParseRequest(Bytes(std::string("\x12\x30short", 7)), request);  // a field cut short
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "request: not a bankfeed.v1.StartConsentRequest message");
  v1::StartConsentRequest good;
  good.set_psu_id("psu-1");
  good.add_ibans("DE89370400440532013000");
  good.set_frequency_per_day(4);
  ASSERT_TRUE(ParseRequest(Bytes(good.SerializeAsString()), request).ok());
  EXPECT_EQ(request.SerializeAsString(), good.SerializeAsString());
}

}  // namespace
}  // namespace bankfeed::daemon
