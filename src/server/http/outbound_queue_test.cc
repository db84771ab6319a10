#include "server/http/outbound_queue.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

std::shared_ptr<const std::string> Msg(std::string text) {
  return std::make_shared<const std::string>(std::move(text));
}

TEST(OutboundQueueTest, WakesTheWriterOnlyWhenOpenAndIdle) {
  OutboundQueue queue(10, 1000);
  OutboundQueue::Outcome first = queue.Push(Msg("a"));
  EXPECT_TRUE(first.accepted);
  EXPECT_FALSE(first.wake_writer);  // not open yet
  EXPECT_TRUE(queue.Open());        // "a" waits: the opener writes
  EXPECT_TRUE(queue.Push(Msg("b")).accepted);
  EXPECT_FALSE(queue.Push(Msg("c")).wake_writer);  // a writer is running
  std::shared_ptr<const std::string> message;
  ASSERT_EQ(queue.Pop(&message), OutboundQueue::Next::kMessage);
  EXPECT_EQ(*message, "a");
  EXPECT_EQ(queue.size(), 3u);  // two queued, one in flight
  ASSERT_EQ(queue.Pop(&message), OutboundQueue::Next::kMessage);
  ASSERT_EQ(queue.Pop(&message), OutboundQueue::Next::kMessage);
  EXPECT_EQ(*message, "c");
  EXPECT_EQ(queue.Pop(&message), OutboundQueue::Next::kIdle);
  EXPECT_TRUE(queue.Push(Msg("d")).wake_writer);  // the writer stopped
}

TEST(OutboundQueueTest, OverflowClosesWithTheSlowClientReason) {
  OutboundQueue queue(2, 1000);
  queue.Open();
  EXPECT_TRUE(queue.Push(Msg("a")).wake_writer);
  std::shared_ptr<const std::string> message;
  ASSERT_EQ(queue.Pop(&message), OutboundQueue::Next::kMessage);  // "a" in flight, not queued
  EXPECT_TRUE(queue.Push(Msg("b")).accepted);
  EXPECT_TRUE(queue.Push(Msg("c")).accepted);
  OutboundQueue::Outcome overflow = queue.Push(Msg("d"));
  EXPECT_FALSE(overflow.accepted);
  EXPECT_TRUE(overflow.closed_now);
  EXPECT_TRUE(queue.closed());
  EXPECT_EQ(queue.close_code(), OutboundQueue::kTooSlowCode);
  EXPECT_EQ(queue.close_reason(), "client too slow: 2 messages queued");
  EXPECT_FALSE(queue.Push(Msg("e")).accepted);
  EXPECT_EQ(queue.Pop(&message), OutboundQueue::Next::kClose);  // the queued ones were dropped
}

TEST(OutboundQueueTest, ByteBoundOverflows) {
  OutboundQueue queue(100, 10);
  EXPECT_TRUE(queue.Push(Msg("123456")).accepted);
  EXPECT_FALSE(queue.Push(Msg("123456")).accepted);
  EXPECT_EQ(queue.close_reason(), "client too slow: 6 bytes queued");
}

TEST(OutboundQueueTest, CloseDrainsUnlessDiscardingAndOnlyTheFirstCounts) {
  OutboundQueue queue(10, 1000);
  queue.Open();
  queue.Push(Msg("a"));
  OutboundQueue::Outcome close = queue.Close(1000, "bye", /*discard=*/false);
  EXPECT_TRUE(close.closed_now);
  EXPECT_FALSE(close.wake_writer);  // the writer woken by "a" is still running
  EXPECT_FALSE(queue.Close(1001, "again", true).closed_now);
  EXPECT_EQ(queue.close_reason(), "bye");
  std::shared_ptr<const std::string> message;
  EXPECT_EQ(queue.Pop(&message), OutboundQueue::Next::kMessage);
  EXPECT_EQ(queue.Pop(&message), OutboundQueue::Next::kClose);
}

TEST(OutboundQueueTest, CloseWakesAnIdleWriter) {
  OutboundQueue queue(10, 1000);
  queue.Open();
  EXPECT_TRUE(queue.Close(1000, "", true).wake_writer);
}

}  // namespace
}  // namespace vitals::server
