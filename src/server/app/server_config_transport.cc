// The transport's limits: connections, request deadlines, message sizes and subscriptions of the
// live streams.
#include "server/app/config_values.h"

namespace vitals::server {

void AddTransportOptions(std::vector<ConfigOption>& o) {
  using C = ServerConfig;
  o.push_back(Size("server.max_connections_per_ip", "VITALS_MAX_CONNECTIONS_PER_IP",
                   "--max-connections-per-ip",
                   "Open connections from one client address beyond which new ones get 503",
                   &C::max_connections_per_ip, 1, 1'000'000));
  o.push_back(Double("server.header_timeout_seconds", "VITALS_HEADER_TIMEOUT", "--header-timeout",
                     "Seconds a request's head may take from its first byte (408 beyond)",
                     &C::header_timeout_s, 0.05, 3600));
  o.push_back(Double("server.body_timeout_seconds", "VITALS_BODY_TIMEOUT", "--body-timeout",
                     "Seconds a request's body may take after its head (408 beyond)",
                     &C::body_timeout_s, 0.05, 3600));
  o.push_back(Double("server.idle_timeout_seconds", "VITALS_IDLE_TIMEOUT", "--idle-timeout",
                     "Seconds a kept-alive connection may wait for its next request",
                     &C::idle_timeout_s, 0.05, 86'400));
  o.push_back(Double("server.shutdown_timeout_seconds", "VITALS_SHUTDOWN_TIMEOUT",
                     "--shutdown-timeout",
                     "Seconds a stop (SIGTERM/SIGINT) waits for requests being served; the "
                     "process exits at the latest 5 s after that",
                     &C::shutdown_timeout_s, 0.1, 3600));
  o.push_back(Size("server.max_ws_message_bytes", "VITALS_MAX_WS_MESSAGE_BYTES",
                   "--max-ws-message-bytes",
                   "Largest WebSocket message a client may send (closed with 1009 beyond)",
                   &C::max_ws_message_bytes, 128, int64_t{1} << 30));
  o.push_back(Size("server.max_subscribed_agents", "VITALS_MAX_SUBSCRIBED_AGENTS",
                   "--max-subscribed-agents",
                   "Agent ids one stream connection may subscribe to (an error beyond)",
                   &C::max_subscribed_agents, 1, 10'000'000));
}

void ApplyTransportOptions(const ServerConfig& c, HttpServerOptions* o) {
  auto ms = [](double seconds) {
    return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
  };
  o->max_connections_per_peer = c.max_connections_per_ip;
  o->header_timeout = ms(c.header_timeout_s);
  o->body_timeout = ms(c.body_timeout_s);
  o->idle_timeout = ms(c.idle_timeout_s);
  o->shutdown_timeout = ms(c.shutdown_timeout_s);
  o->max_client_message_bytes = c.max_ws_message_bytes;
}

StreamHubOptions StreamHubOptionsFor(const ServerConfig& c) {
  StreamHubOptions o;
  o.max_subscribed_agents = c.max_subscribed_agents;
  return o;
}

}  // namespace vitals::server
