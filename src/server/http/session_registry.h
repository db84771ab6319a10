// Every open connection of a server, so that Stop() can close them and max_connections can be
// enforced.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace vitals::server {

// A connection the registry can close.
class Closable {
 public:
  virtual ~Closable() = default;
  // Closes the connection soon. Called from any thread, possibly more than once and after the
  // connection finished on its own; must not block.
  virtual void Shutdown() = 0;
};

// Thread-safety: every method is safe to call concurrently.
class SessionRegistry final {
 public:
  using Handle = std::list<std::weak_ptr<Closable>>::iterator;

  SessionRegistry() = default;
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;

  // Records an open connection; nullopt once CloseAll() ran (the caller then closes it itself).
  std::optional<Handle> Add(std::weak_ptr<Closable> session);
  // The connection finished. Call once per handle Add returned.
  void Remove(Handle handle);

  // Refuses further Adds and shuts down every registered connection.
  void CloseAll();
  // Waits until no connection is registered or `timeout` passes; returns whether it is empty.
  bool WaitEmpty(std::chrono::milliseconds timeout);

  size_t size() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable empty_;
  std::list<std::weak_ptr<Closable>> sessions_;
  size_t size_ = 0;
  bool closing_ = false;
};

// Owns one registration: removes it on Release() or destruction. Not thread-safe; lives in the
// session it registers and is touched only on that session's strand.
class Registration final {
 public:
  Registration() = default;
  ~Registration() { Release(); }
  Registration(const Registration&) = delete;
  Registration& operator=(const Registration&) = delete;

  // Returns false when the registry is closing (server stopping).
  bool Register(SessionRegistry* registry, std::weak_ptr<Closable> session);
  void Release();

 private:
  SessionRegistry* registry_ = nullptr;
  SessionRegistry::Handle handle_{};
};

}  // namespace vitals::server
