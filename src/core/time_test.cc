#include "core/time.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

TEST(Time, FormatsRfc3339Utc) {
  EXPECT_EQ(FormatTimestamp(FromMicros(0)), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatTimestamp(FromMicros(1'770'037'200'000'000)), "2026-02-02T13:00:00Z");
  EXPECT_EQ(FormatTimestamp(FromMicros(1'770'037'200'250'000)), "2026-02-02T13:00:00.250Z");
  EXPECT_EQ(FormatTimestamp(FromMicros(1'770'037'200'000'001)), "2026-02-02T13:00:00.000001Z");
}

TEST(Time, ParsesCommonForms) {
  const Timestamp t = FromMicros(1'770'037'200'000'000);
  EXPECT_EQ(ParseTimestamp("2026-02-02T13:00:00Z"), t);
  EXPECT_EQ(ParseTimestamp("2026-02-02T13:00:00"), t);  // naive: UTC
  EXPECT_EQ(ParseTimestamp("2026-02-02 13:00:00"), t);
  EXPECT_EQ(ParseTimestamp("2026-02-02T15:00:00+02:00"), t);
  EXPECT_EQ(ParseTimestamp("2026-02-02T12:30:00-0030"), t);
  EXPECT_EQ(ParseTimestamp("2026-02-02T13:00:00.5Z"), t + std::chrono::milliseconds(500));
  EXPECT_EQ(ParseTimestamp("2026-02-02T13:00:00.123456789Z"), t + Duration(123456));
}

TEST(Time, RoundTrips) {
  for (int64_t us : {int64_t{0}, int64_t{951'782'400'123'456}, int64_t{4'102'444'799'999'999}}) {
    EXPECT_EQ(ParseTimestamp(FormatTimestamp(FromMicros(us))), FromMicros(us));
  }
}

// Found by fuzz/fuzz_window_spec: a window stored with such a time never loaded again.
TEST(Time, RejectsOffsetsThatLeaveTheYearsItWrites) {
  EXPECT_FALSE(ParseTimestamp("0000-01-01T00:00:00+05:30"));
  EXPECT_FALSE(ParseTimestamp("9999-12-31T23:00:00-05:00"));
  for (const char* edge : {"0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z"}) {
    auto t = ParseTimestamp(edge);
    ASSERT_TRUE(t) << edge;
    EXPECT_EQ(FormatTimestamp(*t), edge);
  }
}

TEST(Time, RejectsMalformed) {
  for (const char* bad : {"", "yesterday", "2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z",
                          "2026-02-02T25:00:00Z", "2026-02-02T13:00:00Zjunk", "2026-02-02",
                          "2026-02-02T13:00:00.Z", "2026-02-02T13:00:00+2"}) {
    EXPECT_FALSE(ParseTimestamp(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace vitals::core
