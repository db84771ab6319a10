// The resource registry and the delivery log: upsert keeps created_at, delete reports absence,
// listing spans organizations, and every read stays within its organization.
#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
namespace {

class StoreContractResourcesTest : public StoreContractTest {};

ResourceRecord Resource(std::string org, std::string kind, std::string id, std::string spec,
                        int64_t at_us) {
  return {std::move(org),  std::move(kind),         std::move(id),
          std::move(spec), core::FromMicros(at_us), core::FromMicros(at_us)};
}

TEST_P(StoreContractResourcesTest, PutReplacesTheSpecAndKeepsTheCreationTime) {
  ASSERT_TRUE(
      store_->PutResource(Resource("acme", "workspace", "w1", R"({"path":"/a"})", 10)).ok());
  ASSERT_TRUE(
      store_->PutResource(Resource("acme", "workspace", "w1", R"({"path":"/b"})", 20)).ok());
  ASSERT_TRUE(
      store_->PutResource(Resource("zeta", "workspace", "w1", R"({"path":"/z"})", 30)).ok());
  ASSERT_TRUE(store_->PutResource(Resource("acme", "check", "c1", "{}", 40)).ok());
  auto all = store_->ListResources("workspace");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].organization_id, "acme");
  EXPECT_EQ((*all)[0].spec_json, R"({"path":"/b"})");
  EXPECT_EQ(core::ToMicros((*all)[0].created_at), 10);
  EXPECT_EQ(core::ToMicros((*all)[0].updated_at), 20);
  EXPECT_EQ((*all)[1].organization_id, "zeta");
  EXPECT_EQ(store_->ListResources("check")->size(), 1u);
  EXPECT_TRUE(store_->ListResources("route")->empty());
}

TEST_P(StoreContractResourcesTest, DeleteIsPerOrganizationAndReportsAbsence) {
  ASSERT_TRUE(store_->PutResource(Resource("acme", "check", "c1", "{}", 1)).ok());
  EXPECT_EQ(store_->DeleteResource("zeta", "check", "c1").code(), core::StatusCode::kNotFound);
  EXPECT_EQ(store_->DeleteResource("acme", "workspace", "c1").code(), core::StatusCode::kNotFound);
  EXPECT_TRUE(store_->DeleteResource("acme", "check", "c1").ok());
  EXPECT_TRUE(store_->ListResources("check")->empty());
}

TEST_P(StoreContractResourcesTest, ResourcesSurviveReopening) {
  ASSERT_TRUE(store_->PutResource(Resource("acme", "route", "r1", R"({"x":1})", 5)).ok());
  ASSERT_TRUE(Reopen());
  auto routes = store_->ListResources("route");
  ASSERT_TRUE(routes.ok());
  ASSERT_EQ(routes->size(), 1u);
  EXPECT_EQ((*routes)[0].spec_json, R"({"x":1})");
}

TEST_P(StoreContractResourcesTest, DeliveryLogIsNewestFirstAndPerOrganization) {
  for (int i = 1; i <= 3; ++i) {
    DeliveryRecord d;
    d.organization_id = "acme";
    d.alert_id = i < 3 ? "alert_1" : "alert_2";
    d.route_id = "hook";
    d.change = "raised";
    d.attempt = i;
    d.outcome = i == 1 ? "retrying" : "delivered";
    d.detail = "HTTP " + std::to_string(i == 1 ? 500 : 200);
    d.at = core::FromMicros(i * 1000);
    ASSERT_TRUE(store_->RecordDelivery(d).ok());
  }
  auto all = store_->QueryDeliveries("acme", "", 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].alert_id, "alert_2");
  EXPECT_GT((*all)[0].id, (*all)[1].id);
  auto one = store_->QueryDeliveries("acme", "alert_1", 10);
  ASSERT_EQ(one->size(), 2u);
  EXPECT_EQ((*one)[1].attempt, 1);
  EXPECT_EQ((*one)[1].outcome, "retrying");
  EXPECT_EQ((*one)[1].detail, "HTTP 500");
  EXPECT_TRUE(store_->QueryDeliveries("zeta", "", 10)->empty());
  EXPECT_EQ(store_->QueryDeliveries("acme", "", 1)->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractResourcesTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), BackendName);

}  // namespace
}  // namespace vitals::store::testing
