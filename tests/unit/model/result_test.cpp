// Status: success by default (`return {};`), errors from tl::unexpected, and propagation through the macros.
#include <gtest/gtest.h>

#include <type_traits>

#include "bankfeed/result.hpp"

namespace bankfeed {
namespace {

Status Fails() { return MakeError(ErrorCode::kInvalidInput, "a: expected a string"); }
Status Succeeds() { return {}; }
Status Propagates(bool fail) {
  BANKFEED_RETURN_IF_ERROR(fail ? Fails() : Succeeds());
  return {};
}
Result<int> Value(bool fail) {
  if (fail) return MakeError(ErrorCode::kNotFound, "gone");
  return 7;
}
Status FromResult(bool fail) {
  BANKFEED_ASSIGN_OR_RETURN(const int n, Value(fail));
  if (n != 7) return MakeError(ErrorCode::kInternal, "wrong value");
  return {};
}

TEST(Status, EmptyBracesAndDefaultConstructionAreSuccess) {
  const Status braces = {};
  const Status defaulted;
  EXPECT_TRUE(braces.has_value());
  EXPECT_TRUE(defaulted.has_value());
  EXPECT_TRUE(Succeeds());
  EXPECT_TRUE(std::is_nothrow_default_constructible_v<Status>);
}

TEST(Status, ErrorsAreKeptAndPropagated) {
  const Status s = Fails();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(s.error().message, "a: expected a string");
  EXPECT_TRUE(Propagates(false));
  ASSERT_FALSE(Propagates(true));
  EXPECT_EQ(Propagates(true).error().message, "a: expected a string");
  EXPECT_TRUE(FromResult(false));
  ASSERT_FALSE(FromResult(true));
  EXPECT_EQ(FromResult(true).error().code, ErrorCode::kNotFound);
}

TEST(Status, CopiesMovesAndConvertsFromTheUnderlyingExpected) {
  Status failed = Fails();
  const Status copy = failed;
  EXPECT_EQ(copy.error().message, failed.error().message);
  const Status moved = std::move(failed);
  EXPECT_EQ(moved.error().code, ErrorCode::kInvalidInput);
  const tl::expected<void, Error> plain = tl::unexpected<Error>(Error(ErrorCode::kTimeout, "t"));
  const Status converted = plain;
  ASSERT_FALSE(converted);
  EXPECT_EQ(converted.error().code, ErrorCode::kTimeout);
  Status reassigned = Fails();
  reassigned = Status{};
  EXPECT_TRUE(reassigned);
}

}  // namespace
}  // namespace bankfeed
