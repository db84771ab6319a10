// ForwardedEvent: an acknowledged ingest event on its way from the node that received it to the
// node that owns its agent (issue 16). It is durable in the store before it is forwarded, so the
// stream is a fast path, not the record: an owner that restores an agent from the store's
// checkpoint and log does not need what was in flight to it.
//
// The encoding is versioned and self-delimiting (core/binary_codec.h); Decode checks every bound
// and refuses trailing bytes, because a stream entry is input from another process.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/execution_event.h"
#include "core/status.h"
#include "core/time.h"

namespace vitals::cluster {

// kReload: no event, a request to the agent's owner to restore it from the store — sent by a
// node that applied the agent's events while its view of the members was out of date.
enum class ForwardedKind : uint8_t {
  kExecution = 1,
  kExecutionStart = 2,
  kHeartbeat = 3,
  kReload = 4
};

struct ForwardedEvent {
  ForwardedKind kind = ForwardedKind::kExecution;
  // The store's id of the row (execution id; heartbeats: 0). With the origin node it makes a
  // redelivery recognisable: the owner applies an execution id once.
  int64_t log_id = 0;
  // kExecution, kExecutionStart: the whole event. kHeartbeat: organization_id, agent_id,
  // timestamp and metadata_json are used; queue_depth when has_queue_depth.
  core::ExecutionEvent event;
  bool has_queue_depth = false;
  int64_t queue_depth = 0;
};

std::string EncodeForwarded(const ForwardedEvent& e);
// InvalidArgument naming what is wrong: unknown version or kind, truncated, trailing bytes.
core::Result<ForwardedEvent> DecodeForwarded(std::string_view bytes);

}  // namespace vitals::cluster
