#include "server/api/stream_hub.h"

#include <algorithm>
#include <charconv>

#include "server/api/error_mapping.h"
#include "server/api/stream_request.h"
#include "server/json/views_json.h"

namespace vitals::server {
namespace {

std::string EventType(const engine::EngineEvent& e) {
  switch (e.kind) {
    case engine::EngineEventKind::kHealthUpdate:
      return "health_update";
    case engine::EngineEventKind::kTransition:
      return "health_transition";
    case engine::EngineEventKind::kAlert:
      return "alert_" + std::string(core::AlertChangeKindName(e.alert->kind));
  }
  return "unknown";
}

std::string EventData(const engine::EngineEvent& e) {
  JsonWriter w;
  switch (e.kind) {
    case engine::EngineEventKind::kHealthUpdate:
      WriteHealthUpdate(w, e.agent_id, e.health, e.at);
      break;
    case engine::EngineEventKind::kTransition:
      WriteTransition(w, e.agent_id, *e.transition, *e.previous_status, e.health, e.at);
      break;
    case engine::EngineEventKind::kAlert:
      w.BeginObject();
      w.Field("change", core::AlertChangeKindName(e.alert->kind))
          .Field("notify", e.alert->notify)
          .Key("alert");
      WriteAlert(w, e.alert->alert);
      w.EndObject();
      break;
  }
  return w.Take();
}

std::set<std::string> SplitAgents(std::string_view list) {
  std::set<std::string> out;
  while (!list.empty()) {
    const size_t comma = list.find(',');
    std::string_view one = list.substr(0, comma);
    if (!one.empty()) out.emplace(one);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return out;
}

}  // namespace

StreamHub::StreamHub(StreamHubOptions options, Authenticator& auth, engine::Monitor& monitor,
                     const core::Clock* clock)
    : options_(options),
      auth_(auth),
      monitor_(monitor),
      clock_(clock),
      // Ids continue above every id an earlier run of the server handed out (see first_id_).
      first_id_(static_cast<uint64_t>(std::max<int64_t>(1, core::ToMicros(clock->Now())))) {}

StreamHub::Org& StreamHub::OrgFor(const std::string& organization_id) {
  auto [it, created] = orgs_.try_emplace(organization_id);
  if (created) it->second.next_id = first_id_;
  return it->second;
}

const StreamHub::Message& StreamHub::Append(Org& org, std::string type, std::string agent_id,
                                            std::string data_json) {
  const uint64_t id = org.next_id++;
  std::string ws = "{\"id\":" + std::to_string(id) + ",\"type\":";
  AppendJsonString(ws, type);
  ws += ",\"data\":";
  ws += data_json;
  ws += '}';
  std::string sse = "id: " + std::to_string(id) + "\nevent: " + type + "\ndata: " + ws + "\n\n";
  org.ring.push_back(Message{id, std::move(type), std::move(agent_id),
                             std::make_shared<const std::string>(std::move(ws)),
                             std::make_shared<const std::string>(std::move(sse))});
  while (org.ring.size() > options_.replay_capacity) org.ring.pop_front();
  return org.ring.back();
}

bool StreamHub::Wants(const Client& client, const Message& m) {
  return client.agents.empty() || m.agent_id.empty() || client.agents.count(m.agent_id) > 0;
}

void StreamHub::Deliver(const Client& client, const Message& m) {
  if (client.revoked || !Wants(client, m)) return;
  const bool sse = client.connection->kind() == StreamKind::kServerSentEvents;
  // A send refused by an open connection is its queue overflowing: the transport closes it then
  // (and discards the queue, so nothing after the Send tells the two cases apart).
  const bool was_open = !client.connection->closed();
  if (client.connection->Send(sse ? m.sse : m.ws)) {
    ++messages_sent_;
  } else if (was_open) {
    ++slow_closed_;
  }
}

std::optional<HttpResponse> StreamHub::Accept(const HttpRequest& request, StreamKind kind,
                                              std::shared_ptr<StreamConnection> connection) {
  RequestContext ctx;
  if (core::Status s = auth_.Authenticate(request, store::KeyScope::kRead, &ctx); !s.ok()) {
    return ErrorResponse(s);
  }
  auto client = std::make_shared<Client>();
  client->connection = connection;
  client->organization_id = ctx.organization_id;
  client->key_id = ctx.key_id;
  if (auto agents = request.Query("agents")) client->agents = SplitAgents(*agents);
  if (client->agents.size() > options_.max_subscribed_agents) {
    return ErrorResponse(core::Status::InvalidArgument(
        "agents: at most " + std::to_string(options_.max_subscribed_agents) + " agent ids"));
  }

  std::optional<uint64_t> last_id;
  std::optional<std::string_view> header = request.headers.Get("Last-Event-ID");
  if (!header) header = request.Query("last_event_id");
  if (header) {
    uint64_t v = 0;
    if (std::from_chars(header->data(), header->data() + header->size(), v).ec == std::errc()) {
      last_id = v;
    }
  }
  std::lock_guard lock(mu_);
  Org& org = OrgFor(ctx.organization_id);
  org.clients.push_back(client);
  by_connection_[connection.get()] = client;
  if (kind == StreamKind::kWebSocket) {
    JsonWriter w;
    w.BeginObject()
        .Field("type", "connected")
        .Key("data")
        .BeginObject()
        .Field("organization_id", ctx.organization_id)
        .Field("last_event_id", org.next_id - 1)
        .Field("server_time", clock_->Now())
        .EndObject()
        .EndObject();
    connection->Send(std::make_shared<const std::string>(w.Take()));
  }
  if (last_id) {  // resume: everything after the last event the client saw, still in the ring
    for (const Message& m : org.ring) {
      if (m.id > *last_id) Deliver(*client, m);
    }
  }
  return std::nullopt;
}

std::shared_ptr<StreamHub::Client> StreamHub::Find(const std::shared_ptr<StreamConnection>& c) {
  std::lock_guard lock(mu_);
  auto it = by_connection_.find(c.get());
  return it == by_connection_.end() ? nullptr : it->second;
}

void StreamHub::OnMessage(const std::shared_ptr<StreamConnection>& connection,
                          std::string_view text) {
  auto reply = [&](std::string json) {
    connection->Send(std::make_shared<const std::string>(std::move(json)));
  };
  if (text == "ping") return reply("pong");
  std::shared_ptr<Client> client = Find(connection);
  if (!client) return;
  core::Result<StreamRequest> request = ParseStreamRequest(text, options_.max_subscribed_agents);
  if (!request.ok()) {
    JsonWriter w;
    w.BeginObject().Field("type", "error").Key("data").BeginObject();
    w.Field("message", request.status().message()).EndObject().EndObject();
    return reply(w.Take());
  }
  switch (request->type) {
    case StreamRequest::Type::kPing:
      return reply(R"({"type":"pong"})");
    case StreamRequest::Type::kUnsubscribe: {
      std::lock_guard lock(mu_);
      client->agents.clear();
      return reply(R"({"type":"subscribed","data":{"agents":"all"}})");
    }
    case StreamRequest::Type::kSubscribe:
      break;
  }
  std::set<std::string> wanted = std::move(request->agents);
  // A summary, not an echo: a large subscription must not come back whole.
  JsonWriter w;
  w.BeginObject().Field("type", "subscribed").Key("data").BeginObject();
  w.Field("count", static_cast<uint64_t>(wanted.size())).EndObject().EndObject();
  {
    std::lock_guard lock(mu_);
    client->agents = std::move(wanted);
  }
  reply(w.Take());
}

void StreamHub::OnClose(const std::shared_ptr<StreamConnection>& connection) {
  std::lock_guard lock(mu_);
  auto it = by_connection_.find(connection.get());
  if (it == by_connection_.end()) return;
  auto org = orgs_.find(it->second->organization_id);
  if (org != orgs_.end()) std::erase(org->second.clients, it->second);
  by_connection_.erase(it);
}

void StreamHub::CloseRevoked(Client& client, std::string_view reason) {
  if (client.revoked) return;
  client.revoked = true;
  if (client.connection->kind() == StreamKind::kServerSentEvents) {
    JsonWriter w;
    w.BeginObject().Field("type", "revoked").Key("data").BeginObject().Field("reason", reason);
    w.EndObject().EndObject();
    client.connection->Send(
        std::make_shared<const std::string>("event: revoked\ndata: " + w.Take() + "\n\n"));
  }
  client.connection->CloseForPolicy(reason);
}

void StreamHub::CloseKeyStreams(std::string_view key_id) {
  if (key_id.empty()) return;
  std::lock_guard lock(mu_);
  for (const auto& [connection, client] : by_connection_) {
    if (client->key_id == key_id) CloseRevoked(*client, "api key revoked");
  }
}

void StreamHub::Revalidate() {
  const bool open = auth_.open();
  std::set<std::string> organizations;
  {
    std::lock_guard lock(mu_);
    for (const auto& [connection, client] : by_connection_) {
      if (client->revoked) continue;
      if (client->key_id.empty() && !open) CloseRevoked(*client, "api key required");
      if (!client->key_id.empty()) organizations.insert(client->organization_id);
    }
  }
  for (const std::string& org : organizations) {
    auto active = auth_.ActiveKeyIds(org);  // outside the lock: a store read
    if (!active.ok()) continue;             // cannot tell now; the next round will
    std::lock_guard lock(mu_);
    auto it = orgs_.find(org);
    if (it == orgs_.end()) continue;
    for (const auto& client : it->second.clients) {
      if (!client->key_id.empty() && active->count(client->key_id) == 0) {
        CloseRevoked(*client, "api key revoked");
      }
    }
  }
}

void StreamHub::OnEvents(std::span<const engine::EngineEvent> events) {
  // JSON is built outside the lock; each event once, whatever the number of listeners.
  std::vector<std::tuple<const engine::EngineEvent*, std::string, std::string>> built;
  built.reserve(events.size());
  for (const engine::EngineEvent& e : events) built.emplace_back(&e, EventType(e), EventData(e));
  if (relay_) {
    std::vector<cluster::RelayedMessage> out;
    out.reserve(built.size());
    for (const auto& [e, type, data] : built) {
      out.push_back({"", e->organization_id, type, e->agent_id, data});
    }
    relay_(std::move(out));
  }
  std::lock_guard lock(mu_);
  for (auto& [e, type, data] : built) {
    Org& org = OrgFor(e->organization_id);
    const Message& m = Append(org, std::move(type), e->agent_id, std::move(data));
    for (const auto& client : org.clients) Deliver(*client, m);
  }
}

void StreamHub::InjectRemote(const std::string& organization_id, std::string type,
                             std::string agent_id, std::string data_json) {
  std::lock_guard lock(mu_);
  Org& org = OrgFor(organization_id);
  const Message& m = Append(org, std::move(type), std::move(agent_id), std::move(data_json));
  for (const auto& client : org.clients) Deliver(*client, m);
}

void StreamHub::PublishSummaries() {
  std::vector<std::string> orgs;
  {
    std::lock_guard lock(mu_);
    for (const auto& [id, org] : orgs_) {
      if (!org.clients.empty()) orgs.push_back(id);
    }
  }
  for (const std::string& org_id : orgs) {
    std::vector<engine::AgentSummary> agents = monitor_.ListAgents(org_id);
    std::sort(agents.begin(), agents.end(), [](const auto& a, const auto& b) {
      return core::Severity(a.status) != core::Severity(b.status)
                 ? core::Severity(a.status) > core::Severity(b.status)
                 : a.agent_id < b.agent_id;
    });
    JsonWriter w;
    w.BeginObject().Field("total_agents", static_cast<uint64_t>(agents.size()));
    w.Field("truncated", agents.size() > options_.summary_max_agents).Key("agents").BeginArray();
    for (size_t i = 0; i < agents.size() && i < options_.summary_max_agents; ++i) {
      WriteAgentSummary(w, agents[i]);
    }
    w.EndArray().Key("integrations").BeginArray().EndArray().Key("alerts").BeginArray();
    for (const core::Alert& a : monitor_.OpenAlerts(org_id)) WriteAlert(w, a);
    w.EndArray().Field("timestamp", clock_->Now()).EndObject();
    std::lock_guard lock(mu_);
    Org& org = OrgFor(org_id);
    const Message& m = Append(org, "health:update", "", w.Take());
    for (const auto& client : org.clients) Deliver(*client, m);
  }
}

StreamHub::Stats StreamHub::stats() const {
  std::lock_guard lock(mu_);
  return Stats{by_connection_.size(), messages_sent_.load(), slow_closed_.load()};
}

}  // namespace vitals::server
