// Four appending threads, two querying threads and a flushing (sealing) thread at once; the
// counts must come out exact.
#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include "store/contract/store_contract_fixture.h"

namespace vitals::store::testing {
namespace {

class StoreContractConcurrencyTest : public StoreContractTest {};

TEST_P(StoreContractConcurrencyTest, ConcurrentAppendsAndReadsCountExactly) {
  constexpr int kWriters = 4;
  constexpr int kBatches = 40;
  constexpr int kRows = 250;
  constexpr int kAgents = 10;
  const std::string orgs[] = {"acme", "globex"};
  std::atomic<bool> stop{false};
  std::atomic<int> read_errors{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&, r] {
      for (int n = 0; !stop.load(); ++n) {
        const std::string org = orgs[n % 2];
        const std::string agent = "agent-" + std::to_string((n + r) % kAgents);
        auto rows = store_->QueryExecutions(Q(org, agent).Limit(50));
        if (!rows.ok() || rows->size() > 50) ++read_errors;
        std::set<int64_t> ids;
        for (size_t i = 0; rows.ok() && i < rows->size(); ++i) {
          if (!ids.insert((*rows)[i].id).second) ++read_errors;  // a row seen twice mid-seal
          const auto& e = (*rows)[i].event;
          if (e.organization_id != org || e.agent_id != agent) ++read_errors;
          if (i > 0 && e.timestamp > (*rows)[i - 1].event.timestamp) ++read_errors;
        }
      }
    });
  }
  std::thread sealer([&] {
    while (!stop.load()) {
      store_->Flush();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::vector<std::vector<int64_t>> acked(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      for (int b = 0; b < kBatches; ++b) {
        std::vector<ExecutionWrite> rows;
        for (int i = 0; i < kRows; ++i) {
          const int n = (w * kBatches + b) * kRows + i;
          rows.push_back(
              MakeExecution(orgs[n % 2], "agent-" + std::to_string(n / 2 % kAgents), At(n)));
        }
        auto ids = Append(*store_, std::move(rows));
        acked[w].insert(acked[w].end(), ids.begin(), ids.end());
      }
    });
  }
  for (auto& t : writers) t.join();
  stop = true;
  for (auto& t : readers) t.join();
  sealer.join();
  EXPECT_EQ(read_errors.load(), 0);

  constexpr size_t kTotal = size_t{kWriters} * kBatches * kRows;
  std::set<int64_t> all;
  for (const auto& ids : acked) all.insert(ids.begin(), ids.end());
  ASSERT_EQ(all.size(), kTotal);
  std::vector<int64_t> paged;
  for (int64_t after = 0;;) {
    auto page = store_->ExecutionsAfter(after, 5000);
    ASSERT_TRUE(page.ok());
    if (page->empty()) break;
    for (const auto& r : *page) paged.push_back(r.id);
    after = page->back().id;
  }
  EXPECT_EQ(paged, std::vector<int64_t>(all.begin(), all.end()));
  size_t queried = 0;
  for (const std::string& org : orgs) {
    for (int a = 0; a < kAgents; ++a) {
      queried += Query(Q(org, "agent-" + std::to_string(a)).Limit(10'000)).size();
    }
  }
  EXPECT_EQ(queried, kTotal);
  EXPECT_EQ(store_->Stats().executions_written, kTotal);
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreContractConcurrencyTest,
                         ::testing::Values(StoreKind::kSqlite, StoreKind::kPostgres), BackendName);

}  // namespace
}  // namespace vitals::store::testing
