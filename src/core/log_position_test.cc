#include "core/log_position.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

TEST(LogPosition, CountsIdsAboveTheFloorExactlyInAnyOrder) {
  LogPosition p(10);
  EXPECT_TRUE(p.Contains(10));
  EXPECT_FALSE(p.Contains(0));  // "not stored" is never counted
  EXPECT_FALSE(p.Contains(-3));
  for (int64_t id : {15, 12, 20, 12, 5}) p.Add(id);  // 12 twice, 5 below the floor
  EXPECT_EQ(p.above_count(), 3u);
  EXPECT_EQ(p.last(), 20);
  for (int64_t id : {5, 12, 15, 20}) EXPECT_TRUE(p.Contains(id)) << id;
  for (int64_t id : {11, 13, 14, 16, 21}) EXPECT_FALSE(p.Contains(id)) << id;
}

TEST(LogPosition, RaisingTheFloorDropsWhatItCovers) {
  LogPosition p;
  for (int64_t id : {3, 7, 9}) p.Add(id);
  p.RaiseFloor(7);
  EXPECT_EQ(p.floor(), 7);
  EXPECT_EQ(p.above_count(), 1u);
  EXPECT_TRUE(p.Contains(4));  // presumed counted from now on
  p.RaiseFloor(2);             // never lowered
  EXPECT_EQ(p.floor(), 7);
  p.RaiseFloor(100);
  EXPECT_EQ(p.above_count(), 0u);
  EXPECT_EQ(p.last(), 100);
}

TEST(LogPosition, EncodesTheSetAboveTheFloorAndRefusesCorruptTails) {
  LogPosition p(1000);
  for (int64_t id : {1003, 1001, 5000}) p.Add(id);
  BinaryWriter w;
  p.EncodeAbove(w);
  const std::string bytes = w.Take();

  LogPosition q(1000);
  BinaryReader r(bytes);
  ASSERT_TRUE(q.DecodeAbove(r));
  EXPECT_TRUE(r.done());
  for (int64_t id : {1001, 1003, 5000}) EXPECT_TRUE(q.Contains(id)) << id;
  EXPECT_FALSE(q.Contains(1002));

  for (size_t cut = 0; cut < bytes.size(); ++cut) {  // a truncated tail
    LogPosition t(1000);
    t.Add(1001);
    BinaryReader rc(std::string_view(bytes).substr(0, cut));
    EXPECT_FALSE(t.DecodeAbove(rc)) << cut;
    EXPECT_TRUE(t.Contains(1001));  // unchanged
    EXPECT_EQ(t.above_count(), 1u);
  }
  BinaryWriter zero;  // a repeated id (delta 0) is corrupt
  zero.U64(2);
  zero.U64(1);
  zero.U64(0);
  BinaryReader rz(zero.str());
  LogPosition z(0);
  EXPECT_FALSE(z.DecodeAbove(rz));
  BinaryReader rn(bytes);  // a negative floor is corrupt
  LogPosition negative(-1);
  EXPECT_FALSE(negative.DecodeAbove(rn));
}

}  // namespace
}  // namespace vitals::core
