// Ticker: a thread that calls Monitor::Tick() every tick interval until stopped.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "engine/monitor.h"

namespace vitals::engine {

class Ticker {
 public:
  // REQUIRES: `monitor` outlives the Ticker.
  Ticker(Monitor& monitor, core::Duration interval) : monitor_(monitor), interval_(interval) {}
  ~Ticker() { Stop(); }
  Ticker(const Ticker&) = delete;
  Ticker& operator=(const Ticker&) = delete;

  void Start();
  // Idempotent; returns once the thread has exited.
  void Stop();

 private:
  void Run();

  Monitor& monitor_;
  core::Duration interval_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace vitals::engine
