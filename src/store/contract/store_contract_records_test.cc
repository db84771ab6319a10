// Round trips of the agent registry, checkpoints, heartbeats and API keys, with every optional
// field both set and unset, and organization isolation of every query.
#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
namespace {

class StoreContractRecordsTest : public StoreContractTest {};

RegisteredAgent FullAgent(const std::string& org, const std::string& id) {
  RegisteredAgent a;
  a.organization_id = org;
  a.agent_id = id;
  core::AgentSettings& s = a.settings;
  s.name = "Support bot";
  s.type = "chat";
  s.thresholds = {0.97, 0.81, 2500.5, 9000.25, 4.5, 19.5, 7};
  core::HeartbeatConfig hb;
  hb.interval = std::chrono::milliseconds(2500);
  hb.failure_threshold = 4;
  hb.mode = core::HeartbeatMode::kAdaptive;
  hb.phi = {7.5, std::chrono::milliseconds(250), std::chrono::seconds(3), 64};
  hb.history_size = 77;
  s.heartbeat = hb;
  s.slo = {false, 0.995, 6.0, 42};
  s.stuck_after = std::chrono::seconds(90);
  s.paused = true;
  s.depends_on = {"openai", "db \"main\"", "ünï"};
  a.created_at = core::FromMicros(1'000'000);
  a.updated_at = core::FromMicros(2'000'001);
  return a;
}

TEST_P(StoreContractRecordsTest, AgentsRoundTripEverySetting) {
  RegisteredAgent full = FullAgent("org", "a1");
  RegisteredAgent bare;
  bare.organization_id = "org";
  bare.agent_id = "a0";
  ASSERT_TRUE(store_->UpsertAgent(full).ok());
  ASSERT_TRUE(store_->UpsertAgent(bare).ok());
  auto agents = store_->LoadAgents();
  ASSERT_TRUE(agents.ok());
  ASSERT_EQ(agents->size(), 2u);
  const RegisteredAgent& b = (*agents)[0];
  EXPECT_EQ(b.agent_id, "a0");
  EXPECT_EQ(b.settings.thresholds, core::HealthThresholds{});
  EXPECT_FALSE(b.settings.heartbeat.has_value());
  EXPECT_FALSE(b.settings.stuck_after.has_value());
  EXPECT_TRUE(b.settings.depends_on.empty());
  const RegisteredAgent& f = (*agents)[1];
  EXPECT_EQ(f.settings.name, full.settings.name);
  EXPECT_EQ(f.settings.type, full.settings.type);
  EXPECT_EQ(f.settings.thresholds, full.settings.thresholds);
  EXPECT_EQ(f.settings.heartbeat, full.settings.heartbeat);
  EXPECT_EQ(f.settings.slo, full.settings.slo);
  EXPECT_EQ(f.settings.stuck_after, full.settings.stuck_after);
  EXPECT_TRUE(f.settings.paused);
  EXPECT_EQ(f.settings.depends_on, full.settings.depends_on);
  EXPECT_EQ(f.created_at, full.created_at);
  EXPECT_EQ(f.updated_at, full.updated_at);
}

TEST_P(StoreContractRecordsTest, UpsertReplacesAndDeleteRemovesRegistrationAndCheckpoint) {
  RegisteredAgent a = FullAgent("org", "a");
  ASSERT_TRUE(store_->UpsertAgent(a).ok());
  a.settings.name = "renamed";
  a.settings.heartbeat.reset();
  ASSERT_TRUE(store_->UpsertAgent(a).ok());
  ASSERT_TRUE(store_->UpsertAgent(FullAgent("other", "a")).ok());
  store_->SaveCheckpoints({{"org", "a", "blob", 7, At(0)}, {"other", "a", "x", 8, At(0)}});
  auto agents = store_->LoadAgents();
  ASSERT_TRUE(agents.ok());
  ASSERT_EQ(agents->size(), 2u);
  EXPECT_EQ((*agents)[0].settings.name, "renamed");
  EXPECT_FALSE((*agents)[0].settings.heartbeat.has_value());
  ASSERT_TRUE(store_->DeleteAgent("org", "a").ok());
  EXPECT_EQ(store_->DeleteAgent("org", "a").code(), core::StatusCode::kNotFound);
  agents = store_->LoadAgents();
  ASSERT_EQ(agents->size(), 1u);
  EXPECT_EQ((*agents)[0].organization_id, "other");
  auto checkpoints = store_->LoadCheckpoints();
  ASSERT_TRUE(checkpoints.ok());
  ASSERT_EQ(checkpoints->size(), 1u);
  EXPECT_EQ((*checkpoints)[0].organization_id, "other");
}

TEST_P(StoreContractRecordsTest, CheckpointsAreReplacedPerAgent) {
  store_->SaveCheckpoints({{"o", "a", std::string("\0\1bin", 5), 10, At(1)}});
  store_->SaveCheckpoints(
      {{"o", "a", std::string("\0\2new", 5), 20, At(2)}, {"o", "b", "", 0, At(3)}});
  store_->Flush();
  auto loaded = store_->LoadCheckpoints();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 2u);
  for (const Checkpoint& c : *loaded) {
    if (c.agent_id == "a") {
      EXPECT_EQ(c.blob, std::string("\0\2new", 5));
      EXPECT_EQ(c.last_execution_id, 20);
      EXPECT_EQ(c.taken_at, At(2));
    } else {
      EXPECT_EQ(c.blob, "");
    }
  }
}

TEST_P(StoreContractRecordsTest, IntegrationCheckpointsAreKeptApartFromAgents) {
  store_->SaveCheckpoints({{"o", "crm", "agent", 5, At(1)},
                           {"o", "crm", "v1", 5, At(1), CheckpointKind::kIntegration}});
  store_->SaveCheckpoints({{"o", "crm", "v2", 9, At(2), CheckpointKind::kIntegration}});
  store_->Flush();
  auto loaded = store_->LoadCheckpoints();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 2u);
  for (const Checkpoint& c : *loaded) {
    if (c.kind == CheckpointKind::kIntegration) {
      EXPECT_EQ(c.blob, "v2");
      EXPECT_EQ(c.last_execution_id, 9);
      EXPECT_EQ(c.taken_at, At(2));
    } else {
      EXPECT_EQ(c.blob, "agent");
    }
  }
  // Deleting the agent of the same id leaves the integration's checkpoint.
  ASSERT_TRUE(store_->UpsertAgent(FullAgent("o", "crm")).ok());
  ASSERT_TRUE(store_->DeleteAgent("o", "crm").ok());
  ASSERT_EQ(store_->LoadCheckpoints()->size(), 1u);
}

TEST_P(StoreContractRecordsTest, HeartbeatsNewestFirstWithRangeLimitAndLatestPerAgent) {
  std::vector<StoredHeartbeat> rows;
  for (int i = 0; i < 10; ++i)
    rows.push_back({0, "o", "a", At(i * 1000), At(i * 1000 + 5), i == 9 ? R"({"v":1})" : ""});
  rows.push_back({0, "o", "b", At(500), At(501), ""});
  rows.push_back({0, "x", "a", At(99'000), At(99'001), ""});  // another organization
  ASSERT_TRUE(AppendHeartbeats(*store_, rows).ok());
  auto recent = store_->QueryHeartbeats("o", "a", At(3000), At(7000), 3);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ((*recent)[0].timestamp, At(7000));
  EXPECT_EQ((*recent)[2].timestamp, At(5000));
  EXPECT_EQ((*recent)[0].received_at, At(7005));
  auto all = store_->QueryHeartbeats("o", "a", std::nullopt, std::nullopt, 100);
  ASSERT_EQ(all->size(), 10u);
  EXPECT_GT((*all)[0].id, 0);
  EXPECT_EQ((*all)[0].metadata_json, R"({"v":1})");
  auto latest = store_->LatestHeartbeats();
  ASSERT_TRUE(latest.ok());
  ASSERT_EQ(latest->size(), 3u);
  for (const auto& h : *latest) {
    if (h.organization_id == "o" && h.agent_id == "a") {
      EXPECT_EQ(h.timestamp, At(9000));
    }
    if (h.organization_id == "x") {
      EXPECT_EQ(h.timestamp, At(99'000));
    }
  }
  // An older heartbeat arriving late does not replace the latest.
  ASSERT_TRUE(AppendHeartbeats(*store_, {{0, "o", "a", At(1), At(100'000), ""}}).ok());
  latest = store_->LatestHeartbeats();
  for (const auto& h : *latest) {
    if (h.organization_id == "o" && h.agent_id == "a") {
      EXPECT_EQ(h.timestamp, At(9000));
    }
  }
}

TEST_P(StoreContractRecordsTest, ApiKeysCreateFindListAndRevoke) {
  EXPECT_FALSE(*store_->HasActiveApiKeys());
  ApiKeyRecord k{"key_1", "o", "ci", KeyScope::kIngest, "hash1", At(1), std::nullopt};
  ASSERT_TRUE(store_->CreateApiKey(k).ok());
  EXPECT_EQ(store_->CreateApiKey(k).code(), core::StatusCode::kAlreadyExists);
  ApiKeyRecord dup_hash{"key_2", "o", "x", KeyScope::kRead, "hash1", At(2), std::nullopt};
  EXPECT_EQ(store_->CreateApiKey(dup_hash).code(), core::StatusCode::kAlreadyExists);
  ASSERT_TRUE(
      store_->CreateApiKey({"key_3", "x", "admin", KeyScope::kAdmin, "hash3", At(3), std::nullopt})
          .ok());
  EXPECT_TRUE(*store_->HasActiveApiKeys());
  auto found = store_->FindApiKeyByHash("hash1");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((**found).id, "key_1");
  EXPECT_EQ((**found).scope, KeyScope::kIngest);
  EXPECT_EQ((**found).name, "ci");
  EXPECT_EQ((**found).created_at, At(1));
  EXPECT_FALSE((**found).revoked_at.has_value());
  EXPECT_FALSE(store_->FindApiKeyByHash("nope")->has_value());
  auto listed = store_->ListApiKeys("o");
  ASSERT_EQ(listed->size(), 1u);
  auto all = store_->ListAllApiKeys();  // the operator's view: every organization
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].organization_id, "o");
  EXPECT_EQ((*all)[1].organization_id, "x");
  EXPECT_EQ(store_->RevokeApiKey("x", "key_1", At(9)).code(), core::StatusCode::kNotFound);
  ASSERT_TRUE(store_->RevokeApiKey("o", "key_1", At(9)).ok());
  ASSERT_TRUE(store_->RevokeApiKey("x", "key_3", At(10)).ok());
  EXPECT_EQ((*store_->FindApiKeyByHash("hash1"))->revoked_at, At(9));
  EXPECT_FALSE(*store_->HasActiveApiKeys());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractRecordsTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), BackendName);

}  // namespace
}  // namespace vitals::store::testing
