// The runner's threads, schedules and registry, with a recording sink.
#include "collect/collector_runner.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>

namespace vitals::collect {
namespace {

class RecordingSink final : public CollectorSink {
 public:
  void OnSystem(const SystemSample&) override {
    std::lock_guard lock(mu_);
    ++systems_;
  }
  void OnWorkspace(const WorkspaceSpec& spec, const WorkspaceSample&) override {
    std::lock_guard lock(mu_);
    workspaces_.push_back(spec.organization_id + "/" + spec.id);
  }
  void OnDatabase(const DatabaseSpec& spec, const DatabaseSample&) override {
    std::lock_guard lock(mu_);
    databases_.push_back(spec.organization_id + "/" + spec.id);
  }
  int systems() {
    std::lock_guard lock(mu_);
    return systems_;
  }
  size_t workspaces() {
    std::lock_guard lock(mu_);
    return workspaces_.size();
  }
  size_t databases() {
    std::lock_guard lock(mu_);
    return databases_.size();
  }

 private:
  std::mutex mu_;
  int systems_ = 0;
  std::vector<std::string> workspaces_, databases_;
};

template <typename F>
bool WaitFor(F done) {
  for (int i = 0; i < 400 && !done(); ++i) ::usleep(10'000);
  return done();
}

TEST(CollectorRunnerTest, RunsEachCollectorOnItsScheduleAndStops) {
  const std::string dir =
      std::filesystem::temp_directory_path() / ("vitals-runner-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  RecordingSink sink;
  core::FakeClock clock;
  CollectorRunnerOptions o;
  o.system_interval = core::Millis(50);
  CollectorRunner runner(o, &sink, &clock);
  WorkspaceSpec ws;
  ws.organization_id = "acme";
  ws.id = "w";
  ws.path = dir;
  ws.interval = core::Millis(50);
  ASSERT_TRUE(runner.AddWorkspace(ws).ok());
  ASSERT_TRUE(runner
                  .AddDatabase({"acme", "d", "sqlite://" + dir + "/none.db", core::Millis(50),
                                core::Millis(100)})
                  .ok());
  runner.Start();
  EXPECT_TRUE(WaitFor([&] { return sink.systems() >= 3; }));
  EXPECT_TRUE(WaitFor([&] { return sink.workspaces() >= 3 && sink.databases() >= 3; }));
  runner.Stop();
  EXPECT_TRUE(runner.LatestSystem().has_value());
  ASSERT_TRUE(runner.LatestWorkspace("acme", "w").has_value());
  EXPECT_EQ(runner.LatestWorkspace("acme", "w")->status, WorkspaceSample::Status::kHealthy);
  ASSERT_TRUE(runner.LatestDatabase("acme", "d").has_value());
  EXPECT_FALSE(runner.LatestDatabase("acme", "d")->up);
  const int after_stop = sink.systems();
  ::usleep(120'000);
  EXPECT_EQ(sink.systems(), after_stop);  // stopped means stopped
  std::filesystem::remove_all(dir);
}

TEST(CollectorRunnerTest, RegistryIsPerOrganizationAndBounded) {
  core::FakeClock clock;
  CollectorRunnerOptions o;
  o.max_databases = 2;
  CollectorRunner runner(o, nullptr, &clock);
  ASSERT_TRUE(runner.AddDatabase({"a", "x", "redis://h"}).ok());
  ASSERT_TRUE(runner.AddDatabase({"b", "x", "redis://h"}).ok());
  ASSERT_TRUE(runner.AddDatabase({"a", "x", "redis://other"}).ok());  // replaces
  EXPECT_EQ(runner.AddDatabase({"a", "y", "redis://h"}).code(),
            core::StatusCode::kResourceExhausted);
  ASSERT_EQ(runner.ListDatabases("a").size(), 1u);
  EXPECT_EQ(runner.ListDatabases("a")[0].spec.url, "redis://other");
  EXPECT_EQ(runner.RemoveDatabase("a", "y").code(), core::StatusCode::kNotFound);
  EXPECT_TRUE(runner.RemoveDatabase("b", "x").ok());
  EXPECT_TRUE(runner.ListDatabases("b").empty());
  EXPECT_EQ(runner.AddDatabase({"a", "z", "ftp://h"}).code(), core::StatusCode::kInvalidArgument);

  CollectorRunnerOptions off;
  off.workspaces_enabled = false;
  CollectorRunner no_workspaces(off, nullptr, &clock);
  WorkspaceSpec ws;
  ws.organization_id = "a";
  ws.id = "w";
  ws.path = "/tmp";
  EXPECT_EQ(no_workspaces.AddWorkspace(ws).code(), core::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace vitals::collect
