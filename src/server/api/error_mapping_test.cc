// Error mapping: storage failures reach the client without their details.
#include "server/api/error_mapping.h"

#include <gmock/gmock.h>
#include <sqlite3.h>

#include "server/api/handler_test_fixture.h"

namespace vitals::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(ErrorMappingTest, StorageAndInternalErrorsKeepTheirDetailsOutOfTheBody) {
  const HttpResponse io = ErrorResponse(
      core::Status::IoError("insert into executions: disk I/O error (/var/lib/vitals/x.db)"));
  EXPECT_EQ(io.status, 503);
  EXPECT_THAT(io.body, Not(HasSubstr("/var/lib/vitals")));
  EXPECT_THAT(io.body, Not(HasSubstr("executions")));
  EXPECT_THAT(io.body, HasSubstr("storage error"));
  EXPECT_THAT(io.body, HasSubstr(R"("code":"io_error")"));
  const HttpResponse internal = ErrorResponse(core::Status::Internal("open /srv/vitals.db: oops"));
  EXPECT_EQ(internal.status, 500);
  EXPECT_THAT(internal.body, Not(HasSubstr("/srv/vitals.db")));
  // Other errors still name the problem: they are about the request.
  EXPECT_THAT(ErrorResponse(core::Status::InvalidArgument("agent_id: required")).body,
              HasSubstr("agent_id: required"));
}

class StorageErrorTest : public testing::HandlerTest {};

TEST_F(StorageErrorTest, AFailingStoreReadAnswersWithoutTheDatabasePath) {
  services_->ready = true;
  ApiServer api(*services_);
  // Another connection breaks the table the handler reads.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir_ / "vitals.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "ALTER TABLE api_keys RENAME TO api_keys_gone", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  HttpRequest r;
  r.method = Method::kGet;
  r.target = r.path = "/api/v1/keys";
  std::promise<HttpResponse> p;
  api.Handle(std::move(r), [&p](HttpResponse resp) { p.set_value(std::move(resp)); });
  const HttpResponse response = p.get_future().get();
  EXPECT_GE(response.status, 500) << response.body;
  EXPECT_THAT(response.body, Not(HasSubstr(dir_.string())));
  EXPECT_THAT(response.body, Not(HasSubstr("api_keys")));
  EXPECT_THAT(response.body, HasSubstr("server log"));
}

}  // namespace
}  // namespace vitals::server
