#include "server/api/stream_request.h"

#include <simdjson.h>

namespace vitals::server {

core::Result<StreamRequest> ParseStreamRequest(std::string_view text, size_t max_agents) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::string_view type;
  if (parser.parse(text.data(), text.size()).get(root) || root["type"].get_string().get(type)) {
    return core::Status::InvalidArgument(R"(expected "ping" or a JSON object with a "type")");
  }
  StreamRequest request;
  if (type == "ping") return request;
  if (type == "unsubscribe") {
    request.type = StreamRequest::Type::kUnsubscribe;
    return request;
  }
  if (type != "subscribe") {
    return core::Status::InvalidArgument("unknown message type: " +
                                         std::string(type.substr(0, 64)));
  }
  request.type = StreamRequest::Type::kSubscribe;
  simdjson::dom::array agents;
  if (root["agents"].get_array().get(agents)) {
    return core::Status::InvalidArgument("agents: expected an array of agent ids");
  }
  if (agents.size() > max_agents) {
    return core::Status::InvalidArgument("agents: at most " + std::to_string(max_agents) +
                                         " agent ids per connection, got " +
                                         std::to_string(agents.size()));
  }
  for (simdjson::dom::element a : agents) {
    std::string_view id;
    if (a.get_string().get(id)) return core::Status::InvalidArgument("agents: expected strings");
    request.agents.emplace(id);
  }
  return request;
}

}  // namespace vitals::server
