// The messages a WebSocket client sends to /ws/health (see stream_hub.h), parsed apart from any
// connection so the parse can be tested and fuzzed on its own.
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vitals::server {

struct StreamRequest {
  enum class Type { kPing, kSubscribe, kUnsubscribe };
  Type type = Type::kPing;
  std::set<std::string> agents;  // kSubscribe: the agents wanted (may be empty)
};

// {"type":"ping"}, {"type":"subscribe","agents":["a1",...]} or {"type":"unsubscribe"}; other
// fields are ignored. A subscription of more than `max_agents` ids is refused before any is
// copied. InvalidArgument with the text the client's error reply carries. The bare text "ping"
// is not JSON and is the caller's to answer.
core::Result<StreamRequest> ParseStreamRequest(std::string_view text, size_t max_agents);

}  // namespace vitals::server
