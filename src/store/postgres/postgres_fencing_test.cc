// Fencing in the PostgreSQL store (issue 16): once a node claims an agent under an epoch, the
// background writes of a store opened for another node (its health, history, transitions, alerts,
// checkpoint) are refused and counted; a claim of an older epoch changes nothing. Two stores on one
// real database stand for two nodes. Runs under with_databases.sh.
#include <gtest/gtest.h>

#include "core/clock.h"
#include "store/postgres/postgres_store.h"
#include "store/testing/pg_test_database.h"

namespace vitals::store {
namespace {

using Agents = std::vector<std::pair<std::string, std::string>>;

const core::Timestamp kAt = core::FromMicros(1'795'392'000'000'000);  // 2026-11-23T00:00:00Z

class PostgresFencingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (db_.url().empty()) GTEST_SKIP() << "VITALS_TEST_POSTGRES_URL is not set";
    a_ = Open("node-a");
    b_ = Open("node-b");
    ASSERT_TRUE(a_ && b_);
  }
  std::unique_ptr<Store> Open(const std::string& node) {
    PostgresOptions o;
    o.url = db_.url();
    o.clock = &clock_;
    o.read_connections = 1;
    o.writer_node = node;
    auto store = OpenPostgresStore(o);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(store.value()) : nullptr;
  }

  // One of each fenced background write for `agent`, marked with `score` / `marker`.
  static void WriteAll(Store& s, const std::string& agent, double score,
                       const std::string& marker) {
    HealthRecord h{"org", agent, {}};
    h.snapshot.score = score;
    h.snapshot.status = core::HealthStatus::kHealthy;
    h.snapshot.calculated_at = kAt;
    s.RecordHealth({h});
    TransitionRecord t;
    t.organization_id = "org";
    t.agent_id = agent;
    t.score = score;
    t.at = kAt;
    s.RecordTransitions({t});
    core::Alert alert;
    alert.organization_id = "org";
    alert.id = "alert_" + marker + "_" + agent;
    alert.source_id = agent;
    alert.type = "agent_critical";
    alert.message = marker;
    alert.raised_at = alert.updated_at = kAt;
    s.RecordAlerts({alert});
    s.SaveCheckpoints({Checkpoint{"org", agent, marker, 7, kAt}});
    s.Flush();
  }
  std::string Count(const std::string& sql) const { return db_.Query(sql); }
  // How many ClaimAgents claimed; 99 when it failed.
  static size_t Claim(Store& s, const std::string& node, uint64_t epoch, const Agents& agents) {
    auto claimed = s.ClaimAgents(node, epoch, agents);
    EXPECT_TRUE(claimed.ok()) << claimed.status().ToString();
    return claimed.ok() ? *claimed : 99;
  }
  std::string CheckpointOf(const std::string& agent) const {
    return db_.Query("SELECT convert_from(blob, 'UTF8') FROM agent_checkpoints WHERE agent_id = '" +
                     agent + "'");
  }

  testing::PgTestDatabase db_;
  core::FakeClock clock_{kAt};
  std::unique_ptr<Store> a_, b_;
};

TEST_F(PostgresFencingTest, WritesOfAnotherNodeForAClaimedAgentAreRefusedAndCounted) {
  auto claimed = a_->ClaimAgents("node-a", 5, Agents{{"org", "x"}, {"org", "x"}});
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  EXPECT_EQ(*claimed, 1u);  // the same agent twice is one claim

  WriteAll(*b_, "x", 11, "deposed");
  EXPECT_EQ(Count("SELECT count(*) FROM agent_health_realtime WHERE agent_id = 'x'"), "0");
  EXPECT_EQ(Count("SELECT count(*) FROM health_history_hourly WHERE agent_id = 'x'"), "0");
  EXPECT_EQ(Count("SELECT count(*) FROM health_transitions WHERE agent_id = 'x'"), "0");
  EXPECT_EQ(Count("SELECT count(*) FROM alerts WHERE source_id = 'x'"), "0");
  EXPECT_EQ(Count("SELECT count(*) FROM health_alerts WHERE resource_id = 'x'"), "0");
  EXPECT_EQ(CheckpointOf("x"), "");
  EXPECT_EQ(b_->Stats().fenced_rows, 4u);  // health, transition, alert, checkpoint
  EXPECT_EQ(b_->Stats().background_failures, 0u);

  WriteAll(*a_, "x", 22, "owner");
  EXPECT_EQ(Count("SELECT health_score FROM agent_health_realtime WHERE agent_id = 'x'"), "22");
  EXPECT_EQ(Count("SELECT count(*) FROM health_transitions WHERE agent_id = 'x'"), "1");
  EXPECT_EQ(Count("SELECT message FROM alerts WHERE source_id = 'x'"), "owner");
  EXPECT_EQ(Count("SELECT count(*) FROM health_alerts WHERE resource_id = 'x'"), "1");
  EXPECT_EQ(CheckpointOf("x"), "owner");
  EXPECT_EQ(a_->Stats().fenced_rows, 0u);
}

TEST_F(PostgresFencingTest, OnlyALaterEpochTakesAnAgentOver) {
  ASSERT_EQ(Claim(*a_, "node-a", 5, Agents{{"org", "x"}}), 1u);
  // Older and equal epochs of another node are refused; the owner may claim again at its epoch.
  EXPECT_EQ(Claim(*b_, "node-b", 4, Agents{{"org", "x"}}), 0u);
  EXPECT_EQ(Claim(*b_, "node-b", 5, Agents{{"org", "x"}}), 0u);
  EXPECT_EQ(Claim(*a_, "node-a", 5, Agents{{"org", "x"}}), 1u);
  WriteAll(*b_, "x", 11, "early");
  EXPECT_EQ(CheckpointOf("x"), "");

  // Epoch 6 moves it to node-b: from then on node-a is the deposed one.
  EXPECT_EQ(Claim(*b_, "node-b", 6, Agents{{"org", "x"}}), 1u);
  EXPECT_EQ(Claim(*a_, "node-a", 5, Agents{{"org", "x"}}), 0u);
  WriteAll(*a_, "x", 33, "deposed");
  WriteAll(*b_, "x", 44, "new-owner");
  EXPECT_EQ(Count("SELECT health_score FROM agent_health_realtime WHERE agent_id = 'x'"), "44");
  EXPECT_EQ(CheckpointOf("x"), "new-owner");
  EXPECT_EQ(Count("SELECT node_id || ':' || epoch FROM agent_owners WHERE agent_id = 'x'"),
            "node-b:6");
  EXPECT_EQ(a_->Stats().fenced_rows, 4u);
}

TEST_F(PostgresFencingTest, UnclaimedAgentsAndUnnamedWritersAreNotFenced) {
  ASSERT_EQ(Claim(*a_, "node-a", 5, Agents{{"org", "x"}}), 1u);
  WriteAll(*b_, "y", 11, "free");  // nobody claimed y
  EXPECT_EQ(CheckpointOf("y"), "free");

  PostgresOptions o;  // a store without a writer node (an operator's tool, a single node)
  o.url = db_.url();
  o.clock = &clock_;
  o.read_connections = 1;
  auto plain = OpenPostgresStore(o);
  ASSERT_TRUE(plain.ok());
  WriteAll(**plain, "x", 55, "operator");
  EXPECT_EQ(CheckpointOf("x"), "operator");
  EXPECT_EQ((*plain)->Stats().fenced_rows, 0u);
  EXPECT_EQ(b_->Stats().fenced_rows, 0u);
}

TEST_F(PostgresFencingTest, AgentIdsThatNeedQuotingAreClaimedExactly) {
  const Agents odd{
      {"org", "a\"b"}, {"org", "c\\d"}, {"org", "e,f"}, {"org", "{g}"}, {"o r g", " "}};
  ASSERT_EQ(Claim(*a_, "node-a", 3, odd), odd.size());
  EXPECT_EQ(Count("SELECT string_agg(organization_id || '/' || agent_id, '|' ORDER BY agent_id) "
                  "FROM agent_owners"),
            "o r g/ |org/a\"b|org/c\\d|org/e,f|org/{g}");
  WriteAll(*b_, "e,f", 1, "deposed");
  EXPECT_EQ(b_->Stats().fenced_rows, 4u);
}

TEST_F(PostgresFencingTest, AWriterNodeIdThatCannotBeASettingIsRefused) {
  PostgresOptions o;
  o.url = db_.url();
  o.writer_node = "node a";
  auto store = OpenPostgresStore(o);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace vitals::store
