// `vitals serve` end to end: who may call — open mode decided at start and on the bound address,
// keys revoked (their streams too), --insecure, what /metrics tells a tenant.
#include <gmock/gmock.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sys/wait.h>

#include <fstream>
#include <thread>

#include "server/app/serve_test_support.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

// Runs `cmd` in a shell; {exit status, stdout and stderr}.
std::pair<int, std::string> Shell(const std::string& cmd) {
  FILE* f = ::popen((cmd + " 2>&1").c_str(), "r");
  std::string out;
  char buf[512];
  while (size_t n = std::fread(buf, 1, sizeof buf, f)) out.append(buf, n);
  const int status = ::pclose(f);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// A local IPv4 address that is not loopback, or "".
std::string NonLoopbackAddress() {
  ifaddrs* all = nullptr;
  if (::getifaddrs(&all) != 0) return "";
  std::string found;
  for (ifaddrs* i = all; i && found.empty(); i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    const auto* in = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    const uint32_t a = ntohl(in->sin_addr.s_addr);
    if ((a >> 24) != 127)
      found = std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
              std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
  }
  ::freeifaddrs(all);
  return found;
}

class ServeAuthTest : public ServeTest {
 protected:
  std::string Db() const { return (dir_ / "vitals.db").string(); }
  void StartOn(const std::string& host, std::vector<std::string> extra = {}) {
    server_ =
        std::make_unique<ServerProcess>(ServerProcess::DefaultBinary(), Db(), std::move(extra));
    server_->set_host(host);
    StartServer();
  }
  // Reads until the connection ends; its close code, or 0 when it stayed open `within`.
  static int AwaitClose(WebSocketClient& ws, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
      auto m = ws.Read(50ms);
      if (!m.ok() && ws.close_code() != 0) return ws.close_code();
    }
    return 0;
  }
  // The `revoked` event's data, once the stream then ended; "" otherwise.
  static std::string AwaitRevoked(SseClient& sse, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    std::string revoked;
    while (std::chrono::steady_clock::now() < deadline) {
      auto e = sse.ReadEvent(50ms);
      if (e.ok() && e->event == "revoked") revoked = e->data;
      if (!e.ok() && e.status().message().find("stream closed") != std::string::npos) {
        return revoked;
      }
    }
    return "";
  }
};

TEST_F(ServeAuthTest, AServerStartedWithKeysStaysKeyedWhenItsLastKeyIsRevoked) {
  const auto [id, admin] = KeyViaDatabase(Db(), "default", "admin");
  ASSERT_NO_FATAL_FAILURE(StartOn("0.0.0.0"));
  ASSERT_EQ(Call(Method::kGet, "/api/health/agents", "", admin).status, 200);
  ASSERT_EQ(Call(Method::kDelete, "/api/v1/keys/" + id, "", admin).status, 200);
  for (int round = 0; round < 2; ++round) {  // at once, and once every cache has expired
    const ClientResponse anonymous = Call(Method::kGet, "/api/health/agents");
    EXPECT_EQ(anonymous.status, 401) << anonymous.body;
    EXPECT_THAT(anonymous.body, HasSubstr("no active api key left"));
    EXPECT_EQ(Call(Method::kGet, "/api/health/agents", "", admin).status, 401);
    EXPECT_EQ(
        Call(Method::kPost, "/api/v1/keys", R"({"organization_id":"default","scope":"admin"})")
            .status,
        401);
    std::this_thread::sleep_for(2500ms);
  }
  EXPECT_THAT(server_->LogTail(), HasSubstr("no active API key remains"));
}

TEST_F(ServeAuthTest, AServerStartedOpenIsKeyedFromItsFirstKeyOn) {
  StartServer();
  EXPECT_EQ(Call(Method::kGet, "/api/health/agents").status, 200);
  WebSocketClient anonymous;
  ASSERT_TRUE(anonymous.Connect("127.0.0.1", port(), "/ws/health").ok());
  ASSERT_NE(AwaitWs(anonymous, "connected"), "");
  auto created =
      Call(Method::kPost, "/api/v1/keys", R"({"organization_id":"default","scope":"admin"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = Str(Json(created)["id"]), key = Str(Json(created)["key"]);
  EXPECT_EQ(Call(Method::kGet, "/api/health/agents").status, 401);
  EXPECT_EQ(AwaitClose(anonymous, 1500ms), 1008);  // open mode is over for streams too
  EXPECT_EQ(anonymous.close_reason(), "api key required");
  ASSERT_EQ(Call(Method::kDelete, "/api/v1/keys/" + id, "", key).status, 200);
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(Call(Method::kGet, "/api/health/agents").status, 401);
  EXPECT_EQ(Call(Method::kPost, "/api/v1/keys", R"({"organization_id":"default","scope":"admin"})")
                .status,
            401);
}

TEST_F(ServeAuthTest, RevokingAKeyClosesItsStreamsWithinASecond) {
  const std::string admin = KeyViaDatabase(Db(), "acme", "admin").second;
  const auto [api_id, api_key] = KeyViaDatabase(Db(), "acme", "read");
  const auto [db_id, db_key] = KeyViaDatabase(Db(), "acme", "read");
  StartServer();
  WebSocketClient ws_api, ws_db;
  SseClient sse_api, sse_db;
  Headers h_api, h_db;
  h_api.Add("Authorization", "Bearer " + api_key);
  h_db.Add("Authorization", "Bearer " + db_key);
  ASSERT_TRUE(ws_api.Connect("127.0.0.1", port(), "/ws/health", h_api).ok());
  ASSERT_TRUE(ws_db.Connect("127.0.0.1", port(), "/ws/health", h_db).ok());
  ASSERT_TRUE(sse_api.Connect("127.0.0.1", port(), "/api/v1/stream?token=" + api_key).ok());
  ASSERT_TRUE(sse_db.Connect("127.0.0.1", port(), "/api/v1/stream?token=" + db_key).ok());
  ASSERT_NE(AwaitWs(ws_api, "connected"), "");
  ASSERT_NE(AwaitWs(ws_db, "connected"), "");

  // Over the API: at once.
  ASSERT_EQ(Call(Method::kDelete, "/api/v1/keys/" + api_id, "", admin).status, 200);
  EXPECT_EQ(AwaitClose(ws_api, 1000ms), 1008);
  EXPECT_EQ(ws_api.close_reason(), "api key revoked");
  EXPECT_THAT(AwaitRevoked(sse_api, 1000ms), HasSubstr("api key revoked"));
  // The other key's streams are untouched.
  ASSERT_TRUE(ws_db.Send("ping").ok());
  EXPECT_EQ(*ws_db.Read(2s), "pong");

  // By another process on the same database: within about a second.
  const auto [rc, out] =
      Shell(ServerProcess::DefaultBinary() + " keys revoke --db " + Db() + " --org acme " + db_id);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_EQ(AwaitClose(ws_db, 1500ms), 1008);
  EXPECT_EQ(ws_db.close_reason(), "api key revoked");
  EXPECT_THAT(AwaitRevoked(sse_db, 1500ms), HasSubstr("api key revoked"));
}

TEST_F(ServeAuthTest, InsecureWorksAsABareFlagAndWithAValue) {
  for (const char* form : {"--insecure", "--insecure=true"}) {
    ASSERT_NO_FATAL_FAILURE(StartOn("0.0.0.0", {form})) << form;
    EXPECT_EQ(Call(Method::kGet, "/api/health/agents").status, 200) << form;
    EXPECT_EQ(server_->Stop(), 0) << form;
    server_.reset();
  }
  const auto [rc, out] =
      Shell(ServerProcess::DefaultBinary() + " serve --listen 0.0.0.0:" +
            std::to_string(ServerProcess::FreePort()) + " --db " + Db() + " --insecure=false");
  EXPECT_EQ(rc, 1) << out;  // refused for want of keys, not a usage error (2)
  EXPECT_THAT(out, HasSubstr("without API keys"));
}

TEST_F(ServeAuthTest, OpenModeIsDecidedOnTheBoundAddressNotTheName) {
  ASSERT_NO_FATAL_FAILURE(StartOn("localhost"));  // resolves to 127.0.0.1: open
  EXPECT_EQ(Call(Method::kGet, "/api/health/agents").status, 200);
  server_.reset();
  const std::string serve = ServerProcess::DefaultBinary() + " serve --db " + Db() + " --listen ";
  const std::string port = std::to_string(ServerProcess::FreePort());
  const auto [rc, out] = Shell(serve + "127.evil.invalid:" + port);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_THAT(out, HasSubstr("cannot resolve"));

  // A name that looks loopback and resolves elsewhere, through a private /etc/hosts.
  const std::string address = NonLoopbackAddress();
  if (address.empty() || Shell("unshare -rm true").first != 0) {
    GTEST_SKIP() << "needs a non-loopback address and unshare -rm (mount namespaces)";
  }
  const std::string hosts = (dir_ / "hosts").string();
  std::ofstream(hosts) << address << " 127.evil.example\n";
  const auto [evil_rc, evil] =
      Shell("timeout 10 unshare -rm sh -c 'mount --bind " + hosts + " /etc/hosts && exec " + serve +
            "127.evil.example:" + port + "'");
  EXPECT_EQ(evil_rc, 1) << evil;  // 124: it served, in open mode
  EXPECT_THAT(evil, HasSubstr("bound to " + address + ", not a loopback address"));
  EXPECT_THAT(evil, Not(HasSubstr("mode=open")));
}

TEST_F(ServeAuthTest, MetricsShowProcessWideFiguresOnlyToTheOperator) {
  const std::string operator_key = KeyViaDatabase(Db(), "default", "admin").second;
  const std::string tenant_admin = KeyViaDatabase(Db(), "acme", "admin").second;
  const std::string tenant_read = KeyViaDatabase(Db(), "acme", "read").second;
  StartServer();
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", R"({"agent_id":"a1"})", tenant_admin).status,
            200);
  for (const std::string& key : {tenant_admin, tenant_read}) {
    const ClientResponse m = Call(Method::kGet, "/metrics", "", key);
    ASSERT_EQ(m.status, 200);
    EXPECT_THAT(m.body, HasSubstr("vitals_agent_health_status{agent_id=\"a1\"}"));
    for (const char* process_wide :
         {"vitals_ingest_executions_total", "vitals_http_responses_total",
          "vitals_store_commits_total", "vitals_stream_connections"}) {
      EXPECT_THAT(m.body, Not(HasSubstr(process_wide)));
    }
  }
  const ClientResponse m = Call(Method::kGet, "/metrics", "", operator_key);
  EXPECT_THAT(m.body, HasSubstr("vitals_ingest_executions_total{result=\"accepted\"} 1"));
  EXPECT_THAT(m.body, HasSubstr("vitals_store_commits_total"));
  EXPECT_THAT(m.body, Not(HasSubstr("a1")));  // the operator's own organization has no agents
}

}  // namespace
}  // namespace vitals::server::testing
