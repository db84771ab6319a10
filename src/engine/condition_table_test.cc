#include "engine/condition_table.h"

#include <gtest/gtest.h>

namespace vitals::engine {
namespace {

const core::Timestamp kT0 = core::FromMicros(1'767'225'600'000'000);

class ConditionTableTest : public ::testing::Test {
 protected:
  core::Status Set(ConditionTable& t, const ConditionKey& key, bool active,
                   core::AlertSeverity severity = core::AlertSeverity::kWarning,
                   core::Timestamp now = kT0) {
    core::AlertCondition c;
    c.active = active;
    c.severity = severity;
    c.message = "disk / is full";
    return t.Set(key, c, now, policy_, [this] { return "alert_" + std::to_string(++ids_); });
  }
  core::AlertPolicy policy_;
  int ids_ = 0;
  const ConditionKey disk_{"acme", core::AlertSource::kSystem, "host-1", "disk"};
};

TEST_F(ConditionTableTest, ChangesAreQueuedInOrderAndTakenOnce) {
  ConditionTable t(10);
  ASSERT_TRUE(Set(t, disk_, false).ok());  // a clear condition never seen: nothing
  EXPECT_TRUE(t.TakeChanges().empty());
  ASSERT_TRUE(Set(t, disk_, true).ok());
  ASSERT_TRUE(
      Set(t, disk_, true, core::AlertSeverity::kCritical, kT0 + std::chrono::seconds(1)).ok());
  ASSERT_TRUE(
      Set(t, disk_, false, core::AlertSeverity::kWarning, kT0 + std::chrono::seconds(2)).ok());
  const std::vector<core::AlertChange> changes = t.TakeChanges();
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].kind, core::AlertChangeKind::kRaised);
  EXPECT_EQ(changes[1].kind, core::AlertChangeKind::kEscalated);
  EXPECT_EQ(changes[2].kind, core::AlertChangeKind::kResolved);
  EXPECT_EQ(changes[0].alert.id, changes[2].alert.id);
  EXPECT_EQ(changes[0].alert.source_type, core::AlertSource::kSystem);
  EXPECT_EQ(changes[0].alert.source_id, "host-1");
  EXPECT_EQ(changes[0].alert.type, "disk");
  EXPECT_TRUE(t.TakeChanges().empty());
}

TEST_F(ConditionTableTest, SlotsAreBounded) {
  ConditionTable t(1);
  ASSERT_TRUE(Set(t, disk_, true).ok());
  ConditionKey other = disk_;
  other.type = "memory";
  EXPECT_EQ(Set(t, other, true).code(), core::StatusCode::kResourceExhausted);
  EXPECT_TRUE(Set(t, other, false).ok());  // clearing an unknown key costs nothing
}

TEST_F(ConditionTableTest, AcknowledgeFindsByIdWithinTheOrganization) {
  ConditionTable t(10);
  ASSERT_TRUE(Set(t, disk_, true).ok());
  (void)t.TakeChanges();
  EXPECT_FALSE(t.Acknowledge("other-org", "alert_1", "bob", kT0).ok());
  auto acked = t.Acknowledge("acme", "alert_1", "bob", kT0);
  ASSERT_TRUE(acked.ok());
  EXPECT_EQ(acked->acknowledged_by, "bob");
  ASSERT_EQ(t.TakeChanges().size(), 1u);
  ASSERT_TRUE(t.Acknowledge("acme", "alert_1", "eve", kT0).ok());  // twice: unchanged
  EXPECT_TRUE(t.TakeChanges().empty());
  EXPECT_EQ(t.Acknowledge("acme", "alert_9", "bob", kT0).status().code(),
            core::StatusCode::kNotFound);
}

TEST_F(ConditionTableTest, RestoreReopensWithoutAChange) {
  ConditionTable t(10);
  core::Alert a;
  a.id = "alert_42";
  a.organization_id = "acme";
  a.source_type = core::AlertSource::kDatabase;
  a.source_id = "pg-main";
  a.type = "database_down";
  a.severity = core::AlertSeverity::kCritical;
  a.raised_at = a.updated_at = kT0;
  ASSERT_TRUE(t.Restore(a).ok());
  EXPECT_TRUE(t.TakeChanges().empty());
  ASSERT_EQ(t.OpenAlerts("acme").size(), 1u);
  EXPECT_EQ(t.OpenCounts("acme")[static_cast<size_t>(core::AlertSeverity::kCritical)], 1);

  core::Alert agent = a;
  agent.source_type = core::AlertSource::kAgent;
  EXPECT_FALSE(t.Restore(agent).ok());
  core::Alert resolved = a;
  resolved.resolved_at = kT0;
  EXPECT_FALSE(t.Restore(resolved).ok());
}

}  // namespace
}  // namespace vitals::engine
