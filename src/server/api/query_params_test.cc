// KnownParams: unknown query parameters are refused by name (F22).
#include "server/api/query_params.h"

#include <gtest/gtest.h>

namespace vitals::server {
namespace {

HttpRequest WithQuery(std::vector<std::pair<std::string, std::string>> query) {
  HttpRequest r;
  r.query = std::move(query);
  return r;
}

TEST(QueryParamsTest, KnownParamsNamesTheUnknownOneAndListsTheAccepted) {
  EXPECT_TRUE(KnownParams(WithQuery({{"limit", "5"}, {"offset", "0"}}), {"limit", "offset"}).ok());
  EXPECT_TRUE(KnownParams(WithQuery({}), {}).ok());
  // Authentication parameters go with any endpoint.
  EXPECT_TRUE(KnownParams(WithQuery({{"token", "t"}, {"api_key", "k"}}), {}).ok());

  core::Status st =
      KnownParams(WithQuery({{"limit", "5"}, {"heartbeat", "failed"}}), {"limit", "offset"});
  EXPECT_EQ(st.code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message(), "heartbeat: unknown query parameter; this endpoint takes limit, offset");
  st = KnownParams(WithQuery({{"x", ""}}), {});
  EXPECT_EQ(st.message(), "x: unknown query parameter; this endpoint takes none");
}

}  // namespace
}  // namespace vitals::server
