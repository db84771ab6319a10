// The `vitals` binary's client commands against a real `vitals serve` (F9-F14, F18): what a
// person or a script sees — output, exit codes, messages.
#include <sys/wait.h>

#include <fstream>
#include <sstream>

#include "server/app/serve_test_support.h"
#include "server/http/test_handlers.h"

namespace vitals::server::testing {
namespace {

struct CliResult {
  int rc = -1;
  std::string out, err;
};

class CliTest : public ServeTest {
 protected:
  // Runs `vitals ARGS` (a shell word list) and returns its exit code, stdout and stderr.
  CliResult Cli(const std::string& args, bool with_server = true) {
    const std::string out = (dir_ / "cli.out").string(), err = (dir_ / "cli.err").string();
    // The address by environment, so that it cannot end up after a `--`; without a server of
    // the test's own, nowhere a server could be listening.
    const std::string server = with_server && server_ ? "http://127.0.0.1:" + std::to_string(port())
                                                      : std::string("http://127.0.0.1:1");
    const std::string cmd = "cd " + dir_.string() + " && VITALS_SERVER=" + server + " " +
                            ServerProcess::DefaultBinary() + " " + args + " >" + out + " 2>" + err;
    const int status = std::system(cmd.c_str());
    CliResult r;
    r.rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = Slurp(out);
    r.err = Slurp(err);
    return r;
  }
  static std::string Slurp(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }
  static bool Has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

TEST_F(CliTest, RoutesAddListRemove) {
  StartServer();
  CliResult r =
      Cli("routes add pager --kind webhook --url http://127.0.0.1:9/hook "
          "--severity critical,warning --source-type agent --reminder-seconds 600");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "route pager added\n");
  r = Cli("routes add bad --kind webhook");  // no --url: the server names the field
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(Has(r.err, "HTTP 400: url: required")) << r.err;
  // A command route's program takes its own options: they come after --.
  r = Cli("routes add page-me --kind command -- /bin/echo --team agents");
  EXPECT_EQ(r.rc, 1);  // not granted here: the server says which flag would allow it
  EXPECT_TRUE(Has(r.err, "--allow-command-routes")) << r.err;
  r = Cli("routes list");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "pager")) << r.out;
  EXPECT_TRUE(Has(r.out, "http://127.0.0.1:9/hook")) << r.out;
  EXPECT_TRUE(Has(r.out, "critical,warning")) << r.out;
  EXPECT_TRUE(Has(r.out, "600")) << r.out;
  EXPECT_TRUE(Has(r.out, "1 route\n")) << r.out;
  r = Cli("routes list --json");
  simdjson::dom::parser p;
  simdjson::dom::element e;
  ASSERT_EQ(p.parse(r.out).get(e), simdjson::SUCCESS) << r.out;
  r = Cli("routes remove pager");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "route pager removed\n");
  EXPECT_TRUE(Has(Cli("routes list").out, "0 routes"));
}

TEST_F(CliTest, RoutesTestSendsOneNotificationAndSaysWhetherItArrived) {
  StartServer({"--allow-private-targets"});  // the receiver is on loopback
  TestServer receiver;
  std::mutex mu;
  std::vector<std::string> bodies;
  receiver.requests.set_reply([&](HttpRequest r, Responder respond) {
    {
      std::lock_guard lock(mu);
      bodies.push_back(r.body);
    }
    respond(HttpResponse::Text(200, "ok"));
  });
  const std::string url = "http://127.0.0.1:" + std::to_string(receiver.server.port()) + "/hook";
  ASSERT_EQ(Cli("routes add ops --kind webhook --url " + url).rc, 0);
  CliResult r = Cli("routes test ops");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "test notification delivered through ops\n");
  {
    std::lock_guard lock(mu);
    ASSERT_EQ(bodies.size(), 1u);
    EXPECT_TRUE(Has(bodies[0], "\"change\":\"test\"")) << bodies[0];
    EXPECT_TRUE(Has(bodies[0], "vitals test notification (route ops)")) << bodies[0];
  }
  // Nothing listens on port 9: the failure is named at once, without the route's retries.
  ASSERT_EQ(Cli("routes add dead --kind webhook --url http://127.0.0.1:9/hook").rc, 0);
  r = Cli("routes test dead");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(Has(r.err, "HTTP 502: route dead: the test notification was not delivered")) << r.err;
  r = Cli("routes test nothing-here");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(Has(r.err, "HTTP 404")) << r.err;
  EXPECT_TRUE(Has(r.err, "route nothing-here does not exist")) << r.err;
  r = Cli("deliveries --limit 5");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "2 deliveries")) << r.out;
}

TEST_F(CliTest, WindowsAddListRemove) {
  StartServer();
  CliResult r =
      Cli("windows add deploy --agent billing-bot,indexer --label agent_type=search "
          "--starts-at 2026-12-04T22:00:00Z --ends-at 2026-12-04T23:00:00Z");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "window deploy added\n");
  r = Cli("windows add broken --agent a --starts-at yesterday --ends-at 2026-12-04T23:00:00Z");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(Has(r.err, "starts_at")) << r.err;
  r = Cli("windows list");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "deploy")) << r.out;
  EXPECT_TRUE(Has(r.out, "billing-bot,indexer")) << r.out;
  EXPECT_TRUE(Has(r.out, "agent_type=search")) << r.out;
  EXPECT_TRUE(Has(r.out, "2026-12-04T22:00:00")) << r.out;
  EXPECT_TRUE(Has(r.out, "1 window\n")) << r.out;
  r = Cli("windows remove deploy");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(Cli("windows list").out, "0 windows"));
}

TEST_F(CliTest, DatabasesAndDeliveries) {
  StartServer({"--allow-paths", dir_.string()});
  const std::string db = (dir_ / "probed.db").string();
  std::ofstream(db).flush();
  CliResult r = Cli("databases add state sqlite://" + db + " --interval 5 --timeout-ms 1000");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "database state added\n");
  r = Cli("databases list");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "state")) << r.out;
  EXPECT_TRUE(Has(r.out, "1 database\n")) << r.out;
  ASSERT_EQ(Cli("databases remove state").rc, 0);
  EXPECT_TRUE(Has(Cli("databases list").out, "0 databases"));
  r = Cli("deliveries --limit 5");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "0 deliveries")) << r.out;
}

// F10: 2 when no server answers (scripts can tell "down" from "refused"), 1 for an HTTP error.
TEST_F(CliTest, ExitCodesTellUnreachableFromRefused) {
  CliResult r = Cli("status --server http://127.0.0.1:1", false);
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "cannot reach the vitals server")) << r.err;
  StartServer();
  r = Cli("routes remove nothing-here");
  EXPECT_EQ(r.rc, 1) << r.err;
}

// F11: one JSON document, which a script can load whole.
TEST_F(CliTest, StatusJsonIsOneDocument) {
  StartServer();
  CliResult r = Cli("status --json");
  ASSERT_EQ(r.rc, 0) << r.err;
  simdjson::dom::parser p;
  simdjson::dom::element e;
  ASSERT_EQ(p.parse(r.out).get(e), simdjson::SUCCESS) << r.out;
  EXPECT_TRUE(e["system"].is_object()) << r.out;
  EXPECT_TRUE(e["integrations"].is_array()) << r.out;
}

// F25: a message with quotes in it stays one parseable logfmt value.
TEST_F(CliTest, ServeLogLinesEscapeQuotesInMessages) {
  StartServer();
  const std::string escaped = R"x(mode=open (organization \"default\"))x";
  EXPECT_TRUE(Has(server_->LogTail(), escaped)) << server_->LogTail();
}

// F12: a short interval needs no --timeout-ms.
TEST_F(CliTest, ChecksAddWithAShortIntervalAlone) {
  StartServer();
  CliResult r = Cli("checks add x --agent a --tcp 127.0.0.1:1 --interval 5");
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_EQ(r.out, "check x added\n");
}

// F13: seed 003's words get a pointer to ours, and a non-zero exit.
TEST_F(CliTest, UnknownCommandsSuggestTheRightOne) {
  CliResult r = Cli("start", false);
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "unknown command 'start' (did you mean serve?)")) << r.err;
  r = Cli("add agent X", false);
  EXPECT_EQ(r.rc, 2);
  EXPECT_TRUE(Has(r.err, "did you mean agents add?")) << r.err;
}

// F14: a mistyped --db is refused, not created; list without --org shows every organization.
TEST_F(CliTest, KeysWithDbRefuseAMissingFileAndListEveryOrganization) {
  CliResult r = Cli("keys create --db typo.db --org acme --scope admin", false);
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(Has(r.err, "typo.db: no such database file (add --init")) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_ / "typo.db"));
  ASSERT_EQ(Cli("keys create --db k.db --init --org acme --scope admin", false).rc, 0);
  ASSERT_EQ(Cli("keys create --db k.db --org globex --scope read", false).rc, 0);
  r = Cli("keys list --db k.db", false);
  ASSERT_EQ(r.rc, 0) << r.err;
  EXPECT_TRUE(Has(r.out, "acme")) << r.out;
  EXPECT_TRUE(Has(r.out, "globex")) << r.out;
  r = Cli("keys list --db k.db --org globex", false);
  EXPECT_FALSE(Has(r.out, "acme")) << r.out;
}

// F18: a keyed server's 401 tells a CLI user how to give the key.
TEST_F(CliTest, UnauthenticatedNamesTheApiKeyOption) {
  KeyViaDatabase((dir_ / "vitals.db").string(), "acme", "admin");
  StartServer();
  CliResult r = Cli("status");
  EXPECT_EQ(r.rc, 1);
  EXPECT_TRUE(Has(r.err, "HTTP 401")) << r.err;
  EXPECT_TRUE(Has(r.err, "--api-key KEY or set VITALS_API_KEY")) << r.err;
}

}  // namespace
}  // namespace vitals::server::testing
