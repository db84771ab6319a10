#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
std::string BackendName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kSqlite ? "sqlite" : "postgres";
}

void StoreContractTest::SetUp() {
  location_.kind = GetParam();
  if (GetParam() == StoreKind::kSqlite) {
    location_.sqlite_path = dir_.File("vitals.db");
  } else {
    pg_ = std::make_unique<PgTestDatabase>();
    if (pg_->url().empty()) {
      GTEST_SKIP() << "VITALS_TEST_POSTGRES_URL is not set (run under with_databases.sh)";
    }
    location_.postgres_url = pg_->url();
  }
  auto opened = OpenAnother();
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store_ = std::move(opened.value());
}

void StoreContractTest::TearDown() {
  Close();
  pg_.reset();
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
