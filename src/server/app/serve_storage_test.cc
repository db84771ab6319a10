// `vitals serve` end to end against faults of its storage: the database file deleted while
// running, its permissions, and restarts in a crash loop.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "server/app/serve_test_support.h"

namespace vitals::server::testing {
namespace {

std::string Executions(int from, int n) {
  std::string body = "[";
  for (int i = 0; i < n; ++i) {
    if (i) body += ",";
    body += R"({"agent_id":"f","execution_id":"e)" + std::to_string(from + i) +
            R"(","status":"success","latency_ms":10})";
  }
  return body + "]";
}

unsigned ModeOf(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? st.st_mode & 0777 : 0;
}

// The executions replayed by each start so far, from the server's log, oldest first.
std::vector<int> ReplayedPerStart(const std::string& log_path) {
  std::ifstream in(log_path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string log = text.str();
  std::vector<int> out;
  static const std::regex kLine("replayed ([0-9]+) executions");
  for (std::sregex_iterator it(log.begin(), log.end(), kLine), end; it != end; ++it) {
    out.push_back(std::stoi((*it)[1].str()));
  }
  return out;
}

TEST_F(ServeTest, ADeletedDatabaseIsNoticedIngestAndReadinessAnswer503) {
  StartServer();
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Executions(0, 100)).status, 200);
  const std::string db = (dir_ / "vitals.db").string();
  ASSERT_EQ(::unlink(db.c_str()), 0);

  for (int i = 0; i < 3; ++i) {
    auto r = Call(Method::kPost, "/api/v1/executions", Executions(100 + i * 10, 10));
    EXPECT_EQ(r.status, 503) << r.body;
    EXPECT_TRUE(r.headers.Get("Retry-After").has_value());
    EXPECT_NE(r.body.find("deleted or replaced"), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find(dir_.string()), std::string::npos) << r.body;
  }
  auto ready = Call(Method::kGet, "/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_EQ(ready.body.find(dir_.string()), std::string::npos) << ready.body;
  EXPECT_NE(Call(Method::kGet, "/metrics").body.find("\nvitals_store_ready 0\n"),
            std::string::npos);
  EXPECT_NE(server_->LogTail().find("ERROR: the database file " + db), std::string::npos);
}

TEST_F(ServeTest, MetricsSayTheStoreIsReady) {
  StartServer();
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Executions(0, 5)).status, 200);
  EXPECT_EQ(Call(Method::kGet, "/readyz").status, 200);
  EXPECT_NE(Call(Method::kGet, "/metrics").body.find("\nvitals_store_ready 1\n"),
            std::string::npos);
}

TEST_F(ServeTest, TheDatabaseIsCreatedPrivateByServeAndByKeysCreate) {
  const mode_t old_umask = ::umask(022);
  StartServer();
  const std::string keys_db = (dir_ / "keys.db").string();
  const std::string cmd = ServerProcess::DefaultBinary() + " keys create --init --db " + keys_db +
                          " --org acme --scope admin --json > /dev/null";
  const int rc = std::system(cmd.c_str());
  ::umask(old_umask);
  ASSERT_EQ(rc, 0);
  ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Executions(0, 5)).status, 200);
  const std::string db = (dir_ / "vitals.db").string();
  for (const std::string& file : {db, db + "-wal", db + "-shm", keys_db}) {
    EXPECT_EQ(ModeOf(file), 0600u) << file;
  }
}

TEST_F(ServeTest, ACrashLoopReplaysEachExecutionOnce) {
  StartServer({"--checkpoint-interval", "3600"});  // only restores checkpoint
  for (int b = 0; b < 5; ++b) {
    ASSERT_EQ(Call(Method::kPost, "/api/v1/executions", Executions(b * 100, 100)).status, 200);
  }
  // A heartbeat makes the agent change at every restore, with nothing to replay.
  ASSERT_EQ(Call(Method::kPost, "/api/v1/heartbeats", R"({"agent_id":"f"})").status, 200);
  server_->Kill();
  StartServer();
  server_->Kill();
  StartServer();
  server_->Kill();
  StartServer();
  EXPECT_EQ(ReplayedPerStart(server_->log_path()), (std::vector<int>{0, 500, 0, 0}));
  auto agent = Json(Call(Method::kGet, "/api/health/agent/f"));
  EXPECT_EQ(int64_t(agent["windows"]["1h"]["total"]), 500);
}

}  // namespace
}  // namespace vitals::server::testing
