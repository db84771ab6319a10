// IncidentTracker: the per-incident notification rules of issue 15, with explicit times.
#include "server/notify/incident_tracker.h"

#include <gtest/gtest.h>

#include <map>

#include "core/alert_slot.h"

namespace vitals::server {
namespace {

using core::AlertChangeKind;
using core::AlertSeverity;

const core::Timestamp kT0 = core::FromMicros(1'795'392'000'000'000);

core::Timestamp At(double seconds) {
  return kT0 + core::Millis(static_cast<int64_t>(seconds * 1000));
}

// Builds the changes of agent alerts the way AlertSlot emits them.
class Alerts {
 public:
  core::AlertChange Raise(std::string id, std::string type, double at,
                          AlertSeverity severity = AlertSeverity::kCritical, bool notify = true,
                          std::string agent = "a1") {
    core::Alert& a = alerts_[id];
    a.id = id;
    a.organization_id = "acme";
    a.source_id = std::move(agent);
    a.type = std::move(type);
    a.severity = severity;
    a.message = a.type + " on " + a.source_id;
    a.raised_at = At(at);
    a.updated_at = At(at);
    if (notify) a.last_notified_at = At(at);
    return {AlertChangeKind::kRaised, a, notify, notify ? "" : "cooldown"};
  }
  core::AlertChange Change(const std::string& id, AlertChangeKind kind, double at) {
    core::Alert& a = alerts_.at(id);
    a.updated_at = At(at);
    if (kind == AlertChangeKind::kResolved) {
      a.resolved_at = At(at);
      a.flapping = false;
    }
    if (kind == AlertChangeKind::kAcknowledged) a.acknowledged_at = At(at);
    if (kind == AlertChangeKind::kFlappingStarted) a.flapping = true;
    if (kind == AlertChangeKind::kFlappingStopped) a.flapping = false;
    const bool notify = kind == AlertChangeKind::kFlappingStarted ||
                        kind == AlertChangeKind::kFlappingStopped ||
                        (kind == AlertChangeKind::kResolved && a.last_notified_at);
    return {kind, a, notify, ""};
  }
  core::AlertChange Escalate(const std::string& id, AlertSeverity severity, double at) {
    alerts_.at(id).severity = severity;
    return Change(id, AlertChangeKind::kEscalated, at);
  }
  const core::Alert& operator[](const std::string& id) { return alerts_.at(id); }

 private:
  std::map<std::string, core::Alert> alerts_;
};

// "<change> <incident id> <alert count>" per incident change.
std::vector<std::string> Names(const std::vector<IncidentChange>& changes) {
  std::vector<std::string> out;
  for (const IncidentChange& c : changes) {
    out.push_back(std::string(IncidentChangeName(c.kind)) + " " + c.incident.id + " " +
                  std::to_string(c.incident.alerts.size()));
  }
  return out;
}

std::vector<std::string> Feed(IncidentTracker& t, std::vector<core::AlertChange> batch, double at) {
  return Names(t.OnChanges(batch, At(at)));
}

using V = std::vector<std::string>;

IncidentTracker Tracker(double window_s = 1, double cooldown_s = 300) {
  return IncidentTracker(
      IncidentTrackerOptions{core::Millis(static_cast<int64_t>(window_s * 1000)),
                             core::Millis(static_cast<int64_t>(cooldown_s * 1000))});
}

TEST(IncidentTrackerTest, AlertsRaisedWithinTheWindowJoinOneOpening) {
  IncidentTracker t = Tracker(1);
  Alerts a;
  EXPECT_TRUE(Feed(t, {a.Raise("alert_1", "health", 0)}, 0).empty());
  EXPECT_EQ(t.NextDue(), At(1));
  EXPECT_TRUE(
      Feed(t, {a.Raise("alert_2", "error_rate", 0.3), a.Raise("alert_3", "failures", 0.3)}, 0.3)
          .empty());
  EXPECT_EQ(t.pending_openings(), 1u);
  EXPECT_TRUE(t.Due(At(0.9)).empty());
  std::vector<IncidentChange> opened = t.Due(At(1));
  EXPECT_EQ(Names(opened), (V{"raised incident_1 3"}));
  EXPECT_EQ(opened[0].incident.cause, "health");
  EXPECT_EQ(opened[0].incident.title, "agent a1: health on a1");
  EXPECT_EQ(t.pending_openings(), 0u);
  // Afterwards, a member that does not raise the paging severity notifies no one.
  EXPECT_EQ(Feed(t, {a.Raise("alert_4", "slo_burn", 5)}, 5), (V{"updated incident_1 4"}));
  // Other agents are other incidents.
  EXPECT_TRUE(
      Feed(t, {a.Raise("alert_5", "health", 6, AlertSeverity::kCritical, true, "a2")}, 6).empty());
  EXPECT_EQ(Names(t.Due(At(7))), (V{"raised incident_5 1"}));
}

TEST(IncidentTrackerTest, FlushingSendsPendingOpeningsButNotSilentIncidents) {
  IncidentTracker t = Tracker(60);
  Alerts a;
  Feed(t, {a.Raise("alert_1", "heartbeat", 0)}, 0);
  Feed(t, {a.Raise("alert_2", "heartbeat", 0, AlertSeverity::kCritical, false, "a2")}, 0);
  EXPECT_EQ(Names(t.FlushOpenings(At(1))), (V{"raised incident_1 1"}));
  EXPECT_EQ(t.pending_openings(), 0u);
  EXPECT_EQ(t.open(), 2u);
}

TEST(IncidentTrackerTest, WindowZeroOpensWithTheBatchThatRaisedIt) {
  IncidentTracker t = Tracker(0);
  Alerts a;
  EXPECT_EQ(Feed(t, {a.Raise("alert_1", "heartbeat", 0), a.Raise("alert_2", "health", 0)}, 0),
            (V{"raised incident_1 2"}));
  EXPECT_EQ(Feed(t, {a.Raise("alert_3", "error_rate", 0.01, AlertSeverity::kWarning)}, 0.01),
            (V{"updated incident_1 3"}));
  EXPECT_FALSE(t.NextDue().has_value());
}

TEST(IncidentTrackerTest, EscalatesOnlyWhenThePagingSeverityRises) {
  IncidentTracker t = Tracker(0);
  Alerts a;
  EXPECT_EQ(Feed(t, {a.Raise("alert_1", "error_rate", 0, AlertSeverity::kWarning)}, 0),
            (V{"raised incident_1 1"}));
  EXPECT_EQ(Feed(t, {a.Raise("alert_2", "low_confidence", 1, AlertSeverity::kWarning)}, 1),
            (V{"updated incident_1 2"}));
  std::vector<IncidentChange> up =
      t.OnChanges(std::vector<core::AlertChange>{a.Raise("alert_3", "health", 2)}, At(2));
  EXPECT_EQ(Names(up), (V{"escalated incident_1 3"}));
  EXPECT_EQ(up[0].incident.severity, AlertSeverity::kCritical);
  EXPECT_EQ(up[0].incident.cause, "health");
  // failures is implied by critical health: listed, no notification, even when it escalates.
  EXPECT_EQ(Feed(t, {a.Raise("alert_4", "failures", 3, AlertSeverity::kWarning)}, 3),
            (V{"updated incident_1 4"}));
  EXPECT_EQ(Feed(t, {a.Escalate("alert_4", AlertSeverity::kCritical, 4)}, 4),
            (V{"updated incident_1 4"}));
}

// An agent that declares dependencies waits dependency_wait (10 s) before its opening, so an
// integration outage its check finds a few seconds later can still claim (hold) the incident.
TEST(IncidentTrackerTest, AgentsWithDependenciesWaitLonger) {
  IncidentTracker t = Tracker(1);
  Alerts a;
  const DependentAgents dependents = {{"acme", "a1"}};
  EXPECT_TRUE(t.OnChanges(
                   std::vector<core::AlertChange>{
                       a.Raise("alert_1", "health", 0),
                       a.Raise("alert_2", "health", 0, AlertSeverity::kCritical, true, "a2")},
                   At(0), dependents)
                  .empty());
  EXPECT_EQ(Names(t.Due(At(1))), (V{"raised incident_2 1"}));  // a2 has no dependencies
  EXPECT_TRUE(t.Due(At(9.9)).empty());
  EXPECT_EQ(Names(t.Due(At(10))), (V{"raised incident_1 1"}));
}

// A crash loop inside one open incident: critical, back to warning, critical again — the second
// rise is not above what was already sent, so it pages no one.
TEST(IncidentTrackerTest, EscalatesOncePerSeverityWhileOpen) {
  IncidentTracker t = Tracker(0);
  Alerts a;
  Feed(t, {a.Raise("alert_1", "low_confidence", 0, AlertSeverity::kWarning)}, 0);
  EXPECT_EQ(Feed(t, {a.Raise("alert_2", "heartbeat", 1, AlertSeverity::kCritical)}, 1),
            (V{"escalated incident_1 2"}));
  EXPECT_EQ(Feed(t, {a.Change("alert_2", AlertChangeKind::kResolved, 2)}, 2),
            (V{"updated incident_1 2"}));
  EXPECT_EQ(Feed(t, {a.Raise("alert_3", "heartbeat", 30, AlertSeverity::kCritical, false)}, 30),
            (V{"updated incident_1 3"}));
}

// A source reopening short incidents inside the cooldown (each cycle new alerts, so no alert
// flaps): after the first incident's opening and resolution, nothing while the loop goes on.
TEST(IncidentTrackerTest, ACrashLoopOfShortIncidentsStaysSilentAfterTheFirst) {
  IncidentTracker t = Tracker(1, 300);
  Alerts a;
  int sent = 0;
  int id = 0;
  for (int cycle = 0; cycle < 12; ++cycle) {  // 10 minutes of 25 s down, 25 s up
    const double down = cycle * 50.0;
    const std::string alert = "alert_" + std::to_string(++id);
    for (const IncidentChange& c :
         // As AlertSlot flags them: notified again once 300 s have passed since the last.
         t.OnChanges(std::vector<core::AlertChange>{a.Raise(alert, "heartbeat", down,
                                                            AlertSeverity::kCritical,
                                                            cycle == 0 || down - 25 >= 300)},
                     At(down))) {
      sent += c.kind != IncidentChangeKind::kUpdated;
    }
    for (const IncidentChange& c : t.Due(At(down + 2)))
      sent += c.kind != IncidentChangeKind::kUpdated;
    for (const IncidentChange& c : t.OnChanges(
             std::vector<core::AlertChange>{a.Change(alert, AlertChangeKind::kResolved, down + 25)},
             At(down + 25))) {
      sent += c.kind != IncidentChangeKind::kUpdated;
    }
  }
  EXPECT_EQ(sent, 2);  // the first cycle's opening and resolution
  EXPECT_TRUE(t.Due(At(3000)).empty());
}

TEST(IncidentTrackerTest, AnOpeningPagesOnlyForANotifiedNonImpliedRaise) {
  IncidentTracker t = Tracker(0);
  Alerts a;
  // The heartbeat's raise was in cooldown; health (implied by it) was notified: no page.
  EXPECT_TRUE(Feed(t,
                   {a.Raise("alert_1", "heartbeat", 0, AlertSeverity::kCritical, false),
                    a.Raise("alert_2", "health", 0)},
                   0)
                  .empty());
  EXPECT_EQ(t.open(), 1u);
  // A notified raise of a cause that is not implied pages the opening with everything in it.
  EXPECT_EQ(Feed(t, {a.Raise("alert_3", "integration_errors", 10)}, 10),
            (V{"raised incident_1 3"}));
}

TEST(IncidentTrackerTest, AnIncidentResolvedBeforeItsOpeningWasSentSendsNothing) {
  IncidentTracker t = Tracker(1);
  Alerts a;
  EXPECT_TRUE(Feed(t, {a.Raise("alert_1", "heartbeat", 0)}, 0).empty());
  EXPECT_TRUE(Feed(t, {a.Change("alert_1", AlertChangeKind::kResolved, 0.5)}, 0.5).empty());
  EXPECT_TRUE(t.Due(At(2)).empty());
  EXPECT_EQ(t.open(), 0u);
  EXPECT_EQ(t.pending_openings(), 0u);
}

TEST(IncidentTrackerTest, ResolvesOnceWhenTheLastAlertResolvesAndANewAlertOpensANewIncident) {
  IncidentTracker t = Tracker(0);
  Alerts a;
  Feed(t, {a.Raise("alert_1", "heartbeat", 0), a.Raise("alert_2", "health", 0)}, 0);
  EXPECT_EQ(Feed(t, {a.Change("alert_1", AlertChangeKind::kResolved, 5)}, 5),
            (V{"updated incident_1 2"}));
  std::vector<IncidentChange> done = t.OnChanges(
      std::vector<core::AlertChange>{a.Change("alert_2", AlertChangeKind::kResolved, 6)}, At(6));
  EXPECT_EQ(Names(done), (V{"resolved incident_1 2"}));
  EXPECT_EQ(done[0].incident.resolved_at, At(6));
  // A new incident; it opened within the cooldown of the last one's end, so it pages only once it
  // has lasted a cooldown (the source might be crash-looping).
  EXPECT_TRUE(Feed(t, {a.Raise("alert_3", "error_rate", 7)}, 7).empty());
  EXPECT_EQ(t.NextDue(), At(307));
  EXPECT_EQ(Names(t.Due(At(307))), (V{"raised incident_3 1"}));
}

TEST(IncidentTrackerTest, AnIncidentSilentForCooldownPagesOnceTheCooldownHasPassed) {
  IncidentTracker t = Tracker(0, 300);
  Alerts a;
  Feed(t, {a.Raise("alert_1", "heartbeat", 0)}, 0);
  EXPECT_EQ(Feed(t, {a.Change("alert_1", AlertChangeKind::kResolved, 1)}, 1),
            (V{"resolved incident_1 1"}));
  // Raised again within the cooldown: recorded, silent.
  EXPECT_TRUE(
      Feed(t, {a.Raise("alert_2", "heartbeat", 10, AlertSeverity::kCritical, false)}, 10).empty());
  // Steady once open for a whole cooldown (and a cooldown after the source's last notification).
  EXPECT_EQ(t.NextDue(), At(310));
  EXPECT_TRUE(t.Due(At(309)).empty());
  EXPECT_EQ(Names(t.Due(At(310))), (V{"raised incident_2 1"}));
  EXPECT_EQ(Feed(t, {a.Change("alert_2", AlertChangeKind::kResolved, 400)}, 400),
            (V{"resolved incident_2 1"}));
  // Silent and resolved within the cooldown: nothing at all.
  Feed(t, {a.Raise("alert_3", "heartbeat", 410, AlertSeverity::kCritical, false)}, 410);
  EXPECT_TRUE(Feed(t, {a.Change("alert_3", AlertChangeKind::kResolved, 420)}, 420).empty());
  EXPECT_TRUE(t.Due(At(2000)).empty());
}

TEST(IncidentTrackerTest, AFlapEpisodeNotifiesItsOpeningAndResolutionOnly) {
  IncidentTracker t = Tracker(0, 300);
  Alerts a;
  int notifications = 0;
  auto count = [&](const std::vector<IncidentChange>& changes) {
    for (const IncidentChange& c : changes) notifications += c.kind != IncidentChangeKind::kUpdated;
  };
  count(t.OnChanges(std::vector<core::AlertChange>{a.Raise("alert_1", "health", 0)}, At(0)));
  count(t.OnChanges(
      std::vector<core::AlertChange>{a.Change("alert_1", AlertChangeKind::kResolved, 10)}, At(10)));
  // It comes back within the cooldown, starts flapping and flaps for ten minutes.
  count(t.OnChanges(std::vector<core::AlertChange>{a.Raise("alert_2", "health", 20,
                                                           AlertSeverity::kCritical, false)},
                    At(20)));
  count(t.OnChanges(
      std::vector<core::AlertChange>{a.Change("alert_2", AlertChangeKind::kFlappingStarted, 30)},
      At(30)));
  for (int s = 40; s < 640; s += 10) count(t.Due(At(s)));
  EXPECT_EQ(notifications, 2);
  EXPECT_FALSE(t.NextDue().has_value()) << "no cooldown runs while it flaps";
  // It settles active: now it is a steady problem, and that is told once.
  std::vector<IncidentChange> settled = t.OnChanges(
      std::vector<core::AlertChange>{a.Change("alert_2", AlertChangeKind::kFlappingStopped, 640)},
      At(640));
  EXPECT_EQ(Names(settled), (V{"raised incident_2 1"}));
  EXPECT_FALSE(settled[0].incident.flapping);
}

// The real AlertSlot (cooldown 300 s, flap detection) drives the tracker: an agent whose health
// flips every 10 s for ten minutes, then recovers.
TEST(IncidentTrackerTest, ARealAlertSlotFlappingForTenMinutesIsAtMostTwoNotifications) {
  IncidentTracker t = Tracker(1, 300);
  core::AlertSlot slot;
  const core::AlertPolicy policy;
  int next = 0;
  const core::AlertSlot::IdFactory ids = [&] { return "alert_" + std::to_string(++next); };
  const core::AlertIdentity who{"acme", core::AlertSource::kAgent, "a1", "health"};
  std::vector<std::string> sent;
  auto record = [&](const std::vector<IncidentChange>& changes) {
    for (const IncidentChange& c : changes) {
      if (c.kind != IncidentChangeKind::kUpdated) sent.push_back(Names({c})[0]);
    }
  };
  for (int s = 0; s <= 600; s += 5) {
    core::AlertCondition c;
    c.active = s < 600 && (s / 10) % 2 == 0;
    c.severity = AlertSeverity::kCritical;
    c.message = "health critical";
    std::vector<core::AlertChange> batch;
    if (auto change = slot.Evaluate(c, who, At(s), policy, ids)) batch.push_back(*change);
    record(t.OnChanges(batch, At(s)));
  }
  for (int s = 605; s <= 1200; s += 5) {
    core::AlertCondition idle;  // recovered: inactive from now on
    std::vector<core::AlertChange> batch;
    if (auto change = slot.Evaluate(idle, who, At(s), policy, ids)) batch.push_back(*change);
    record(t.OnChanges(batch, At(s)));
  }
  // Its first opening and resolution; the rest is in cooldown or flapping, and settles resolved.
  EXPECT_EQ(sent, (V{"raised incident_1 1", "resolved incident_1 1"}));
  EXPECT_EQ(t.open(), 0u);
}

TEST(IncidentTrackerTest, FlappingOfAnOpenedIncidentIsAnUpdateOnly) {
  IncidentTracker t = Tracker(0);
  Alerts a;
  Feed(t, {a.Raise("alert_1", "health", 0)}, 0);
  std::vector<IncidentChange> flap = t.OnChanges(
      std::vector<core::AlertChange>{a.Change("alert_1", AlertChangeKind::kFlappingStarted, 5)},
      At(5));
  EXPECT_EQ(Names(flap), (V{"updated incident_1 1"}));
  EXPECT_TRUE(flap[0].incident.flapping);
  EXPECT_EQ(Feed(t, {a.Change("alert_1", AlertChangeKind::kFlappingStopped, 50)}, 50),
            (V{"updated incident_1 1"}));
}

TEST(IncidentTrackerTest, AnIncidentIsAcknowledgedWhenAllItsOpenAlertsAre) {
  IncidentTracker t = Tracker(0);
  Alerts a;
  Feed(t, {a.Raise("alert_1", "heartbeat", 0), a.Raise("alert_2", "health", 0)}, 0);
  std::vector<IncidentChange> one = t.OnChanges(
      std::vector<core::AlertChange>{a.Change("alert_1", AlertChangeKind::kAcknowledged, 1)},
      At(1));
  ASSERT_EQ(Names(one), (V{"updated incident_1 2"}));
  EXPECT_FALSE(one[0].incident.acknowledged);
  std::vector<IncidentChange> both = t.OnChanges(
      std::vector<core::AlertChange>{a.Change("alert_2", AlertChangeKind::kAcknowledged, 2)},
      At(2));
  ASSERT_EQ(Names(both), (V{"updated incident_1 2"}));
  EXPECT_TRUE(both[0].incident.acknowledged);
}

TEST(IncidentTrackerTest, SeededIncidentsResolveAfterARestartAndAreNotAnnouncedAgain) {
  IncidentTracker t = Tracker(1);
  Alerts a;
  a.Raise("alert_7", "heartbeat", 0);                                      // notified before
  a.Raise("alert_8", "health", 0);                                         // notified before
  a.Raise("alert_9", "health", 0, AlertSeverity::kCritical, false, "a2");  // in cooldown
  std::vector<core::Incident> opened = t.Seed({a["alert_7"], a["alert_8"], a["alert_9"]}, At(60));
  ASSERT_EQ(opened.size(), 1u);
  EXPECT_EQ(opened[0].id, "incident_7");
  EXPECT_EQ(opened[0].alerts.size(), 2u);
  EXPECT_TRUE(t.Due(At(61)).empty()) << "not re-announced";
  EXPECT_EQ(Feed(t, {a.Raise("alert_10", "error_rate", 70, AlertSeverity::kWarning)}, 70),
            (V{"updated incident_7 3"}));
  EXPECT_EQ(Feed(t,
                 {a.Change("alert_7", AlertChangeKind::kResolved, 80),
                  a.Change("alert_8", AlertChangeKind::kResolved, 80),
                  a.Change("alert_10", AlertChangeKind::kResolved, 80)},
                 80),
            (V{"updated incident_7 3", "updated incident_7 3", "resolved incident_7 3"}));
  // The silent one resolves silently.
  EXPECT_TRUE(Feed(t, {a.Change("alert_9", AlertChangeKind::kResolved, 90)}, 90).empty());
  EXPECT_EQ(t.open(), 0u);
}

}  // namespace
}  // namespace vitals::server
