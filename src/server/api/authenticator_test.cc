// Authenticator: open mode is decided by how the server started, never reopened by the keys.
#include "server/api/authenticator.h"

#include <gmock/gmock.h>

#include "server/api/handler_test_fixture.h"

namespace vitals::server {
namespace {

using store::KeyScope;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

class AuthenticatorTest : public testing::HandlerTest {
 protected:
  static HttpRequest Req(const std::string& key = "") {
    HttpRequest r;
    r.method = Method::kGet;
    r.target = r.path = "/api/health/agents";
    if (!key.empty()) r.headers.Add("Authorization", "Bearer " + key);
    return r;
  }
  // A key written straight to the store, as `vitals keys create --db` does.
  std::pair<std::string, store::ApiKeyRecord> StoreKey(const std::string& org) {
    auto made = Authenticator::NewKey(org, "ops", KeyScope::kAdmin, clock_.Now());
    EXPECT_TRUE(store_->CreateApiKey(made.second).ok());
    return made;
  }
  core::Status Check(Authenticator& auth, const std::string& key = "") {
    ctx_ = RequestContext{};
    return auth.Authenticate(Req(key), KeyScope::kAdmin, &ctx_);
  }
  RequestContext ctx_;
};

TEST_F(AuthenticatorTest, AServerStartedWithKeysStaysKeyedWhenTheLastIsRevoked) {
  const auto [secret, record] = StoreKey("acme");
  Authenticator auth(*store_, &clock_);
  EXPECT_FALSE(auth.starts_open());
  auth.PermitOpenMode();  // no effect: the server started keyed
  EXPECT_FALSE(auth.open());
  ASSERT_TRUE(Check(auth, secret).ok());
  EXPECT_EQ(ctx_.key_id, record.id);
  EXPECT_EQ(ctx_.organization_id, "acme");

  ASSERT_TRUE(store_->RevokeApiKey("acme", record.id, clock_.Now()).ok());
  auth.Invalidate();
  const core::Status anonymous = Check(auth);
  EXPECT_EQ(anonymous.code(), core::StatusCode::kUnauthenticated);
  EXPECT_THAT(anonymous.message(), HasSubstr("no active api key left"));
  EXPECT_EQ(Check(auth, secret).code(), core::StatusCode::kUnauthenticated);
  clock_.Advance(10s);
  auth.Poll();
  EXPECT_FALSE(auth.open());
  EXPECT_EQ(Check(auth).code(), core::StatusCode::kUnauthenticated);
}

TEST_F(AuthenticatorTest, OpenModeWaitsForPermissionAndEndsWithTheFirstKey) {
  Authenticator auth(*store_, &clock_);
  EXPECT_TRUE(auth.starts_open());
  EXPECT_FALSE(auth.open());
  EXPECT_EQ(Check(auth).code(), core::StatusCode::kUnavailable);  // not yet allowed
  auth.PermitOpenMode();
  EXPECT_TRUE(auth.open());
  ASSERT_TRUE(Check(auth).ok());
  EXPECT_EQ(ctx_.organization_id, "default");
  EXPECT_EQ(ctx_.scope, KeyScope::kAdmin);

  const auto [secret, record] = StoreKey("acme");
  auth.KeyCreated();  // as POST /api/v1/keys does
  EXPECT_FALSE(auth.open());
  EXPECT_EQ(Check(auth).code(), core::StatusCode::kUnauthenticated);
  ASSERT_TRUE(Check(auth, secret).ok());
  ASSERT_TRUE(store_->RevokeApiKey("acme", record.id, clock_.Now()).ok());
  auth.Invalidate();
  clock_.Advance(10s);
  auth.Poll();
  EXPECT_FALSE(auth.open());
  EXPECT_THAT(Check(auth).message(), HasSubstr("no active api key left"));
}

TEST_F(AuthenticatorTest, AKeyMadeByAnotherProcessEndsOpenModeWithinTheCacheTime) {
  Authenticator auth(*store_, &clock_);
  auth.PermitOpenMode();
  ASSERT_TRUE(Check(auth).ok());
  const auto [secret, record] = StoreKey("acme");  // no KeyCreated(): another process did it
  clock_.Advance(3s);
  auth.Poll();
  EXPECT_FALSE(auth.open());
  EXPECT_EQ(Check(auth).code(), core::StatusCode::kUnauthenticated);
  ASSERT_TRUE(store_->RevokeApiKey("acme", record.id, clock_.Now()).ok());
  clock_.Advance(3s);
  EXPECT_EQ(Check(auth).code(), core::StatusCode::kUnauthenticated);
}

TEST_F(AuthenticatorTest, ActiveKeyIdsLeaveOutRevokedKeysAndOtherOrganizations) {
  const std::string kept = StoreKey("acme").second.id;
  const std::string revoked = StoreKey("acme").second.id;
  StoreKey("beta");
  ASSERT_TRUE(store_->RevokeApiKey("acme", revoked, clock_.Now()).ok());
  auto ids = auth_->ActiveKeyIds("acme");
  ASSERT_TRUE(ids.ok());
  EXPECT_EQ(*ids, std::set<std::string>{kept});
}

}  // namespace
}  // namespace vitals::server
