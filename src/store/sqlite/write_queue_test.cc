#include "store/write_queue.h"

#include <gtest/gtest.h>

namespace vitals::store {
namespace {

ExecutionBatch Rows(size_t n) {
  ExecutionBatch b;
  b.rows.resize(n);
  return b;
}

auto Soon() { return std::chrono::steady_clock::now() + std::chrono::milliseconds(1); }

TEST(WriteQueueTest, RefusesAcknowledgedRowsPastCapacity) {
  WriteQueue q(10, 100);
  ExecutionBatch six = Rows(6);
  ExecutionBatch five = Rows(5);
  EXPECT_TRUE(q.Push(six));
  EXPECT_FALSE(q.Push(five));
  EXPECT_EQ(five.rows.size(), 5u);  // left with the caller
  HeartbeatBatch four;
  four.rows.resize(4);
  EXPECT_TRUE(q.Push(four));
  EXPECT_EQ(q.depth(), 10u);
  WriteGroup g = q.Take(Soon());
  EXPECT_EQ(g.acknowledged_rows, 10u);
  EXPECT_EQ(q.depth(), 0u);
  EXPECT_TRUE(q.Push(five));
}

TEST(WriteQueueTest, DropsOldestBackgroundBatchesPastCapacity) {
  WriteQueue q(10, 5);
  q.Push(BackgroundBatch(std::vector<MetricRecord>(2)));
  q.Push(BackgroundBatch(std::vector<TransitionRecord>(2)));
  q.Push(BackgroundBatch(std::vector<Checkpoint>(3)));  // 7 > 5: the metrics go
  EXPECT_EQ(q.background_dropped(), 2u);
  WriteGroup g = q.Take(Soon());
  ASSERT_EQ(g.background.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<std::vector<TransitionRecord>>(g.background[0]));
  EXPECT_TRUE(std::holds_alternative<std::vector<Checkpoint>>(g.background[1]));
}

TEST(WriteQueueTest, CloseHandsOverTheRestAndRefusesMore) {
  WriteQueue q(10, 10);
  ExecutionBatch b = Rows(1);
  ASSERT_TRUE(q.Push(b));
  q.Close();
  WriteGroup g = q.Take(std::chrono::steady_clock::now() + std::chrono::hours(1));
  EXPECT_TRUE(g.closed);
  EXPECT_EQ(g.executions.size(), 1u);
  ExecutionBatch late = Rows(1);
  WriteJob job;
  EXPECT_FALSE(q.Push(late));
  EXPECT_FALSE(q.Push(job));
}

}  // namespace
}  // namespace vitals::store
