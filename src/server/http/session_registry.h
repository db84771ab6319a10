// Every open connection of a server, so that Stop() can close them, max_connections and the
// per-address cap can be enforced, and a connection that waits for a request can make room for
// a new one.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace vitals::server {

// A connection the registry can close.
class Closable {
 public:
  virtual ~Closable() = default;
  // Closes the connection soon. Called from any thread, possibly more than once and after the
  // connection finished on its own; must not block.
  virtual void Shutdown() = 0;
  // The server is stopping gracefully: finish what is owed, then close. Same contract as
  // Shutdown(); by default nothing (the connection is Shutdown() at the end of the stop).
  virtual void Drain() {}
  // Closes the connection to make room for another, unless it has meanwhile become busy (it was
  // chosen as sheddable). Same contract as Shutdown().
  virtual void Shed() { Shutdown(); }
};

// Thread-safety: every method is safe to call concurrently.
class SessionRegistry final {
  struct Entry {
    Entry(std::weak_ptr<Closable> session, std::string peer)
        : session(std::move(session)), peer(std::move(peer)) {}
    std::weak_ptr<Closable> session;
    const std::string peer;  // the client's address
    // 0: not sheddable; else the lower, the sooner it is shed (see Registration). Written by the
    // connection without the lock.
    std::atomic<int64_t> shed_rank{0};
  };

 public:
  using Handle = std::list<Entry>::iterator;

  SessionRegistry() = default;
  SessionRegistry(const SessionRegistry&) = delete;
  SessionRegistry& operator=(const SessionRegistry&) = delete;

  // Records an open connection from `peer`; nullopt once CloseAll() ran (the caller then closes
  // it itself).
  std::optional<Handle> Add(std::weak_ptr<Closable> session, const std::string& peer);
  // The connection finished. Call once per handle Add returned.
  void Remove(Handle handle);

  // Sheds the sheddable connection of lowest rank, so that a new one can take its place;
  // false when none is sheddable. The registry shrinks once that connection has finished.
  bool ShedOne();

  // Drain()s every registered connection.
  void DrainAll();
  // Refuses further Adds and shuts down every registered connection.
  void CloseAll();
  // Waits until no connection is registered or `timeout` passes; returns whether it is empty.
  bool WaitEmpty(std::chrono::milliseconds timeout);

  size_t size() const;
  // Open connections from `peer`.
  size_t CountFrom(const std::string& peer) const;

 private:
  mutable std::mutex mu_;
  std::condition_variable empty_;
  std::list<Entry> sessions_;
  std::vector<std::shared_ptr<Closable>> Open();  // REQUIRES: mu_ held

  std::unordered_map<std::string, size_t> per_peer_;
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
  bool Register(SessionRegistry* registry, std::weak_ptr<Closable> session,
                const std::string& peer);
  void Release();

  // What ShedOne may close, first to last: a connection that answered its last request and is
  // only lingering, then one waiting for a request's head, the longest waiting first. Nothing
  // else is shed.
  void MarkLingering();
  void MarkWaitingForHead();
  void MarkBusy();  // not sheddable

 private:
  void SetRank(int64_t rank);

  SessionRegistry* registry_ = nullptr;
  SessionRegistry::Handle handle_{};
};

}  // namespace vitals::server
