#include "store/contract/store_contract_fixture.h"

#include <libpq-fe.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string_view>

namespace vitals::store::testing {
namespace {

constexpr char kPostgresUrlVariable[] = "VITALS_TEST_POSTGRES_URL";

// `url` with the database (the path after the authority) replaced by `database`; the query
// string, if any, is kept.
std::string WithDatabase(std::string_view url, std::string_view database) {
  const size_t scheme_end = url.find("://");
  const size_t authority = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const size_t query = url.find('?', authority);
  const size_t path = url.find('/', authority);
  const size_t path_start = path == std::string_view::npos || path > query ? query : path;
  std::string out(url.substr(0, path_start));
  out += "/";
  out += database;
  if (query != std::string_view::npos) out += url.substr(query);
  return out;
}

// Runs one statement on the server at `url` over a connection of its own; the error, if any.
core::Status ExecuteOnServer(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  core::Status status;
  if (PQstatus(conn) != CONNECTION_OK) {
    status = core::Status::Unavailable(std::string("connect: ") + PQerrorMessage(conn));
  } else {
    PGresult* result = PQexec(conn, sql.c_str());
    if (PQresultStatus(result) != PGRES_COMMAND_OK) {
      status = core::Status::IoError(sql + ": " + PQerrorMessage(conn));
    }
    PQclear(result);
  }
  PQfinish(conn);
  return status;
}

}  // namespace

std::string BackendName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kSqlite ? "sqlite" : "postgres";
}

void StoreContractTest::SetUp() {
  location_.kind = GetParam();
  if (GetParam() == StoreKind::kSqlite) {
    location_.sqlite_path = dir_.File("vitals.db");
  } else {
    const char* server_url = std::getenv(kPostgresUrlVariable);
    if (server_url == nullptr || *server_url == '\0') {
      GTEST_SKIP() << kPostgresUrlVariable << " is not set (run under with_databases.sh)";
    }
    ASSERT_NO_FATAL_FAILURE(CreatePostgresDatabase(server_url));
  }
  auto opened = OpenAnother();
  // TODO(lead): remove once the PostgreSQL store lands
  if (GetParam() == StoreKind::kPostgres &&
      opened.status().code() == core::StatusCode::kFailedPrecondition) {
    GTEST_SKIP() << opened.status().message();
  }
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store_ = std::move(opened.value());
}

void StoreContractTest::TearDown() {
  Close();
  if (database_.empty()) return;
  const core::Status dropped =
      ExecuteOnServer(server_url_, "DROP DATABASE IF EXISTS " + database_ + " WITH (FORCE)");
  EXPECT_TRUE(dropped.ok()) << dropped.ToString();
}

void StoreContractTest::CreatePostgresDatabase(const std::string& server_url) {
  static std::atomic<int> created{0};
  server_url_ = server_url;
  const std::string name = "vt_" + std::to_string(::getpid()) + "_" + std::to_string(created++);
  const core::Status status = ExecuteOnServer(server_url_, "CREATE DATABASE " + name);
  ASSERT_TRUE(status.ok()) << status.ToString();
  database_ = name;
  location_.postgres_url = WithDatabase(server_url_, database_);
}

void StoreContractTest::Close() { store_.reset(); }

bool StoreContractTest::Reopen() {
  Close();
  auto opened = OpenAnother();
  EXPECT_TRUE(opened.ok()) << opened.status().ToString();
  if (!opened.ok()) return false;
  store_ = std::move(opened.value());
  return true;
}

core::Result<std::unique_ptr<Store>> StoreContractTest::OpenAnother() const {
  StoreOpenOptions options;
  options.clock = &clock_;
  return OpenStore(location_, options);
}

std::vector<StoredExecution> StoreContractTest::Query(const ExecutionQuery& q) {
  auto rows = store_->QueryExecutions(q);
  EXPECT_TRUE(rows.ok()) << rows.status().ToString();
  return rows.ok() ? std::move(rows.value()) : std::vector<StoredExecution>();
}

}  // namespace vitals::store::testing
