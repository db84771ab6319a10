// The machine as GET /api/health/system shows it: seed 001's cpu_usage and memory_usage (percent)
// plus swap, load, processes and each filesystem with its level and issues.
#pragma once

#include "collect/system_sample.h"
#include "server/json/json_writer.h"

namespace vitals::server {

// Writes the fields into the object being written (no braces of its own).
void WriteSystemFields(JsonWriter& w, const collect::SystemSample& s);

}  // namespace vitals::server
