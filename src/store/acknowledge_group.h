// How a writer answers one group commit, whichever backend committed it.
#pragma once

#include <cstdint>
#include <vector>

#include "store/write_queue.h"

namespace vitals::store {

// Hands the group's acknowledgements (its execution and heartbeat `done` callbacks, with
// `status` and, on success, each batch's ids from `ids`, batch after batch) to `executor` — or
// runs them when there is none or it refuses — and then completes the group's jobs: job i with
// `status` when it failed, else with `jobs[i]` (Ok when `jobs` is shorter). Acknowledgements are
// handed on before jobs complete, so a caller that Flush()es after appending finds its
// acknowledgements already with the executor. Consumes the group's batches.
void AcknowledgeGroup(WriteGroup& group, const core::Status& status, std::vector<int64_t> ids,
                      const std::vector<core::Status>& jobs, const CompletionExecutor& executor);

}  // namespace vitals::store
