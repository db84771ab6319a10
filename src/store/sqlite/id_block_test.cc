#include "store/sqlite/id_block.h"

#include <gtest/gtest.h>

namespace vitals::store {
namespace {

TEST(IdBlockTest, RoundTripsIdsTimestampsAndFlags) {
  const std::vector<IdEntry> entries = {{100, 5'000'000, kSucceeded},
                                        {101, 4'000'000, 0},
                                        {250, 9'000'000'000, kStartedOnly | kSucceeded},
                                        {1'000'000'000'000, -7, kStartedOnly}};
  const IdBlock block = EncodeIdBlock(entries);
  EXPECT_EQ(block.first_id, 100);
  EXPECT_EQ(block.last_id, 1'000'000'000'000);
  EXPECT_EQ(block.min_ts, -7);
  EXPECT_EQ(block.max_ts, 9'000'000'000);
  EXPECT_EQ(block.count, 4);
  std::vector<IdEntry> out = {{1, 1, 0}};  // decoding appends
  ASSERT_TRUE(DecodeIdBlock(block.ids, block.first_id, block.min_ts, block.count, out));
  ASSERT_EQ(out.size(), 5u);
  for (size_t i = 0; i < entries.size(); ++i) {
    EXPECT_EQ(out[i + 1].id, entries[i].id);
    EXPECT_EQ(out[i + 1].ts, entries[i].ts);
    EXPECT_EQ(out[i + 1].flags, entries[i].flags);
  }
}

TEST(IdBlockTest, DenseIdsCostAFewBytesEach) {
  std::vector<IdEntry> entries;
  for (int i = 0; i < 1000; ++i)
    entries.push_back({1000 + i * 7, 1'795'392'000'000'000 + i * 3000, 2});
  EXPECT_LE(EncodeIdBlock(entries).ids.size(), 4000u);
}

TEST(IdBlockTest, RejectsTruncatedOrTrailingBytes) {
  const IdBlock block = EncodeIdBlock({{10, 100, 0}, {20, 50, 1}});
  std::vector<IdEntry> out;
  EXPECT_FALSE(DecodeIdBlock(block.ids.substr(0, block.ids.size() - 1), 10, 50, 2, out));
  EXPECT_FALSE(DecodeIdBlock(block.ids + "x", 10, 50, 2, out));
  EXPECT_FALSE(DecodeIdBlock(block.ids, 10, 50, 3, out));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace vitals::store
