// The runner against real loopback targets: a real HttpServer whose answers the test switches, a
// socket that accepts and never answers, a closed port, and a real SQLite store.
#include "server/checks/check_runner.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>

#include "server/checks/check_spec_json.h"
#include "server/http/test_handlers.h"
#include "store/sqlite/sqlite_store.h"

namespace vitals::server {
namespace {

using std::chrono::milliseconds;
using SteadyClock = std::chrono::steady_clock;
using testing::SilentListener;

struct Seen {
  std::string check_id;
  CheckOutcome outcome;
  SteadyClock::time_point when;
};

class RecordingSink final : public CheckSink {
 public:
  void OnCheckResult(const CheckSpec& spec, const CheckOutcome& outcome) override {
    std::lock_guard<std::mutex> lock(mu_);
    seen_.push_back({spec.id, outcome, SteadyClock::now()});
    changed_.notify_all();
  }
  // Waits for a result of `id` after index `from` that satisfies `pred`; returns its index.
  std::optional<size_t> WaitFor(const std::string& id, size_t from,
                                const std::function<bool(const CheckOutcome&)>& pred,
                                milliseconds timeout = milliseconds(10'000)) {
    std::unique_lock<std::mutex> lock(mu_);
    std::optional<size_t> found;
    changed_.wait_for(lock, timeout, [&] {
      for (size_t i = from; i < seen_.size(); ++i) {
        if (seen_[i].check_id == id && pred(seen_[i].outcome)) {
          found = i;
          return true;
        }
      }
      return false;
    });
    return found;
  }
  std::vector<Seen> Of(const std::string& id) const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<Seen> out;
    for (const Seen& s : seen_) {
      if (s.check_id == id) out.push_back(s);
    }
    return out;
  }
  Seen At(size_t i) const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_.at(i);
  }
  size_t size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_.size();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<Seen> seen_;
};

CheckSpec Spec(std::string id, std::string url, CheckKind kind = CheckKind::kHttp) {
  CheckSpec s;
  s.id = std::move(id);
  s.organization_id = "acme";
  s.target_id = "bot";
  s.kind = kind;
  s.url = std::move(url);
  s.interval = milliseconds(200);
  s.timeout = milliseconds(150);
  return s;
}

bool IsState(const CheckOutcome& o, CheckState s) { return o.state == s; }

class CheckRunnerTest : public ::testing::Test {
 protected:
  core::FakeClock clock_;
  RecordingSink sink_;
  std::unique_ptr<ProbeClient> prober_ = ProbeClient::Create(2);
};

// The targets here are on loopback.
CheckRunnerOptions Loopback() {
  CheckRunnerOptions o;
  o.allow_private_targets = true;
  return o;
}

// The target answers according to `mode`: 0 healthy, 1 503, 2 wrong keyword, 3 bad JSON field.
TEST_F(CheckRunnerTest, HttpTargetGoesDownAfterRetriesAndUpAfterOneSuccess) {
  testing::TestServer target;
  std::atomic<int> mode{0};
  target.requests.set_reply([&mode](HttpRequest, Responder respond) {
    switch (mode.load()) {
      case 1:
        return respond(HttpResponse::Text(503, "busy"));
      case 2:
        return respond(HttpResponse::Json(200, R"({"status":"up","note":"sick"})"));
      case 3:
        return respond(HttpResponse::Json(200, R"({"status":"down","note":"healthy"})"));
      default:
        return respond(HttpResponse::Json(200, R"({"status":"up","note":"healthy"})"));
    }
  });
  CheckSpec spec = Spec("web", "http://127.0.0.1:" + std::to_string(target.server.port()) + "/");
  spec.retries = 2;
  spec.body_keyword = "healthy";
  spec.json_condition =
      JsonCondition{"status", JsonOp::kEq, {JsonScalar::Type::kString, {}, {}, "up"}};
  CheckRunner runner(&clock_, &sink_, Loopback());
  ASSERT_TRUE(runner.Put(spec).ok());
  ASSERT_TRUE(runner.Start(*prober_).ok());
  auto up =
      sink_.WaitFor("web", 0, [](const CheckOutcome& o) { return IsState(o, CheckState::kUp); });
  ASSERT_TRUE(up.has_value());

  const milliseconds down_within = spec.interval * (spec.retries + 1) + milliseconds(600);
  const std::vector<std::pair<int, std::string>> faults = {
      {1, "status 503, expected 200-399"},
      {2, "keyword 'healthy' not found"},
      {3, R"(json field status is "down", expected == "up")"}};
  for (const auto& [fault, reason] : faults) {
    const size_t from = sink_.size();
    const auto broken_at = SteadyClock::now();
    mode = fault;
    auto down = sink_.WaitFor("web", from,
                              [](const CheckOutcome& o) { return IsState(o, CheckState::kDown); });
    ASSERT_TRUE(down.has_value()) << reason;
    const Seen d = sink_.At(*down);
    EXPECT_LE(d.when - broken_at, down_within) << reason;
    EXPECT_TRUE(d.outcome.state_changed);
    EXPECT_EQ(d.outcome.consecutive_failures, 3);  // not before retries + 1 failures
    EXPECT_EQ(d.outcome.detail, reason);
    auto view = runner.Get("acme", "web");
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->state, CheckState::kDown);
    EXPECT_EQ(view->last_error, reason);

    const auto healed_at = SteadyClock::now();
    mode = 0;
    auto again = sink_.WaitFor("web", *down + 1,
                               [](const CheckOutcome& o) { return IsState(o, CheckState::kUp); });
    ASSERT_TRUE(again.has_value());
    const Seen u = sink_.At(*again);
    EXPECT_LE(u.when - healed_at, spec.interval + milliseconds(600));
    EXPECT_EQ(u.outcome.previous_state, CheckState::kDown);
    EXPECT_EQ(u.outcome.detail, "status 200");
  }
  runner.Stop();
  const size_t after_stop = sink_.size();
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(sink_.size(), after_stop);  // nothing reported after Stop
}

TEST_F(CheckRunnerTest, TcpCheckUpWhenListeningDownWhenRefused) {
  SilentListener listening;
  SilentListener closed;
  const uint16_t closed_port = closed.port();
  closed.Close();
  CheckRunner runner(&clock_, &sink_, Loopback());
  ASSERT_TRUE(
      runner.Put(Spec("open", "127.0.0.1:" + std::to_string(listening.port()), CheckKind::kTcp))
          .ok());
  ASSERT_TRUE(
      runner.Put(Spec("shut", "127.0.0.1:" + std::to_string(closed_port), CheckKind::kTcp)).ok());
  ASSERT_TRUE(runner.Start(*prober_).ok());
  auto up = sink_.WaitFor("open", 0, [](const CheckOutcome& o) { return o.success; });
  ASSERT_TRUE(up.has_value());
  EXPECT_EQ(sink_.At(*up).outcome.detail, "connected");
  EXPECT_EQ(sink_.At(*up).outcome.state, CheckState::kUp);
  auto down = sink_.WaitFor("shut", 0, [](const CheckOutcome&) { return true; });
  ASSERT_TRUE(down.has_value());
  EXPECT_EQ(sink_.At(*down).outcome.state, CheckState::kDown);  // retries 0: first failure
  EXPECT_EQ(sink_.At(*down).outcome.detail, "connect: Connection refused");
  EXPECT_EQ(sink_.At(*down).outcome.at, clock_.Now());  // stamped with the injected clock
}

TEST_F(CheckRunnerTest, HangingTargetsTimeOutWithoutDelayingOthers) {
  SilentListener silent;
  testing::TestServer healthy;
  CheckRunner runner(&clock_, &sink_, Loopback());
  constexpr int kHanging = 200;
  for (int i = 0; i < kHanging; ++i) {
    CheckSpec s =
        Spec("hang" + std::to_string(i), "http://127.0.0.1:" + std::to_string(silent.port()) + "/");
    s.interval = milliseconds(5000);
    s.timeout = milliseconds(1000);
    ASSERT_TRUE(runner.Put(s).ok());
  }
  ASSERT_TRUE(
      runner.Put(Spec("fine", "http://127.0.0.1:" + std::to_string(healthy.server.port()) + "/"))
          .ok());
  const auto start = SteadyClock::now();
  ASSERT_TRUE(runner.Start(*prober_).ok());
  // While all 200 hang, the healthy check keeps reporting on its interval.
  std::this_thread::sleep_for(milliseconds(900));
  const std::vector<Seen> fine = sink_.Of("fine");
  ASSERT_GE(fine.size(), 3u);
  for (size_t i = 1; i < fine.size(); ++i) {
    EXPECT_LT(fine[i].when - fine[i - 1].when, milliseconds(200 + 250)) << i;
    EXPECT_TRUE(fine[i].outcome.success);
  }
  for (int i = 0; i < kHanging; ++i) {
    const std::string id = "hang" + std::to_string(i);
    auto r = sink_.WaitFor(id, 0, [](const CheckOutcome&) { return true; });
    ASSERT_TRUE(r.has_value()) << id;
    const Seen s = sink_.At(*r);
    EXPECT_EQ(s.outcome.detail, "timeout after 1000 ms") << id;
    EXPECT_GE(s.when - start, milliseconds(950)) << id;
    EXPECT_LT(s.when - start, milliseconds(2500)) << id;
  }
}

TEST_F(CheckRunnerTest, WithoutTheOperatorsGrantALoopbackTargetIsNeverProbed) {
  testing::TestServer target;
  CheckRunner runner(&clock_, &sink_);
  ASSERT_TRUE(
      runner.Put(Spec("own", "http://localhost:" + std::to_string(target.server.port()) + "/"))
          .ok());
  ASSERT_TRUE(runner.Start(*prober_).ok());
  auto down = sink_.WaitFor("own", 0, [](const CheckOutcome& o) { return !o.success; });
  ASSERT_TRUE(down.has_value());
  EXPECT_NE(sink_.At(*down).outcome.detail.find("is a loopback address"), std::string::npos)
      << sink_.At(*down).outcome.detail;
  runner.Stop();
  EXPECT_FALSE(target.requests.last_request().has_value());
}

TEST_F(CheckRunnerTest, PutRemoveListAndHistory) {
  testing::TestServer target;
  CheckRunnerOptions options = Loopback();
  options.history_size = 3;
  options.max_checks = 3;
  CheckRunner runner(&clock_, &sink_, options);
  const std::string url = "http://127.0.0.1:" + std::to_string(target.server.port()) + "/";
  ASSERT_TRUE(runner.Put(Spec("b", url)).ok());
  ASSERT_TRUE(runner.Put(Spec("a", url)).ok());
  CheckSpec other = Spec("a", url);
  other.organization_id = "other";
  other.enabled = false;  // kept and listed, never probed
  ASSERT_TRUE(runner.Put(other).ok());
  EXPECT_EQ(runner.Put(Spec("c", url)).code(), core::StatusCode::kResourceExhausted);
  CheckSpec bad = Spec("d", url);
  bad.timeout = bad.interval;
  EXPECT_EQ(runner.Put(bad).code(), core::StatusCode::kInvalidArgument);

  const std::vector<CheckView> views = runner.List("acme");
  ASSERT_EQ(views.size(), 2u);
  EXPECT_EQ(views[0].spec.id, "a");
  EXPECT_EQ(views[0].state, CheckState::kPending);  // not started: nothing probed
  EXPECT_FALSE(views[0].last_checked.has_value());

  ASSERT_TRUE(runner.Start(*prober_).ok());
  ASSERT_TRUE(sink_.WaitFor("b", 0, [](const CheckOutcome&) { return true; }).has_value());
  ASSERT_TRUE(runner.Remove("acme", "b").ok());
  EXPECT_EQ(runner.Remove("acme", "b").code(), core::StatusCode::kNotFound);
  size_t next = 0;
  for (int n = 0; n < 4; ++n) {  // four results of "a", so the history of 3 is full
    auto r = sink_.WaitFor("a", next, [](const CheckOutcome&) { return true; });
    ASSERT_TRUE(r.has_value()) << n;
    next = *r + 1;
  }
  auto view = runner.Get("acme", "a");
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->history.size(), 3u);
  EXPECT_EQ(view->state, CheckState::kUp);
  EXPECT_EQ(view->status_code, 200);
  EXPECT_EQ(runner.Get("acme", "b").status().code(), core::StatusCode::kNotFound);
  auto disabled = runner.Get("other", "a");
  ASSERT_TRUE(disabled.ok());
  EXPECT_EQ(disabled->state, CheckState::kPending);
  EXPECT_TRUE(disabled->history.empty());
  const size_t b_results = sink_.Of("b").size();
  std::this_thread::sleep_for(milliseconds(450));
  EXPECT_EQ(sink_.Of("b").size(), b_results);  // removed: probed no more
}

TEST_F(CheckRunnerTest, LoadsChecksSavedInTheStore) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("vitals-checks-" + std::to_string(::getpid()) + ".db");
  std::filesystem::remove(path);
  {
    store::SqliteOptions o;
    o.path = path.string();
    o.clock = &clock_;
    auto store = store::OpenSqliteStore(o).value();
    const CheckSpec good = Spec("saved", "http://127.0.0.1:1/");
    ASSERT_TRUE(store
                    ->PutResource({"acme", "check", "saved", CheckSpecToJson(good), clock_.Now(),
                                   clock_.Now()})
                    .ok());
    ASSERT_TRUE(store
                    ->PutResource({"acme", "check", "broken", R"({"id":"broken"})", clock_.Now(),
                                   clock_.Now()})
                    .ok());
    CheckRunner runner(&clock_, &sink_, Loopback());
    auto summary = runner.LoadFrom(*store);
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(summary->loaded, 1);
    ASSERT_EQ(summary->errors.size(), 1u);
    EXPECT_EQ(summary->errors[0], "acme/broken: target_id: required");
    auto view = runner.Get("acme", "saved");
    ASSERT_TRUE(view.ok());
    EXPECT_EQ(view->spec.interval, milliseconds(200));
  }
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

}  // namespace
}  // namespace vitals::server
