// Workspace scans on real temporary directories: thresholds, growth, budgets, validation.
#include "collect/workspace_scanner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace vitals::collect {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  explicit TempDir(const std::string& name)
      : path_(fs::temp_directory_path() /
              ("vitals-ws-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  void Grow(const std::string& relative, size_t bytes) {
    fs::create_directories((path_ / relative).parent_path());
    std::ofstream(path_ / relative, std::ios::binary | std::ios::app) << std::string(bytes, 'x');
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

WorkspaceSpec Spec(const std::string& path) {
  WorkspaceSpec s;
  s.organization_id = "acme";
  s.id = "ws";
  s.path = path;
  s.warning_bytes = 10'000;
  s.critical_bytes = 50'000;
  return s;
}

TEST(WorkspaceScannerTest, GrowsFromHealthyToWarningToCritical) {
  TempDir dir("grow");
  dir.Grow("a.txt", 4'000);
  core::FakeClock clock;
  WorkspaceScanner scanner(Spec(dir.path()), &clock);

  WorkspaceSample s = scanner.Scan();
  EXPECT_TRUE(s.exists && s.readable && s.writable && s.complete);
  EXPECT_EQ(s.size_bytes, 4'000);
  EXPECT_EQ(s.file_count, 1);
  EXPECT_EQ(s.status, WorkspaceSample::Status::kHealthy);
  EXPECT_FALSE(s.growth_bytes_per_hour.has_value());  // nothing to compare with yet
  EXPECT_TRUE(s.issues.empty());

  dir.Grow("sub/deeper/b.bin", 8'000);
  clock.Advance(core::Seconds(1800));
  s = scanner.Scan();
  EXPECT_EQ(s.size_bytes, 12'000);
  EXPECT_EQ(s.file_count, 2);
  EXPECT_EQ(s.directory_count, 3);
  EXPECT_EQ(s.status, WorkspaceSample::Status::kWarning);
  ASSERT_TRUE(s.growth_bytes_per_hour.has_value());
  EXPECT_DOUBLE_EQ(*s.growth_bytes_per_hour, 16'000.0);  // 8,000 bytes in half an hour
  ASSERT_EQ(s.issues.size(), 1u);
  // In a unit that fits the figures, not "0.00 GiB reaches warning 0.00 GiB" (F25).
  EXPECT_NE(s.issues[0].find("size 11.7 KiB reaches warning 9.8 KiB"), std::string::npos)
      << s.issues[0];

  dir.Grow("a.txt", 40'000);
  clock.Advance(core::Seconds(3600));
  s = scanner.Scan();
  EXPECT_EQ(s.size_bytes, 52'000);
  EXPECT_EQ(s.status, WorkspaceSample::Status::kCritical);
  EXPECT_DOUBLE_EQ(*s.growth_bytes_per_hour, 40'000.0);

  auto rows = WorkspaceMetricRows(scanner.spec(), s);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0].metric_name, "workspace_size");
  EXPECT_EQ(rows[0].resource_type, "workspace");
  EXPECT_EQ(rows[0].resource_id, "ws");
  EXPECT_EQ(rows[0].value, 52'000);
  EXPECT_EQ(rows[0].threshold_critical, 50'000);
  EXPECT_EQ(rows[0].status, "critical");
}

TEST(WorkspaceScannerTest, SymlinksAreNotFollowed) {
  TempDir dir("links");
  TempDir outside("outside");
  outside.Grow("big", 100'000);
  dir.Grow("small", 10);
  fs::create_directory_symlink(outside.path(), fs::path(dir.path()) / "link");
  fs::create_directory_symlink(dir.path(), fs::path(dir.path()) / "loop");
  core::FakeClock clock;
  WorkspaceSample s = WorkspaceScanner(Spec(dir.path()), &clock).Scan();
  EXPECT_TRUE(s.complete);
  EXPECT_EQ(s.size_bytes, 10);
  EXPECT_EQ(s.status, WorkspaceSample::Status::kHealthy);
}

TEST(WorkspaceScannerTest, EntryBudgetStopsAHugeTreeQuickly) {
  TempDir dir("huge");
  for (int d = 0; d < 20; ++d) {
    for (int f = 0; f < 100; ++f) dir.Grow("d" + std::to_string(d) + "/f" + std::to_string(f), 1);
  }
  WorkspaceSpec spec = Spec(dir.path());
  spec.max_entries = 500;  // the tree has 2,020 entries
  core::FakeClock clock;
  WorkspaceScanner scanner(spec, &clock);
  const auto started = std::chrono::steady_clock::now();
  WorkspaceSample s = scanner.Scan();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
  EXPECT_FALSE(s.complete);
  EXPECT_LT(s.file_count, 500);
  EXPECT_GT(s.file_count, 0);
  ASSERT_FALSE(s.issues.empty());
  EXPECT_NE(s.issues.back().find("lower bounds"), std::string::npos);
  clock.Advance(core::Seconds(60));
  EXPECT_FALSE(scanner.Scan().growth_bytes_per_hour.has_value());  // lower bounds: no rate

  spec.max_entries = 1'000'000;
  spec.time_budget = core::Duration(1);  // one microsecond: stops at the first clock check
  s = WorkspaceScanner(spec, &clock).Scan();
  EXPECT_FALSE(s.complete);
  EXPECT_LE(s.file_count, 64);
}

TEST(WorkspaceScannerTest, CancelEndsTheScan) {
  TempDir dir("cancel");
  for (int f = 0; f < 200; ++f) dir.Grow("f" + std::to_string(f), 1);
  std::atomic<bool> cancel{true};
  core::FakeClock clock;
  WorkspaceSample s = WorkspaceScanner(Spec(dir.path()), &clock).Scan(&cancel);
  EXPECT_FALSE(s.complete);
}

TEST(WorkspaceScannerTest, AMissingDirectoryIsAnError) {
  TempDir dir("vanish");
  core::FakeClock clock;
  WorkspaceScanner scanner(Spec(dir.path() + "/not-there"), &clock);
  WorkspaceSample s = scanner.Scan();
  EXPECT_FALSE(s.exists);
  EXPECT_EQ(s.status, WorkspaceSample::Status::kError);
  EXPECT_EQ(WorkspaceStatusName(s.status), "error");
  ASSERT_EQ(s.issues.size(), 1u);
  EXPECT_NE(s.issues[0].find("does not exist"), std::string::npos);
}

TEST(WorkspaceScannerTest, ValidationNamesTheField) {
  TempDir dir("valid");
  WorkspaceSpec s = Spec(dir.path());
  EXPECT_TRUE(s.Validate().ok());
  auto message = [](WorkspaceSpec spec) { return spec.Validate().message(); };
  WorkspaceSpec bad = s;
  bad.path = "";
  EXPECT_EQ(message(bad), "path: required");
  bad.path = "relative/dir";
  EXPECT_EQ(message(bad), "path: must be absolute, got relative/dir");
  bad.path = dir.path() + "/missing";
  EXPECT_EQ(message(bad).rfind("path: ", 0), 0u);
  EXPECT_TRUE(bad.ValidateFields().ok());  // the disk is not looked at
  bad = s;
  bad.warning_bytes = 0;
  EXPECT_EQ(message(bad), "warning_bytes: must be > 0");
  bad = s;
  bad.critical_bytes = -5;
  EXPECT_EQ(message(bad), "critical_bytes: must be > 0");
  bad = s;
  bad.warning_bytes = bad.critical_bytes + 1;
  EXPECT_EQ(message(bad), "warning_bytes: must not exceed critical_bytes");
  bad = s;
  bad.interval = core::Duration(0);
  EXPECT_EQ(message(bad), "interval_seconds: must be > 0");
  bad = s;
  bad.id = "";
  EXPECT_EQ(message(bad).rfind("id: ", 0), 0u);
}

}  // namespace
}  // namespace vitals::collect
