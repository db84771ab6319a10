// ProbeGate: lets asynchronous completions reach their owner only while it is open, and lets the
// owner close it knowing that no completion runs afterwards. Boost-free; shared by the prober and
// the check runner.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <unordered_map>

namespace vitals::server {

// Thread-safe. Hold it by shared_ptr in every completion handler, so a handler that fires after
// its owner is gone finds the gate closed instead of a dangling owner.
class ProbeGate final {
 public:
  // True (and the caller is inside until Leave()) when the gate is open; false once closed.
  bool Enter();
  void Leave();
  // Registers a way to cancel pending work, run once by Close(). Returns an id for Untrack, or 0
  // when the gate is already closed (the work should not start).
  uint64_t Track(std::function<void()> cancel);
  void Untrack(uint64_t id);
  // Closes the gate, runs every tracked cancel, and blocks until no caller is between Enter and
  // Leave. Idempotent. Must not be called from inside Enter/Leave (it would wait for itself).
  void Close();
  bool closed() const;
  size_t tracked() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable idle_;
  bool closed_ = false;
  int inside_ = 0;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, std::function<void()>> cancels_;
};

}  // namespace vitals::server
