// Checkpointer: copies WAL frames back into the database file (PASSIVE checkpoints) on a thread
// and connection of its own, so the copying and its fsync overlap the writer's next group
// instead of stalling it.
//
// A checkpoint that runs beside a writer never catches up with it, and SQLite restarts the WAL
// only after one does; so the writer itself finishes the job (a short PASSIVE checkpoint of the
// remaining frames) once the WAL passes a hard bound (see Writer).
#pragma once

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite/connection.h"

namespace vitals::store {

class Checkpointer {
 public:
  Checkpointer() = default;
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;
  ~Checkpointer() { Stop(); }

  core::Status Start(const std::string& path);
  // Asks for a checkpoint; returns at once. Requests while one runs merge into one.
  void Request();
  void Stop();

 private:
  void Run();

  Connection db_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool requested_ = false;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace vitals::store
