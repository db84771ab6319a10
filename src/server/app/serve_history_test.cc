// The histories that no collector samples, through the real binary: the server records each
// organization's queue depth (and its integrations) into health_metrics every 10 s, and
// GET /api/health/history/system serves them.
#include <thread>

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
  const auto deadline = std::chrono::steady_clock::now() + 25s;
  while (std::chrono::steady_clock::now() < deadline) {
    body = Call(Method::kGet, "/api/health/history/system?days=1").body;
    if (body.find("queue_depth") != std::string::npos) break;
    std::this_thread::sleep_for(250ms);
  }
  auto h = Json(Call(Method::kGet, "/api/health/history/system?days=1"));
  ASSERT_GE(int64_t(h["data_points"]), 1) << body;
  auto point = h["history"].at(0);
  EXPECT_EQ(double(point["metrics"]["queue_depth"]), 150) << body;
  EXPECT_EQ(double(point["health_score"]), 0.5) << body;  // 150 > the default threshold 100
}

}  // namespace
}  // namespace vitals::server::testing
