#include "store/commit_health.h"

namespace vitals::store {

void CommitHealth::Record(const core::Status& failure) {
  if (failure.ok() && ok()) return;
  std::lock_guard lock(mu_);
  failure_ = failure;
  healthy_.store(failure.ok(), std::memory_order_release);
}

core::Status CommitHealth::Get() const {
  if (ok()) return core::Status::Ok();
  std::lock_guard lock(mu_);
  return failure_;
}

}  // namespace vitals::store
