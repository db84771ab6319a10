// Shared by the Notifier's tests: a real webhook receiver on loopback, and a fixture with a real
// SQLite delivery log, a fake clock and helpers that feed alert changes.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/http/test_handlers.h"
#include "server/notify/notifier.h"
#include "store/sqlite/sqlite_store.h"

namespace vitals::server::notify_testing {

using core::AlertChangeKind;
inline constexpr std::chrono::seconds kWait{10};

// A webhook endpoint that records what it receives and answers 500 to the first `failures`.
class Receiver {
 public:
  explicit Receiver(int failures = 0) : failures_(failures) {
    server_.requests.set_reply([this](HttpRequest r, Responder respond) {
      std::lock_guard<std::mutex> lock(mu_);
      requests_.push_back(r);
      respond(
          HttpResponse::Json(static_cast<int>(requests_.size()) <= failures_ ? 500 : 200, "{}"));
    });
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(server_.server.port()) + "/hook";
  }
  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  const int failures_;
  testing::TestServer server_;
  mutable std::mutex mu_;
  std::vector<HttpRequest> requests_;
};

inline std::string ChangeOf(const HttpRequest& r) {
  const size_t at = r.body.find("\"change\":\"");
  return at == std::string::npos ? "" : r.body.substr(at + 10, r.body.find('"', at + 10) - at - 10);
}

class NotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vitals-notify-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store::SqliteOptions o;
    o.path = (dir_ / "vitals.db").string();
    o.synchronous = "normal";
    o.read_connections = 1;
    o.cache_mb = 4;
    o.clock = &clock_;
    store_ = store::OpenSqliteStore(o).value();
  }
  void TearDown() override {
    notifier_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  Notifier& Make(NotifierOptions o = Fast()) {
    notifier_ = std::make_unique<Notifier>(*store_, &clock_, o);
    return *notifier_;
  }
  static NotifierOptions Fast() {
    NotifierOptions o;
    o.initial_backoff = std::chrono::milliseconds(20);
    o.repeat_check = std::chrono::milliseconds(50);
    o.stop_wait = std::chrono::milliseconds(2000);
    // The clock here is fake: openings go out with the batch that opened them.
    o.incident_window = core::Duration(0);
    o.dependency_wait = core::Duration(0);
    // The receivers and hooks here are on loopback and on this machine.
    o.allow_command_routes = true;
    o.allow_private_targets = true;
    return o;
  }
  DeliveryRoute Webhook(std::string id, std::string url) {
    DeliveryRoute r;
    r.organization_id = "acme";
    r.id = std::move(id);
    r.url = std::move(url);
    r.timeout = core::Seconds(2);
    return r;
  }
  // One change of agent `agent`'s alert (a critical heartbeat unless `type` says otherwise),
  // as one batch; remembered, so a later change of the same id keeps its raise time.
  void Send(AlertChangeKind kind, std::string alert_id = "alert_1", std::string agent = "a1",
            std::string type = "heartbeat", bool notify = true) {
    Deliver({Change(kind, std::move(alert_id), std::move(agent), std::move(type), notify)});
  }
  core::AlertChange Change(AlertChangeKind kind, std::string alert_id, std::string agent = "a1",
                           std::string type = "heartbeat", bool notify = true) {
    core::Alert& a = alerts_[alert_id];
    if (a.id.empty()) {
      a.id = alert_id;
      a.organization_id = "acme";
      a.severity = core::AlertSeverity::kCritical;
      a.source_id = std::move(agent);
      a.type = std::move(type);
      a.message = a.type == "heartbeat" ? "missed heartbeats" : a.type + " is bad";
      a.raised_at = clock_.Now();
    }
    a.updated_at = clock_.Now();
    if (kind == AlertChangeKind::kResolved) a.resolved_at = clock_.Now();
    if (kind == AlertChangeKind::kAcknowledged) a.acknowledged_at = clock_.Now();
    if (notify && kind == AlertChangeKind::kRaised) a.last_notified_at = clock_.Now();
    core::AlertChange c{};
    c.kind = kind;
    c.notify = notify;
    c.suppressed_reason = notify ? "" : "cooldown";
    c.alert = a;
    return c;
  }
  // The changes as one batch (one OnEvents call, as one engine tick publishes them).
  void Deliver(std::vector<core::AlertChange> changes) {
    std::vector<engine::EngineEvent> events;
    for (core::AlertChange& c : changes) {
      engine::EngineEvent e;
      e.kind = engine::EngineEventKind::kAlert;
      e.organization_id = "acme";
      e.agent_id = c.alert.source_id;
      e.alert = std::make_shared<const core::AlertChange>(std::move(c));
      e.at = clock_.Now();
      events.push_back(std::move(e));
    }
    notifier_->OnEvents(events);
  }
  // The delivery log of an incident (the log's alert_id column names it), oldest first, as
  // "route:change:attempt:outcome".
  std::vector<std::string> Log(const std::string& incident_id = "incident_1") {
    auto rows = store_->QueryDeliveries("acme", incident_id, 100);
    EXPECT_TRUE(rows.ok());
    std::vector<std::string> out;
    for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
      out.push_back(it->route_id + ":" + it->change + ":" + std::to_string(it->attempt) + ":" +
                    it->outcome);
    }
    return out;
  }
  std::string LastDetail(const std::string& incident_id = "incident_1") {
    auto rows = store_->QueryDeliveries("acme", incident_id, 1);
    return rows.ok() && !rows->empty() ? (*rows)[0].detail : "";
  }

  core::FakeClock clock_{core::FromMicros(1'795'392'000'000'000)};
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Notifier> notifier_;
  std::map<std::string, core::Alert> alerts_;  // by id: the state Send left each in
};

using V = std::vector<std::string>;

}  // namespace vitals::server::notify_testing
