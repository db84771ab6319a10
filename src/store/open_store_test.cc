// The store URLs of `vitals serve --store` and `vitals keys --store`.
#include "store/open_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

namespace vitals::store {
namespace {

std::string ErrorOf(std::string_view url) {
  auto parsed = ParseStoreUrl(url);
  EXPECT_FALSE(parsed.ok()) << url;
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), core::StatusCode::kInvalidArgument) << url;
  return parsed.status().message();
}

TEST(ParseStoreUrl, SqliteAbsoluteAndRelativePaths) {
  auto abs = ParseStoreUrl("sqlite:///var/lib/vitals/vitals.db");
  ASSERT_TRUE(abs.ok()) << abs.status().ToString();
  EXPECT_EQ(abs->kind, StoreKind::kSqlite);
  EXPECT_EQ(abs->sqlite_path, "/var/lib/vitals/vitals.db");
  auto rel = ParseStoreUrl("sqlite://data/vitals.db");
  ASSERT_TRUE(rel.ok());
  EXPECT_EQ(rel->sqlite_path, "data/vitals.db");
}

TEST(ParseStoreUrl, DbFileIsTheSameAsItsSqliteUrl) {
  for (std::string_view file : {"vitals.db", "/tmp/x.db", "./a b.db"}) {
    EXPECT_EQ(SqliteStoreUrl(file), "sqlite://" + std::string(file));
  }
  auto parsed = ParseStoreUrl(SqliteStoreUrl("/tmp/x.db"));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->sqlite_path, "/tmp/x.db");
}

TEST(ParseStoreUrl, PostgresUrlsPassThroughWhole) {
  for (std::string_view url :
       {"postgresql://vitals:secret@db.internal:5432/vitals",
        "postgres://127.0.0.1/vitals?sslmode=disable", "postgresql:///vitals"}) {
    auto parsed = ParseStoreUrl(url);
    ASSERT_TRUE(parsed.ok()) << url << ": " << parsed.status().ToString();
    EXPECT_EQ(parsed->kind, StoreKind::kPostgres);
    EXPECT_EQ(parsed->postgres_url, url);
  }
}

TEST(ParseStoreUrl, AnythingElseIsRefusedNamingStore) {
  for (std::string_view url :
       {"", "vitals.db", "/var/lib/vitals.db", "sqlite://", "sqlite:/x.db", "mysql://root@h/db",
        "redis://127.0.0.1:6379", "SQLITE:///x.db", "sqlite:///x .db", "postgresql://h/db\n"}) {
    EXPECT_EQ(ErrorOf(url).rfind("store: ", 0), 0u) << url;
  }
  EXPECT_NE(ErrorOf("mysql://h/db").find("postgresql://"), std::string::npos);
}

TEST(ParseStoreUrl, ErrorsNeverShowThePassword) {
  const std::string message = ErrorOf("mysql://vitals:hunter2@h/db");
  EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  EXPECT_NE(message.find("vitals:***@h/db"), std::string::npos) << message;
}

TEST(RedactStoreUrl, HidesAuthorityAndQueryPasswords) {
  EXPECT_EQ(RedactStoreUrl("postgresql://u:p@h:5432/d"), "postgresql://u:***@h:5432/d");
  EXPECT_EQ(RedactStoreUrl("postgresql://h/d?user=u&password=p&sslmode=require"),
            "postgresql://h/d?user=u&password=***&sslmode=require");
  EXPECT_EQ(RedactStoreUrl("postgresql://h/d?password=p"), "postgresql://h/d?password=***");
  EXPECT_EQ(RedactStoreUrl("sqlite:///var/x.db"), "sqlite:///var/x.db");
}

TEST(OpenStore, OpensTheSqliteFileTheUrlNames) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("vitals-open-store-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto location = ParseStoreUrl(SqliteStoreUrl((dir / "v.db").string()));
  ASSERT_TRUE(location.ok());
  auto store = OpenStore(*location, StoreOpenOptions{});
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_TRUE((*store)->Health().ok());
  store->reset();
  EXPECT_TRUE(std::filesystem::exists(dir / "v.db"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vitals::store
