// Test notifications (`vitals routes test ID`): sent at once, once, through the route's channel
// to a real loopback receiver, with the outcome given back and written to the delivery log.
#include <future>

#include "server/notify/notify_test_util.h"

namespace vitals::server {
namespace {

using namespace notify_testing;  // NOLINT(google-build-using-namespace)

// Sends a test through `route` and waits for its outcome.
core::Status SendAndWait(Notifier& n, const std::string& route, std::string* detail = nullptr) {
  std::promise<core::Status> outcome;
  core::Status queued = n.SendTest("acme", route, [&](core::Status s, std::string d) {
    if (detail) *detail = std::move(d);
    outcome.set_value(std::move(s));
  });
  if (!queued.ok()) return queued;
  auto f = outcome.get_future();
  if (f.wait_for(kWait) != std::future_status::ready) return core::Status::Internal("no outcome");
  return f.get();
}

TEST_F(NotifierTest, ATestNotificationGoesOutOnceAndItsOutcomeComesBack) {
  Receiver good;
  Receiver failing(100);  // answers 500 to everything
  Notifier& n = Make();
  n.PutRoute(Webhook("pager", good.url()));
  n.PutRoute(Webhook("broken", failing.url()));
  EXPECT_EQ(n.SendTest("acme", "pager", [](core::Status, std::string) {}).code(),
            core::StatusCode::kUnavailable);  // not started
  n.Start();

  ASSERT_TRUE(SendAndWait(n, "pager").ok());
  ASSERT_EQ(good.requests().size(), 1u);
  const HttpRequest sent = good.requests()[0];
  EXPECT_EQ(ChangeOf(sent), "test") << sent.body;
  EXPECT_NE(sent.body.find("vitals test notification (route pager)"), std::string::npos)
      << sent.body;
  EXPECT_NE(sent.body.find(":test:pager"), std::string::npos) << sent.body;  // idempotency key
  EXPECT_NE(sent.body.find("\"severity\":\"info\""), std::string::npos) << sent.body;

  // A failure worth retrying is not retried for a test: the operator sees it at once.
  const core::Status broken = SendAndWait(n, "broken");
  EXPECT_FALSE(broken.ok());
  EXPECT_NE(broken.message().find("500"), std::string::npos) << broken.ToString();
  EXPECT_EQ(failing.requests().size(), 1u);

  EXPECT_EQ(n.SendTest("acme", "nothing", [](core::Status, std::string) {}).code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(n.SendTest("other-org", "pager", [](core::Status, std::string) {}).code(),
            core::StatusCode::kNotFound);

  auto rows = store_->QueryDeliveries("acme", "", 10);
  ASSERT_TRUE(rows.ok());
  std::vector<std::string> log;
  for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
    log.push_back(it->route_id + ":" + it->change + ":" + it->outcome);
  }
  EXPECT_EQ(log, (std::vector<std::string>{"pager:test:delivered", "broken:test:failed"}));
  EXPECT_EQ(n.stats().retries, 0u);
}

}  // namespace
}  // namespace vitals::server
