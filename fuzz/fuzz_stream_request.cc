// The messages WebSocket clients send to /ws/health (ParseStreamRequest): a subscription reads
// back as written.
#include <string>

#include "fuzz/fuzz_contract.h"
#include "server/api/stream_request.h"
#include "server/json/json_writer.h"

using vitals::fuzz::Require;
using vitals::server::StreamRequest;

namespace {

constexpr size_t kMaxAgents = 1000;

vitals::core::Result<StreamRequest> Parse(std::string_view text) {
  return vitals::server::ParseStreamRequest(text, kMaxAgents);
}

std::string Write(const StreamRequest& r) {
  vitals::server::JsonWriter w;
  w.BeginObject();
  switch (r.type) {
    case StreamRequest::Type::kPing:
      w.Field("type", "ping");
      break;
    case StreamRequest::Type::kUnsubscribe:
      w.Field("type", "unsubscribe");
      break;
    case StreamRequest::Type::kSubscribe:
      w.Field("type", "subscribe").Key("agents").BeginArray();
      for (const std::string& a : r.agents) w.String(a);
      w.EndArray();
      break;
  }
  return w.EndObject().Take();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto request = vitals::fuzz::RequireRoundTrip(vitals::fuzz::Text(data, size), Parse, Write);
  if (!request.ok()) {
    Require(!request.status().message().empty(), "an error reply says what is wrong");
    return 0;
  }
  Require(request->type == StreamRequest::Type::kSubscribe || request->agents.empty(),
          "only a subscription names agents");
  Require(request->agents.size() <= kMaxAgents, "a subscription stays within its cap");
  return 0;
}
