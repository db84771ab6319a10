#include "core/alert_slot.h"

#include <gtest/gtest.h>

namespace vitals::core {
namespace {

using std::chrono::seconds;

const Timestamp kT0 = FromMicros(1'767'225'600'000'000);

class AlertSlotTest : public ::testing::Test {
 protected:
  std::optional<AlertChange> Eval(bool active, Timestamp at,
                                  AlertSeverity sev = AlertSeverity::kWarning) {
    AlertCondition c{active, sev, active ? "bad" : "", "{}"};
    return slot_.Evaluate(c, who_, at, policy_,
                          [this] { return "alert_" + std::to_string(++ids_); });
  }

  AlertSlot slot_;
  AlertPolicy policy_;
  AlertIdentity who_{"org", AlertSource::kAgent, "agent-1", "health"};
  int ids_ = 0;
};

TEST_F(AlertSlotTest, RaisedOnceWhileTheConditionHolds) {
  auto raised = Eval(true, kT0);
  ASSERT_TRUE(raised);
  EXPECT_EQ(raised->kind, AlertChangeKind::kRaised);
  EXPECT_TRUE(raised->notify);
  EXPECT_EQ(raised->alert.id, "alert_1");
  EXPECT_EQ(raised->alert.source_id, "agent-1");
  EXPECT_EQ(raised->alert.type, "health");
  for (int i = 1; i < 5; ++i) EXPECT_FALSE(Eval(true, kT0 + seconds(i)));
  EXPECT_EQ(ids_, 1);
}

TEST_F(AlertSlotTest, ResolvedAutomaticallyWhenTheConditionClears) {
  Eval(true, kT0);
  auto resolved = Eval(false, kT0 + seconds(30));
  ASSERT_TRUE(resolved);
  EXPECT_EQ(resolved->kind, AlertChangeKind::kResolved);
  EXPECT_EQ(resolved->alert.resolved_at, kT0 + seconds(30));
  EXPECT_TRUE(resolved->notify);
  EXPECT_EQ(slot_.open_alert(), nullptr);
}

TEST_F(AlertSlotTest, CooldownHoldsBackTheNextNotification) {
  policy_.flap_detection = false;
  Eval(true, kT0);
  Eval(false, kT0 + seconds(10));
  auto again = Eval(true, kT0 + seconds(60));  // within 300 s of the last notification
  ASSERT_TRUE(again);
  EXPECT_EQ(again->kind, AlertChangeKind::kRaised);
  EXPECT_FALSE(again->notify);
  EXPECT_EQ(again->suppressed_reason, "cooldown");
  auto resolved = Eval(false, kT0 + seconds(70));
  EXPECT_FALSE(resolved->notify);  // its raise was never notified
  auto later = Eval(true, kT0 + seconds(400));
  EXPECT_TRUE(later->notify);
}

TEST_F(AlertSlotTest, EscalationNotifiesDeEscalationDoesNot) {
  Eval(true, kT0, AlertSeverity::kWarning);
  auto up = Eval(true, kT0 + seconds(1), AlertSeverity::kCritical);
  ASSERT_TRUE(up);
  EXPECT_EQ(up->kind, AlertChangeKind::kEscalated);
  EXPECT_TRUE(up->notify);
  EXPECT_EQ(up->alert.id, "alert_1");
  auto down = Eval(true, kT0 + seconds(2), AlertSeverity::kWarning);
  ASSERT_TRUE(down);
  EXPECT_EQ(down->kind, AlertChangeKind::kUpdated);
  EXPECT_FALSE(down->notify);
}

TEST_F(AlertSlotTest, Acknowledge) {
  EXPECT_FALSE(slot_.Acknowledge("ops", kT0));
  Eval(true, kT0);
  auto ack = slot_.Acknowledge("alice", kT0 + seconds(5));
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->kind, AlertChangeKind::kAcknowledged);
  EXPECT_EQ(ack->alert.acknowledged_by, "alice");
  EXPECT_EQ(ack->alert.acknowledged_at, kT0 + seconds(5));
  EXPECT_FALSE(slot_.Acknowledge("bob", kT0 + seconds(6)));
}

TEST_F(AlertSlotTest, FlappingStartSuppressesAndEndResolves) {
  std::vector<AlertChange> changes;
  Timestamp t = kT0;
  for (int i = 0; i < 21; ++i) Eval(false, t += seconds(1));
  for (int i = 0; i < 6; ++i) {
    if (auto c = Eval(i % 2 == 0, t += seconds(1))) changes.push_back(*c);
  }
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.front().kind, AlertChangeKind::kRaised);
  EXPECT_EQ(changes.back().kind, AlertChangeKind::kFlappingStarted);
  EXPECT_TRUE(changes.back().notify);
  ASSERT_NE(slot_.open_alert(), nullptr);
  EXPECT_TRUE(slot_.open_alert()->flapping);
  const std::string id = slot_.open_alert()->id;

  // While flapping: the alert stays open through clear evaluations and nothing is emitted.
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(Eval(i % 2 == 0, t += seconds(1)));
  ASSERT_NE(slot_.open_alert(), nullptr);
  EXPECT_EQ(slot_.open_alert()->id, id);

  // Settled and clear: flapping ends with the resolution, which is delivered.
  std::optional<AlertChange> end;
  for (int i = 0; i < 30 && !end; ++i) end = Eval(false, t += seconds(1));
  ASSERT_TRUE(end);
  EXPECT_EQ(end->kind, AlertChangeKind::kResolved);
  EXPECT_TRUE(end->notify);
  EXPECT_FALSE(slot_.flapping());
}

TEST_F(AlertSlotTest, FlappingStopsWhileStillActive) {
  Timestamp t = kT0;
  for (int i = 0; i < 8; ++i) Eval(i % 2 == 0, t += seconds(1));
  ASSERT_TRUE(slot_.flapping());
  std::optional<AlertChange> end;
  for (int i = 0; i < 30 && !end; ++i) end = Eval(true, t += seconds(1));
  ASSERT_TRUE(end);
  EXPECT_EQ(end->kind, AlertChangeKind::kFlappingStopped);
  EXPECT_FALSE(end->alert.flapping);
  ASSERT_NE(slot_.open_alert(), nullptr);
}

TEST_F(AlertSlotTest, RestoredAlertIsNotRaisedAgain) {
  Alert a;
  a.id = "alert_77";
  a.raised_at = kT0;
  a.last_notified_at = kT0;
  slot_.Restore(a);
  EXPECT_FALSE(Eval(true, kT0 + seconds(1)));
  EXPECT_EQ(slot_.open_alert()->id, "alert_77");
}

}  // namespace
}  // namespace vitals::core
