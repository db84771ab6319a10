// `vitals serve` under faults (issue 14): kill -9 while clients ingest, and a disk that fills up.
// The contract in both: an execution acknowledged with a 2xx is never lost.
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "server/app/serve_test_support.h"

namespace vitals::server::testing {
namespace {

using namespace std::chrono_literals;

// The execution ids the server acknowledged, by agent.
class Acknowledged {
 public:
  void Add(const std::string& agent, const std::vector<std::string>& ids) {
    std::lock_guard lock(mu_);
    auto& set = by_agent_[agent];
    set.insert(ids.begin(), ids.end());
    count_ += ids.size();
  }
  std::map<std::string, std::set<std::string>> Snapshot() const {
    std::lock_guard lock(mu_);
    return by_agent_;
  }
  size_t count() const {
    std::lock_guard lock(mu_);
    return count_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::set<std::string>> by_agent_;
  size_t count_ = 0;
};

// One batch of `n` executions of `agent` with ids `prefix`-0 ...; `padding` bytes of summary each.
std::string Batch(const std::string& agent, const std::string& prefix, int n, size_t padding,
                  std::vector<std::string>* ids) {
  const std::string summary(padding, 'x');
  std::string body = "[";
  for (int i = 0; i < n; ++i) {
    ids->push_back(prefix + "-" + std::to_string(i));
    if (i) body += ",";
    body += R"({"agent_id":")" + agent + R"(","execution_id":")" + ids->back() +
            R"(","latency_ms":12,"input_summary":")" + summary + R"("})";
  }
  return body + "]";
}

// A client posting batches with fresh ids until stopped, recording what was acknowledged. Keeps
// trying through restarts; an unanswered or refused batch is never sent again.
class IngestClient {
 public:
  IngestClient(int number, uint16_t port, Acknowledged& acked, size_t padding = 0)
      : number_(number), port_(port), acked_(acked), padding_(padding) {}

  // Posts one batch; returns its HTTP status (0: no answer).
  int PostOnce(HttpClient& http) {
    const std::string agent =
        "fault-" + std::to_string(number_) + "-" + std::to_string(batches_ / 100);
    std::vector<std::string> ids;
    const std::string body =
        Batch(agent, "c" + std::to_string(number_) + "b" + std::to_string(batches_++), 20, padding_,
              &ids);
    Headers h;
    h.Add("Content-Type", "application/json");
    auto r = http.Request(Method::kPost, "/api/v1/executions", body, h, 5s);
    if (!r.ok()) {
      http.Close();
      return 0;
    }
    if (r->status / 100 == 2) acked_.Add(agent, ids);
    return r->status;
  }

  void Run(const std::atomic<bool>& stop) {
    HttpClient http("127.0.0.1", port_);
    while (!stop) {
      if (PostOnce(http) / 100 != 2) std::this_thread::sleep_for(20ms);
    }
  }

 private:
  const int number_;
  const uint16_t port_;
  Acknowledged& acked_;
  const size_t padding_;
  int batches_ = 0;
};

}  // namespace

class ServeFaultTest : public ServeTest {
 protected:
  // Every acknowledged execution is in the server's execution log.
  void ExpectAllFound(const Acknowledged& acked) {
    size_t missing = 0, found = 0;
    for (const auto& [agent, ids] : acked.Snapshot()) {
      auto r = Call(Method::kGet, "/api/v1/agents/" + agent + "/executions?limit=10000");
      ASSERT_EQ(r.status, 200) << r.body;
      std::set<std::string> stored;
      for (simdjson::dom::element e : Json(r)["executions"].get_array()) {
        stored.insert(Str(e["execution_id"]));
      }
      for (const std::string& id : ids) {
        if (stored.count(id)) {
          ++found;
        } else if (++missing <= 10) {
          ADD_FAILURE() << "acknowledged execution " << agent << "/" << id << " is lost";
        }
      }
    }
    EXPECT_EQ(missing, 0u) << "of " << acked.count() << " acknowledged";
    EXPECT_EQ(found, acked.count());
  }
};

TEST_F(ServeFaultTest, KillNineCyclesUnderConcurrentIngestLoseNothingAcknowledged) {
  constexpr int kCycles = 5;
  constexpr int kClients = 4;
  StartServer();
  const uint16_t port = server_->port();
  Acknowledged acked;
  std::atomic<bool> stop{false};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] { IngestClient(c, port, acked).Run(stop); });
  }
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    const size_t before = acked.count();
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    // Kill while batches are in flight: after this cycle has acknowledged some.
    while (acked.count() < before + 200 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
    }
    ASSERT_GT(acked.count(), before) << "no ingest acknowledged in cycle " << cycle;
    std::this_thread::sleep_for(300ms);
    server_->Kill();
    StartServer({}, port);
  }
  std::this_thread::sleep_for(500ms);  // ingest into the last incarnation too
  stop = true;
  for (std::thread& t : clients) t.join();
  ASSERT_GT(acked.count(), 0u);
  ExpectAllFound(acked);
}

// A tmpfs of its own for the database, unmounted at the end whatever happens.
class SmallDisk {
 public:
  SmallDisk(std::filesystem::path dir, const std::string& size) : dir_(std::move(dir)) {
    std::filesystem::create_directories(dir_);
    const std::string options = "size=" + size;
    mounted_ = ::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0;
    if (!mounted_) error_ = std::strerror(errno);
  }
  ~SmallDisk() {
    if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }
  // Writes a file until the disk refuses more.
  void Fill(const std::filesystem::path& file) {
    std::ofstream out(file, std::ios::binary);
    const std::string block(64 * 1024, 'f');
    while (out.write(block.data(), block.size()) && out.flush()) {
    }
  }

 private:
  std::filesystem::path dir_;
  bool mounted_ = false;
  std::string error_;
};

// Issue 11: while commits fail the server says so (ingest and /readyz 503, never a 2xx for what
// it did not store), and once space returns it recovers by itself.
TEST_F(ServeFaultTest, DiskFullAnswers503RecoversWhenSpaceReturnsAndLosesNothing) {
  if (::geteuid() != 0) GTEST_SKIP() << "disk-full test skipped: mounting a tmpfs needs root";
  SmallDisk disk(dir_ / "small", "16m");
  if (!disk.mounted()) GTEST_SKIP() << "disk-full test skipped: mount tmpfs: " << disk.error();
  server_ = std::make_unique<ServerProcess>(ServerProcess::DefaultBinary(),
                                            (dir_ / "small" / "vitals.db").string());
  StartServer();
  Acknowledged acked;
  IngestClient client(0, server_->port(), acked, 2000);
  HttpClient http("127.0.0.1", server_->port());
  for (int i = 0; i < 20; ++i) ASSERT_EQ(client.PostOnce(http), 200);

  disk.Fill(dir_ / "small" / "filler");
  int status = 200;
  for (int i = 0; i < 2000 && status / 100 == 2; ++i) status = client.PostOnce(http);
  EXPECT_EQ(status, 503) << "ingest on a full disk";
  EXPECT_EQ(Call(Method::kGet, "/readyz").status, 503) << "/readyz while commits fail";

  std::filesystem::remove(dir_ / "small" / "filler");
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
    status = client.PostOnce(http);
  }
  ASSERT_EQ(status, 200) << "ingest did not recover once space returned";
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client.PostOnce(http), 200);
  EXPECT_EQ(Call(Method::kGet, "/readyz").status, 200);
  ExpectAllFound(acked);

  server_->Kill();  // and what was acknowledged is on disk, not only in memory
  StartServer();
  ExpectAllFound(acked);
  server_.reset();  // before the tmpfs goes
}

}  // namespace vitals::server::testing
