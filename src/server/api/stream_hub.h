// StreamHub: the live streams. It listens to the engine, turns each event into JSON once, and
// fans it out to the WebSocket (/ws/health) and SSE (/api/v1/stream) connections of the event's
// organization — never another's. Messages:
//   {"id": 41, "type": "health_update" | "health_transition" | "alert_raised" |
//    "alert_acknowledged" | "alert_resolved" | ... | "health:update", "data": {...}}
// SSE carries the same JSON as `data:` with `id:` and `event:` lines, and resumes after a
// Last-Event-ID from a per-organization replay ring. WebSocket clients may send "ping" (answered
// "pong"), {"type":"ping"}, {"type":"subscribe","agents":["a1"]} (only those agents' events from
// then on; answered {"type":"subscribed","data":{"count":1}}, not with the ids) and
// {"type":"unsubscribe"} (all agents again); SSE clients subscribe with ?agents=a1,a2. A slow
// client is closed by the transport (bounded queue); nobody waits for it.
//
// A stream lives only as long as its key: revoking the key closes it (WebSocket close 1008 "api
// key revoked"; SSE a last `event: revoked` carrying the reason, then the end of the response) —
// at once when revoked over the API, within a Revalidate() period when revoked elsewhere (another
// process on the same database). Streams opened in open mode close once the server is keyed.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "cluster/event_fanout.h"
#include "core/clock.h"
#include "engine/engine_event.h"
#include "engine/monitor.h"
#include "server/api/authenticator.h"
#include "server/http/stream_handler.h"

namespace vitals::server {

struct StreamHubOptions {
  size_t replay_capacity = 10'000;    // per organization, for SSE resumption
  size_t summary_max_agents = 1'000;  // agents listed in one health:update
  // Agent ids one connection may subscribe to; a subscribe naming more is refused with an error
  // message naming the limit (the subscription stays as it was).
  size_t max_subscribed_agents = 1'000;
};

class StreamHub final : public StreamHandler, public engine::MonitorListener {
 public:
  StreamHub(StreamHubOptions options, Authenticator& auth, engine::Monitor& monitor,
            const core::Clock* clock);

  // StreamHandler
  std::optional<HttpResponse> Accept(const HttpRequest& request, StreamKind kind,
                                     std::shared_ptr<StreamConnection> connection) override;
  void OnMessage(const std::shared_ptr<StreamConnection>& connection,
                 std::string_view text) override;
  void OnClose(const std::shared_ptr<StreamConnection>& connection) override;

  // MonitorListener
  void OnEvents(std::span<const engine::EngineEvent> events) override;

  // A cluster (issue 16): every message built from this node's engine events is also handed to
  // `relay` (outside the hub's lock), and InjectRemote delivers another node's to this node's
  // clients. Set `relay` before events flow.
  using Relay = std::function<void(std::vector<cluster::RelayedMessage> messages)>;
  void SetRelay(Relay relay) { relay_ = std::move(relay); }
  void InjectRemote(const std::string& organization_id, std::string type, std::string agent_id,
                    std::string data_json);

  // Closes the streams opened with key `key_id` (just revoked).
  void CloseKeyStreams(std::string_view key_id);
  // Closes every stream whose key is no longer active, and anonymous ones once the server is
  // keyed. Reads the store; called periodically (about every 500 ms) by the application.
  void Revalidate();

  // Seed 001's periodic "health:update": agents, integrations and alerts of each organization
  // that has listeners. Called every HEALTH_POLLING_INTERVAL by the application.
  void PublishSummaries();

  struct Stats {
    size_t connections = 0;
    uint64_t messages_sent = 0;
    uint64_t slow_closed = 0;
  };
  Stats stats() const;

 private:
  struct Client {
    std::shared_ptr<StreamConnection> connection;
    std::string organization_id;
    std::string key_id;            // "" in open mode
    std::set<std::string> agents;  // empty: every agent
    bool revoked = false;          // closing for lost credentials; guarded by mu_
  };
  struct Message {
    uint64_t id;
    std::string type;
    std::string agent_id;                    // "" for organization-wide messages
    std::shared_ptr<const std::string> ws;   // the JSON
    std::shared_ptr<const std::string> sse;  // the SSE block
  };
  struct Org {
    uint64_t next_id = 1;
    std::deque<Message> ring;
    std::vector<std::shared_ptr<Client>> clients;
  };

  // The organization's stream, created on first use. REQUIRES: mu_ held.
  Org& OrgFor(const std::string& organization_id);
  // REQUIRES: mu_ held.
  const Message& Append(Org& org, std::string type, std::string agent_id, std::string data_json);
  void Deliver(const Client& client, const Message& m);
  static bool Wants(const Client& client, const Message& m);
  // REQUIRES: mu_ held.
  void CloseRevoked(Client& client, std::string_view reason);
  std::shared_ptr<Client> Find(const std::shared_ptr<StreamConnection>& c);

  const StreamHubOptions options_;
  Relay relay_;
  Authenticator& auth_;
  engine::Monitor& monitor_;
  const core::Clock* clock_;
  // The first event id of every organization: the wall clock in microseconds when the hub was
  // made. Ids then grow by one per message, so a restarted server's ids exceed those of the run
  // before (unless that run averaged more than a message per microsecond), and a Last-Event-ID
  // from before a restart resumes with what the client missed since, never with unrelated
  // events that reused its ids. Below 2^53 (exact in JavaScript) until the 23rd century.
  const uint64_t first_id_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Org> orgs_;
  std::unordered_map<const StreamConnection*, std::shared_ptr<Client>> by_connection_;
  std::atomic<uint64_t> messages_sent_{0};
  std::atomic<uint64_t> slow_closed_{0};
};

}  // namespace vitals::server
