// RowPipeline: every row reaches the consumer once, in order, across batches; a consumer that stops (a write error)
// stops the producer; closing an empty pipeline is fine.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tools/bankfeed/row_pipeline.hpp"

namespace bankfeed::cli {
namespace {

Transaction Row(size_t i) {
  Transaction t;
  t.id = "tx_" + std::to_string(i);
  t.remittance = std::string(40, 'r');  // a heap string, so a move that lost it would show
  return t;
}

TEST(RowPipeline, EveryRowOnceInOrderAcrossManyBatches) {
  const size_t rows = RowPipeline::kBatchRows * (RowPipeline::kDepth + 3) + 17;
  std::vector<std::string> seen;
  RowPipeline pipeline([&](const Transaction& t) {
    seen.push_back(t.id + "|" + t.remittance.value_or(""));
    return true;
  });
  for (size_t i = 0; i < rows; ++i) {
    Transaction t = Row(i);
    ASSERT_TRUE(pipeline.Push(t));
  }
  ASSERT_TRUE(pipeline.Close());
  ASSERT_EQ(seen.size(), rows);
  for (size_t i = 0; i < rows; ++i) EXPECT_EQ(seen[i], "tx_" + std::to_string(i) + "|" + std::string(40, 'r'));
}

TEST(RowPipeline, AConsumerThatStopsStopsTheProducer) {
  size_t consumed = 0;
  RowPipeline pipeline([&](const Transaction&) { return ++consumed < 10; });
  bool refused = false;
  for (size_t i = 0; i < RowPipeline::kBatchRows * (RowPipeline::kDepth + 4) && !refused; ++i) {
    Transaction t = Row(i);
    refused = !pipeline.Push(t);
  }
  EXPECT_TRUE(refused) << "the producer must learn that the consumer stopped, not fill memory";
  EXPECT_FALSE(pipeline.Close());
  EXPECT_EQ(consumed, 10u);
}

TEST(RowPipeline, NothingPushed) {
  size_t consumed = 0;
  RowPipeline pipeline([&](const Transaction&) { return ++consumed > 0; });
  EXPECT_TRUE(pipeline.Close());
  EXPECT_EQ(consumed, 0u);
}

}  // namespace
}  // namespace bankfeed::cli
