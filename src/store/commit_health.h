// CommitHealth: the outcome of the writer's last group commit, for readiness. The writer records
// every commit; any thread reads it without waiting for the writer.
#pragma once

#include <atomic>
#include <mutex>
#include <string>

#include "core/status.h"

namespace vitals::store {

class CommitHealth {
 public:
  // `failure` is Ok after a commit that succeeded. Its message must be fit for clients (no path).
  void Record(const core::Status& failure);
  // Ok while the last commit succeeded; else why it failed. Lock-free while healthy.
  core::Status Get() const;
  bool ok() const { return healthy_.load(std::memory_order_acquire); }

 private:
  std::atomic<bool> healthy_{true};
  mutable std::mutex mu_;
  core::Status failure_;  // guarded by mu_
};

}  // namespace vitals::store
