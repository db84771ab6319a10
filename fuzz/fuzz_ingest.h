// The contract of ParseExecutions and ParseHeartbeats on any body, shared by the JSON and the
// NDJSON harness.
#pragma once

#include <string>

#include "server/json/ingest_parser.h"

namespace vitals::fuzz {

// Parses `body` both ways (executions, heartbeats) as `format` and checks what comes back.
void CheckIngest(std::string body, server::BodyFormat format);

}  // namespace vitals::fuzz
