#include "fuzz/fuzz_ingest.h"

#include <simdjson.h>

#include <string_view>

#include "fuzz/fuzz_contract.h"

namespace vitals::fuzz {
namespace {

constexpr std::string_view kOrg = "fuzz-org";
const core::Timestamp kNow = core::FromMicros(1'700'000'000'000'000);

// Every item is accounted for once: kept (at its index) or rejected (with its index and a
// reason), in body order.
template <typename Parsed>
void CheckAccounting(const Parsed& p, size_t kept) {
  Require(kept == p.indexes.size(), "one index per kept item");
  Require(kept + p.rejected.size() == p.items, "every item kept or rejected");
  for (size_t k = 1; k < p.indexes.size(); ++k) {
    Require(p.indexes[k - 1] < p.indexes[k], "kept indexes in body order");
  }
  for (size_t k = 0; k < p.rejected.size(); ++k) {
    Require(p.rejected[k].index < p.items, "rejected index within the body");
    Require(!p.rejected[k].error.empty(), "a rejection says why");
    if (k > 0) Require(p.rejected[k - 1].index < p.rejected[k].index, "rejections in order");
  }
  for (size_t index : p.indexes) Require(index < p.items, "kept index within the body");
}

void CheckMetadata(const std::string& metadata) {
  if (metadata.empty()) return;
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  Require(!parser.parse(metadata).get(obj), "metadata is kept as a JSON object");
}

}  // namespace

void CheckIngest(std::string body, server::BodyFormat format) {
  std::string copy = body;
  auto executions = server::ParseExecutions(body, format, kOrg, kNow);
  if (executions.ok()) {
    CheckAccounting(*executions, executions->events.size());
    for (const core::ExecutionEvent& e : executions->events) {
      Require(e.organization_id == kOrg, "events carry the caller's organization");
      Require(!e.agent_id.empty(), "events name an agent");
      Require(!e.status.empty(), "events have a status");
      Require(!e.token_count || (*e.token_count >= -1e15 && *e.token_count <= 1e15),
              "token_count within range");
      CheckMetadata(e.metadata_json);
    }
  } else {
    Require(executions.status().code() == core::StatusCode::kInvalidArgument,
            "a malformed body is InvalidArgument");
  }
  auto heartbeats = server::ParseHeartbeats(copy, format, kOrg);
  Require(heartbeats.ok() == executions.ok(), "the body's shape decides, not the item kind");
  if (!heartbeats.ok()) return;
  Require(heartbeats->items == executions->items, "both parses see the same items");
  CheckAccounting(*heartbeats, heartbeats->heartbeats.size());
  for (const server::Heartbeat& h : heartbeats->heartbeats) {
    Require(!h.agent_id.empty(), "heartbeats name an agent");
    CheckMetadata(h.metadata_json);
  }
}

}  // namespace vitals::fuzz
