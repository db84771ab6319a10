#include "store/acknowledge_group.h"

#include <memory>
#include <span>

namespace vitals::store {
namespace {

struct Acknowledgements {
  std::vector<ExecutionBatch> executions;
  std::vector<HeartbeatBatch> heartbeats;
  core::Status status;
  std::vector<int64_t> ids;

  void Run() {
    size_t next = 0;  // the batch's first id in `ids`
    for (ExecutionBatch& batch : executions) {
      const size_t rows = batch.rows.size();
      if (batch.done) {
        batch.done(status, status.ok() ? std::span<const int64_t>(ids).subspan(next, rows)
                                       : std::span<const int64_t>());
      }
      next += rows;
    }
    for (HeartbeatBatch& batch : heartbeats) {
      if (batch.done) batch.done(status);
    }
  }
};

}  // namespace

void AcknowledgeGroup(WriteGroup& group, const core::Status& status, std::vector<int64_t> ids,
                      const std::vector<core::Status>& jobs, const CompletionExecutor& executor) {
  if (!group.executions.empty() || !group.heartbeats.empty()) {
    auto acks = std::make_shared<Acknowledgements>(Acknowledgements{
        std::move(group.executions), std::move(group.heartbeats), status, std::move(ids)});
    std::function<void()> task = [acks] { acks->Run(); };
    if (!executor || !executor(task)) task();
  }
  for (size_t i = 0; i < group.jobs.size(); ++i) {
    if (!group.jobs[i].done) continue;
    group.jobs[i].done(!status.ok() ? status : i < jobs.size() ? jobs[i] : core::Status::Ok());
  }
}

}  // namespace vitals::store
