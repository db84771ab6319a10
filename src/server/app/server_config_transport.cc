// The transport's limits: message sizes and subscriptions of the live streams.
#include "server/app/config_values.h"

namespace vitals::server {
namespace {

ConfigOption Size(std::string key, std::string env, std::string flag, std::string help,
                  size_t ServerConfig::*field, int64_t lo, int64_t hi) {
  return {key,
          std::move(env),
          std::move(flag),
          std::move(help),
          [key, field, lo, hi](ServerConfig& c, std::string_view t) {
            return ParseInt(key, t, lo, hi, &(c.*field));
          },
          [field](const ServerConfig& c) { return std::to_string(c.*field); }};
}

}  // namespace

void AddTransportOptions(std::vector<ConfigOption>& o) {
  using C = ServerConfig;
  o.push_back(Size("server.max_ws_message_bytes", "VITALS_MAX_WS_MESSAGE_BYTES",
                   "--max-ws-message-bytes",
                   "Largest WebSocket message a client may send (closed with 1009 beyond)",
                   &C::max_ws_message_bytes, 128, int64_t{1} << 30));
  o.push_back(Size("server.max_subscribed_agents", "VITALS_MAX_SUBSCRIBED_AGENTS",
                   "--max-subscribed-agents",
                   "Agent ids one stream connection may subscribe to (an error beyond)",
                   &C::max_subscribed_agents, 1, 10'000'000));
}

StreamHubOptions StreamHubOptionsFor(const ServerConfig& c) {
  StreamHubOptions o;
  o.max_subscribed_agents = c.max_subscribed_agents;
  return o;
}

}  // namespace vitals::server
