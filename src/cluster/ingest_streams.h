// The ingest path between nodes (issue 16): a node that accepted an event for an agent another
// node owns forwards it, once it is durable in the store, to that node's inbox — a Redis Stream
// `vitals:inbox:<node>` read through the consumer group "vitals" — so the owner judges every
// agent's events, whichever node received them.
//
// Delivery is at least once: an entry is acknowledged (XACK) only after the handler returned, and
// a node re-reads its unacknowledged entries when it starts. Handlers must therefore be
// idempotent on the store's log id (ForwardedEvent::log_id). An entry carries up to 256 events
// (fields "e", one encoded ForwardedEvent each). Streams are trimmed to about
// `max_inbox_length` events: the store holds every event, so an owner that was away too long
// restores from it rather than from its inbox.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cluster/forwarded_event.h"
#include "cluster/redis_client.h"
#include "core/status.h"

namespace vitals::cluster {

std::string InboxKey(std::string_view node_id);

struct IngestStreamOptions {
  RedisEndpoint endpoint;
  std::string node_id;  // this node: the receiver reads InboxKey(node_id)
  size_t max_inbox_length = 1'000'000;
  int read_batch = 64;  // entries per XREADGROUP (each up to 256 events)
  int block_ms = 500;   // how long one read waits for new entries (bounds Stop())
};

// Thread-safe: one connection behind a mutex (sends are pipelined, one round trip per call).
class InboxSender final {
 public:
  explicit InboxSender(const IngestStreamOptions& options);

  // Appends `events` to `node_id`'s inbox. Blocking, bounded by the endpoint's timeout.
  // kUnavailable when Redis cannot be reached (the events stay durable in the store).
  core::Status Send(std::string_view node_id, std::span<const ForwardedEvent> events);

 private:
  const size_t max_length_;
  std::mutex mu_;
  RedisClient client_;  // guarded by mu_
};

struct InboxStats {
  uint64_t received = 0;   // entries handed to the handler
  uint64_t malformed = 0;  // entries that did not decode (acknowledged and dropped)
  uint64_t read_errors = 0;
};

class InboxReceiver final {
 public:
  // Called on the receiver's thread with a batch of decoded events in stream order; returns when
  // they are applied. The batch's entries are acknowledged after it returns.
  using Handler = std::function<void(std::vector<ForwardedEvent>& batch)>;

  InboxReceiver(IngestStreamOptions options, Handler handler);
  ~InboxReceiver();  // Stop()

  // Creates the group when missing and starts the thread: first the entries delivered before
  // and never acknowledged, then new ones. Redis unavailable is retried in the background
  // (backoff up to 2 s), counted in read_errors.
  void Start();
  // Returns within about block_ms plus the endpoint's timeout.
  void Stop();
  InboxStats stats() const;

 private:
  void Run();
  // One XREADGROUP from `from` ("0": own pending entries, ">": new ones) and its handling.
  // Returns how many entries it read, or an error.
  core::Result<size_t> ReadOnce(RedisClient& client, const std::string& from);

  const IngestStreamOptions options_;
  const Handler handler_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
  std::atomic<uint64_t> received_{0}, malformed_{0}, read_errors_{0};
};

}  // namespace vitals::cluster
