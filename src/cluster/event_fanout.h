// EventFanout: every node's stream messages (transitions, health updates, alerts) reach every
// other node's WebSocket and SSE clients (issue 16). Each node appends the messages its engine
// publishes to one Redis Stream, `vitals:events` (trimmed to about 100,000 entries), and reads
// everyone's from it, skipping its own. A stream rather than pub/sub: the client is
// request/reply, and a node that briefly loses Redis carries on from the last entry it read.
//
// Thread-safe. Owns two threads (publisher, reader). Delivery is best effort: a message that
// cannot reach Redis within about a minute of queueing is dropped and counted, as live updates
// are superseded by the next ones anyway.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cluster/redis_client.h"

namespace vitals::cluster {

inline constexpr std::string_view kEventsKey = "vitals:events";

// One stream message as the hub built it.
struct RelayedMessage {
  std::string origin;  // the node whose engine published it
  std::string organization_id;
  std::string type;      // "health:transition", "alert:raised", ...
  std::string agent_id;  // "" for organization-wide messages
  std::string data_json;
};

std::string EncodeRelayed(const RelayedMessage& m);
// InvalidArgument when `bytes` is not one.
core::Result<RelayedMessage> DecodeRelayed(std::string_view bytes);

class EventFanout final {
 public:
  using Deliver = std::function<void(const RelayedMessage&)>;

  // `deliver` runs on the reader thread for every other node's message.
  EventFanout(RedisEndpoint endpoint, std::string node_id, Deliver deliver);
  ~EventFanout();
  EventFanout(const EventFanout&) = delete;
  EventFanout& operator=(const EventFanout&) = delete;

  void Start();
  void Stop();
  // Queues this node's messages for the others; never blocks on Redis.
  void Publish(std::vector<RelayedMessage> messages);

  struct Stats {
    uint64_t published = 0;
    uint64_t received = 0;
    uint64_t dropped = 0;
  };
  Stats stats() const;

 private:
  void PublishLoop();
  void ReadLoop();

  const RedisEndpoint endpoint_;
  const std::string node_id_;
  const Deliver deliver_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<RelayedMessage> queue_;  // guarded by mu_
  bool stop_ = false;                 // guarded by mu_
  std::atomic<bool> stopping_{false};
  std::atomic<uint64_t> published_{0}, received_{0}, dropped_{0};
  std::thread publisher_;
  std::thread reader_;
};

}  // namespace vitals::cluster
