// Database probes without database servers: URL parsing and validation, SQLite files, nothing
// listening, and a listener that never answers.
#include "collect/database_probe.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>

namespace vitals::collect {
namespace {

// A socket listening on 127.0.0.1 that never accepts: connects succeed, replies never come.
class SilentListener {
 public:
  SilentListener() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&a), len), 0);
    EXPECT_EQ(::listen(fd_, 16), 0);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~SilentListener() { ::close(fd_); }
  int port() const { return port_; }

 private:
  int fd_ = -1;
  int port_ = 0;
};

int ClosedPort() {
  SilentListener l;
  return l.port();  // closed when `l` goes: nothing listens there any more
}

DatabaseSample ProbeUrl(const std::string& url, core::Duration timeout = core::Seconds(5)) {
  DatabaseSpec spec{"acme", "db", url, core::Seconds(30), timeout};
  EXPECT_TRUE(spec.Validate().ok()) << spec.Validate().message();
  core::FakeClock clock;
  return DatabaseProbe(spec, &clock).Probe();
}

TEST(DatabaseSpecTest, UrlsParseAndBadFieldsAreNamed) {
  auto pg = ParseDatabaseUrl("postgresql://bob:p%40ss@db.example:6543/app?sslmode=disable");
  ASSERT_TRUE(pg.ok());
  EXPECT_EQ(pg->kind, DatabaseKind::kPostgres);
  EXPECT_EQ(pg->user, "bob");
  EXPECT_EQ(pg->password, "p@ss");
  EXPECT_EQ(pg->host, "db.example");
  EXPECT_EQ(pg->port, 6543);
  EXPECT_EQ(pg->database, "app");
  auto redis = ParseDatabaseUrl("redis://:pw@[::1]/3");
  ASSERT_TRUE(redis.ok());
  EXPECT_EQ(redis->host, "::1");
  EXPECT_EQ(redis->port, 6379);
  EXPECT_EQ(redis->password, "pw");
  EXPECT_EQ(redis->database, "3");
  EXPECT_EQ(ParseDatabaseUrl("sqlite:///var/x.db")->path, "/var/x.db");

  auto message = [](std::string url) { return ParseDatabaseUrl(url).status().message(); };
  EXPECT_EQ(message("mysql://h/x").rfind("url: unknown scheme", 0), 0u);
  EXPECT_EQ(message("redis://h:0").rfind("url: bad port", 0), 0u);
  EXPECT_EQ(message("redis://h:x1").rfind("url: bad port", 0), 0u);
  EXPECT_EQ(message("redis://:pw@/0").rfind("url: missing host", 0), 0u);
  EXPECT_EQ(message("redis://h/db").rfind("url: redis database must be a number", 0), 0u);
  EXPECT_EQ(message("sqlite://relative.db").rfind("url: sqlite needs an absolute path", 0), 0u);
  EXPECT_EQ(message("").rfind("url: required", 0), 0u);

  DatabaseSpec spec{"acme", "db", "redis://h", core::Duration(0), core::Seconds(1)};
  EXPECT_EQ(spec.Validate().message(), "interval_seconds: must be > 0");
  spec.interval = core::Seconds(1);
  spec.timeout = core::Seconds(61);
  EXPECT_EQ(spec.Validate().message(), "timeout_ms: must be in (0, 60000]");

  EXPECT_EQ(RedactUrl("postgresql://bob:secret@h:5/db"), "postgresql://bob:***@h:5/db");
  EXPECT_EQ(RedactUrl("redis://h:5"), "redis://h:5");
}

TEST(DatabaseProbeTest, SqliteFileUpAndMissingFileDown) {
  const std::string path = std::filesystem::temp_directory_path() /
                           ("vitals-probe-" + std::to_string(::getpid()) + ".db");
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "CREATE TABLE t(x)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  DatabaseSample up = ProbeUrl("sqlite://" + path);
  EXPECT_TRUE(up.up) << up.error;
  EXPECT_EQ(up.kind, DatabaseKind::kSqlite);
  EXPECT_GT(up.round_trip_ms, 0);

  std::filesystem::remove(path);
  DatabaseSample down = ProbeUrl("sqlite://" + path);
  EXPECT_FALSE(down.up);
  EXPECT_NE(down.error.find("No such file"), std::string::npos) << down.error;
  EXPECT_FALSE(std::filesystem::exists(path));  // probing never creates the file

  auto rows = DatabaseMetricRows({"acme", "db", "sqlite://" + path}, down);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].metric_name, "database_up");
  EXPECT_EQ(rows[0].value, 0);
  EXPECT_EQ(rows[0].status, "critical");
}

TEST(DatabaseProbeTest, NothingListeningFailsFast) {
  const int port = ClosedPort();
  for (std::string scheme : {"redis", "postgresql"}) {
    const auto started = std::chrono::steady_clock::now();
    DatabaseSample s = ProbeUrl(scheme + "://127.0.0.1:" + std::to_string(port));
    EXPECT_FALSE(s.up) << scheme;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1)) << scheme;
    EXPECT_FALSE(s.error.empty());
  }
}

TEST(DatabaseProbeTest, ATargetThatNeverAnswersEndsAtTheTimeout) {
  SilentListener silent;
  for (std::string scheme : {"redis", "postgresql"}) {
    const auto started = std::chrono::steady_clock::now();
    DatabaseSample s =
        ProbeUrl(scheme + "://127.0.0.1:" + std::to_string(silent.port()), core::Millis(300));
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_FALSE(s.up) << scheme;
    EXPECT_NE(s.error.find("timed out"), std::string::npos) << scheme << ": " << s.error;
    EXPECT_GE(took, std::chrono::milliseconds(290)) << scheme;
    EXPECT_LT(took, std::chrono::milliseconds(1500)) << scheme;
  }
}

}  // namespace
}  // namespace vitals::collect
