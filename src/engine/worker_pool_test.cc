#include "engine/worker_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <vector>

namespace vitals::engine {
namespace {

TEST(WorkerPool, RunsEveryTaskExactlyOnceAcrossManyRuns) {
  WorkerPool pool(3);
  EXPECT_EQ(pool.size(), 3);
  for (int run = 0; run < 200; ++run) {
    const size_t n = static_cast<size_t>(run % 37);
    std::vector<std::atomic<int>> hits(n);
    std::atomic<int> bad_worker{0};
    pool.Run(n, [&](size_t i, int w) {
      hits[i].fetch_add(1);
      if (w < 0 || w >= 3) bad_worker.fetch_add(1);
    });
    for (size_t i = 0; i < n; ++i) ASSERT_EQ(hits[i].load(), 1) << run << " " << i;
    EXPECT_EQ(bad_worker.load(), 0);
  }
}

TEST(WorkerPool, SingleThreadRunsOnTheCaller) {
  WorkerPool pool(1);
  std::set<int> workers;
  pool.Run(10, [&](size_t, int w) { workers.insert(w); });
  EXPECT_EQ(workers, std::set<int>{0});
}

}  // namespace
}  // namespace vitals::engine
