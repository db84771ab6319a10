// The histories that no collector samples, through the real binary: the server records each
// organization's queue depth (and its integrations) into health_metrics every 10 s, and
// GET /api/health/history/system serves them.
#include "server/app/serve_test_support.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;

TEST_F(ServeTest, QueueDepthHistoryIsRecorded) {
  StartServer({"--collect-system", "false"});
  auto r =
      Call(Method::kPost, "/api/v1/queue-depth", R"({"source_id":"orchestrator","depth":150})");
  ASSERT_EQ(r.status, 200) << r.body;
  // Nothing samples the system here: every point of the history comes from the recorded rows.
  std::string body;
  ASSERT_TRUE(Eventually(
      [&] {
        body = Call(Method::kGet, "/api/health/history/system?days=1").body;
        return body.find("queue_depth") != std::string::npos;
      },
      25s))
      << body;
  auto h = Json(Call(Method::kGet, "/api/health/history/system?days=1"));
  ASSERT_GE(int64_t(h["data_points"]), 1) << body;
  auto point = h["history"].at(0);
  EXPECT_EQ(double(point["metrics"]["queue_depth"]), 150) << body;
  EXPECT_EQ(double(point["health_score"]), 0.5) << body;  // 150 > the default threshold 100
}

}  // namespace
}  // namespace vitals::server::testing
