// ServerProcess: the real `vitals serve` binary as a child process on a free loopback port, for
// integration tests and benchmarks. Not for production use.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "core/status.h"

namespace vitals::server::testing {

class ServerProcess {
 public:
  // `binary`: path to vitals; `db`: database file, or a store URL (postgresql://...: the server
  // gets --store, its log goes to the temporary directory); `extra_args`: more serve flags.
  ServerProcess(std::string binary, std::string db, std::vector<std::string> extra_args = {});
  ~ServerProcess();  // kills the process if still running

  // Listens on `host` instead of 127.0.0.1: one that /readyz is still reached on through
  // 127.0.0.1 (0.0.0.0, localhost).
  void set_host(std::string host) { host_ = std::move(host); }
  // Starts on `port` (0: pick a free one) and waits until /readyz answers 200.
  core::Status Start(uint16_t port = 0,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // SIGTERM and wait (graceful); returns the exit status.
  int Stop();
  // SIGKILL: no chance to flush anything.
  void Kill();
  bool running() const { return pid_ > 0; }
  uint16_t port() const { return port_; }
  const std::string& log_path() const { return log_path_; }
  // The last lines of the server's output, for test failure messages.
  std::string LogTail(size_t bytes = 4000) const;

  static uint16_t FreePort();
  // Path of the vitals binary next to the test executables (build/vitals).
  static std::string DefaultBinary();

 private:
  std::string binary_;
  std::string db_;
  std::vector<std::string> extra_args_;
  std::string log_path_;
  std::string host_ = "127.0.0.1";
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

}  // namespace vitals::server::testing
