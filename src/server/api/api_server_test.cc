// Handlers without a network: ApiServer driven directly, on a real SQLite store and a fake clock.
#include "server/api/api_server.h"

#include <future>

#include "server/api/handler_test_fixture.h"

namespace vitals::server {
namespace {

class ApiServerTest : public testing::HandlerTest {
 protected:
  void SetUp() override {
    HandlerTest::SetUp();
    services_->ready = true;
    api_ = std::make_unique<ApiServer>(*services_);
  }
  void TearDown() override {
    api_.reset();
    HandlerTest::TearDown();
  }

  HttpResponse Do(Method m, std::string target, std::string body = "",
                  std::string content_type = "application/json") {
    HttpRequest r;
    r.method = m;
    r.target = target;
    EXPECT_TRUE(ParseTarget(target, &r.path, &r.query));
    r.body = std::move(body);
    if (!content_type.empty()) r.headers.Add("Content-Type", content_type);
    std::promise<HttpResponse> p;
    api_->Handle(std::move(r), [&p](HttpResponse resp) { p.set_value(std::move(resp)); });
    return p.get_future().get();
  }

  std::unique_ptr<ApiServer> api_;
};

TEST_F(ApiServerTest, IngestIsDurableBeforeItIsCounted) {
  auto r = Do(Method::kPost, "/api/v1/executions",
              R"([{"agent_id":"a","status":"error"},{"agent_id":"a","latency_ms":-1}])");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(
      r.body,
      R"({"accepted":1,"rejected":[{"index":1,"error":"latency_ms: must be a number >= 0, got -1"}]})");
  store::ExecutionQuery q;
  q.organization_id = "default";
  q.agent_id = "a";
  auto rows = store_->QueryExecutions(q);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);  // the answer came after the row was durable
  EXPECT_EQ((*rows)[0].event.status, "error");
  EXPECT_EQ(monitor_->events_ingested(), 1u);
}

// A client's retry of a batch already stored: acknowledged again, stored and counted once.
TEST_F(ApiServerTest, TheSameBatchTwiceIsAcknowledgedTwiceStoredAndCountedOnce) {
  const std::string batch =
      R"([{"agent_id":"a","execution_id":"x1","latency_ms":5},)"
      R"({"agent_id":"a","execution_id":"x2","status":"error"},{"agent_id":"a"}])";
  auto first = Do(Method::kPost, "/api/v1/executions", batch);
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, R"({"accepted":3,"rejected":[]})");
  auto again = Do(Method::kPost, "/api/v1/executions", batch);
  EXPECT_EQ(again.status, 200);
  // The row without an execution_id cannot be told from a new one: stored again.
  EXPECT_EQ(again.body, R"({"accepted":3,"duplicates":2,"rejected":[]})");
  EXPECT_EQ(store_->Stats().executions_written, 4u);
  EXPECT_EQ(monitor_->events_ingested(), 4u);
  auto agent = monitor_->GetAgent("default", "a");
  ASSERT_TRUE(agent.ok());
  EXPECT_EQ(agent->long_window.total, 4);
  EXPECT_EQ(agent->long_window.failure, 1);
}

TEST_F(ApiServerTest, OtherContentUnderAStoredExecutionIdIsRejectedNamingTheId) {
  ASSERT_EQ(
      Do(Method::kPost, "/api/v1/executions", R"({"agent_id":"a","execution_id":"x1"})").status,
      200);
  auto alone =
      Do(Method::kPost, "/api/v1/executions",
         R"({"agent_id":"a","execution_id":"x1","status":"error","error_message":"timeout"})");
  EXPECT_EQ(alone.status, 409);
  EXPECT_NE(alone.body.find(R"(execution_id: \"x1\" was already recorded with other content)"),
            std::string::npos)
      << alone.body;
  auto mixed = Do(Method::kPost, "/api/v1/executions",
                  R"([{"agent_id":"a","execution_id":"x1","latency_ms":9},)"
                  R"({"agent_id":"a","execution_id":"x2"}])");
  EXPECT_EQ(mixed.status, 200);
  EXPECT_NE(mixed.body.find(R"("accepted":1,"rejected":[{"index":0,)"), std::string::npos)
      << mixed.body;
  EXPECT_EQ(store_->Stats().executions_written, 2u);
  EXPECT_EQ(monitor_->events_ingested(), 2u);
}

// Two-part reporting: the start and the finish share the execution_id and are both kept; a
// retried start is a retry.
TEST_F(ApiServerTest, AStartAndItsFinishShareTheIdAndARetriedStartIsARetry) {
  const std::string start = R"({"agent_id":"a","execution_id":"run-1","action_type":"plan"})";
  ASSERT_EQ(Do(Method::kPost, "/api/v1/executions/start", start).status, 200);
  auto again = Do(Method::kPost, "/api/v1/executions/start", start);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, R"({"accepted":1,"duplicates":1,"rejected":[]})");
  EXPECT_EQ(monitor_->ListAgents("default").at(0).in_flight, 1u);
  auto finish = Do(Method::kPost, "/api/v1/executions",
                   R"({"agent_id":"a","execution_id":"run-1","action_type":"plan"})");
  EXPECT_EQ(finish.status, 200);
  EXPECT_EQ(finish.body, R"({"accepted":1,"rejected":[]})");
  EXPECT_EQ(monitor_->ListAgents("default").at(0).in_flight, 0u);
  EXPECT_EQ(store_->Stats().executions_written, 2u);
}

TEST_F(ApiServerTest, NothingValidIs400AndNothingIsStored) {
  auto r = Do(Method::kPost, "/api/v1/executions", R"([{"latency_ms":1}])");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("agent_id: required"), std::string::npos);
  EXPECT_EQ(store_->Stats().executions_written, 0u);
  EXPECT_EQ(monitor_->agent_count(), 0u);
}

// The media type decides the body format, in any case and with parameters; anything else is 415.
TEST_F(ApiServerTest, ContentTypeChoosesTheBodyFormat) {
  const std::string two_lines = "{\"agent_id\":\"a\"}\n{\"agent_id\":\"b\"}\n";
  for (const char* type : {"application/x-ndjson", " Application/X-NDJSON ; charset=utf-8",
                           "application/jsonl", "application/x-jsonlines"}) {
    auto r = Do(Method::kPost, "/api/v1/executions", two_lines, type);
    EXPECT_EQ(r.status, 200) << type;
    EXPECT_EQ(r.body, R"({"accepted":2,"rejected":[]})") << type;
  }
  for (const char* type : {"APPLICATION/JSON;charset=utf-8", "application/vnd.agent+JSON", ""}) {
    auto r = Do(Method::kPost, "/api/v1/executions", R"([{"agent_id":"c"}])", type);
    EXPECT_EQ(r.status, 200) << type;
    EXPECT_EQ(r.content_type, "application/json");
  }
  for (const char* type : {"text/plain", "application/jsonx", "+json", "multipart/form-data"}) {
    auto r = Do(Method::kPost, "/api/v1/executions", R"({"agent_id":"d"})", type);
    EXPECT_EQ(r.status, 415) << type;
    EXPECT_NE(r.body.find(std::string("\"Content-Type: \\\"") + type), std::string::npos) << r.body;
  }
  EXPECT_EQ(store_->Stats().executions_written, 4u * 2 + 3);
}

// An agent id is a URL path segment and paths are decoded before routing: an id holding '/' could
// be stored but never read back, so every way in refuses it and keeps the good items beside it.
TEST_F(ApiServerTest, AgentIdsWithASlashAreRefusedWhereverTheyEnter) {
  const std::string slash_error =
      R"j({"index":1,"error":"agent_id: must not contain '/' (it is a URL path segment)"})j";
  auto executions =
      Do(Method::kPost, "/api/v1/executions",
         "{\"agent_id\":\"good\"}\n{\"agent_id\":\"team/a\"}\n", "application/x-ndjson");
  EXPECT_EQ(executions.status, 200);
  EXPECT_EQ(executions.body, R"({"accepted":1,"rejected":[)" + slash_error + "]}");
  auto heartbeats =
      Do(Method::kPost, "/api/v1/heartbeats", R"([{"agent_id":"good"},{"agent_id":"a/b"}])");
  EXPECT_EQ(heartbeats.status, 200);
  EXPECT_NE(heartbeats.body.find(slash_error), std::string::npos) << heartbeats.body;
  auto alone = Do(Method::kPost, "/api/v1/executions", R"({"agent_id":"/"})");
  EXPECT_EQ(alone.status, 400);
  EXPECT_NE(alone.body.find("must not contain '/'"), std::string::npos) << alone.body;
  EXPECT_EQ(store_->Stats().executions_written, 1u);
  EXPECT_TRUE(monitor_->GetAgent("default", "good").ok());
  EXPECT_FALSE(monitor_->GetAgent("default", "team/a").ok());
  core::AgentSettings settings;
  EXPECT_EQ(monitor_->RegisterAgent("default", "x/y", settings).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST_F(ApiServerTest, NotReadyAnswers503WithRetryAfter) {
  services_->ready = false;
  auto r = Do(Method::kPost, "/api/v1/executions", R"({"agent_id":"a"})");
  EXPECT_EQ(r.status, 503);
  bool retry_after = false;
  for (const auto& [k, v] : r.headers) retry_after |= k == "Retry-After";
  EXPECT_TRUE(retry_after);
}

TEST_F(ApiServerTest, TooManyIngestsInFlightAnswers429) {
  services_->limits.max_ingest_in_flight = 0;
  auto r = Do(Method::kPost, "/api/v1/executions", R"({"agent_id":"a"})");
  EXPECT_EQ(r.status, 429);
  EXPECT_NE(r.body.find("overloaded"), std::string::npos);
}

TEST_F(ApiServerTest, RoutesMethodsAndParameters) {
  EXPECT_EQ(Do(Method::kGet, "/nope").status, 404);
  auto r = Do(Method::kPost, "/api/health/agents");
  EXPECT_EQ(r.status, 405);
  bool allow = false;
  for (const auto& [k, v] : r.headers) allow |= k == "Allow" && v == "GET";
  EXPECT_TRUE(allow);
  EXPECT_EQ(Do(Method::kPut, "/api/v1/agents/my%20agent", R"({"name":"Mine"})").status, 201);
  auto got = Do(Method::kGet, "/api/v1/agents/my%20agent");
  EXPECT_EQ(got.status, 200);
  EXPECT_NE(got.body.find(R"("agent_id":"my agent")"), std::string::npos) << got.body;
  EXPECT_EQ(Do(Method::kGet, "/healthz").status, 200);
}

TEST_F(ApiServerTest, KeysScopeTheCaller) {
  auto created = Do(Method::kPost, "/api/v1/keys", R"({"organization_id":"acme","scope":"read"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const size_t k = created.body.find("\"key\":\"") + 7;
  const std::string key = created.body.substr(k, created.body.find('"', k) - k);
  EXPECT_EQ(key.rfind("vk_", 0), 0u);
  // Keys now exist: anonymous callers are refused, the key's scope applies.
  HttpRequest r;
  r.method = Method::kGet;
  r.path = "/api/health/agents";
  std::promise<HttpResponse> p1;
  api_->Handle(r, [&](HttpResponse x) { p1.set_value(std::move(x)); });
  EXPECT_EQ(p1.get_future().get().status, 401);
  r.headers.Add("Authorization", "Bearer " + key);
  std::promise<HttpResponse> p2;
  api_->Handle(r, [&](HttpResponse x) { p2.set_value(std::move(x)); });
  EXPECT_EQ(p2.get_future().get().status, 200);
  HttpRequest post = r;
  post.method = Method::kPost;
  post.path = "/api/v1/executions";
  post.body = R"({"agent_id":"a"})";
  std::promise<HttpResponse> p3;
  api_->Handle(post, [&](HttpResponse x) { p3.set_value(std::move(x)); });
  const HttpResponse denied = p3.get_future().get();
  EXPECT_EQ(denied.status, 403);
  EXPECT_NE(denied.body.find("scope (read)"), std::string::npos) << denied.body;
}

}  // namespace
}  // namespace vitals::server
