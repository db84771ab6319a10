// HealthRecorder: keeps the store's copy of what the engine concludes. Transitions and alert
// changes are recorded as they happen; health snapshots (agent_health_realtime and the hourly
// history) only the latest per agent, written by Flush() every few seconds, so a fleet of 100,000
// agents does not become 100,000 upserts a second.
//
// Thread-safe.
#pragma once

#include <mutex>
#include <string>
#include <unordered_map>

#include "engine/engine_event.h"
#include "store/store.h"

namespace vitals::server {

class HealthRecorder final : public engine::MonitorListener {
 public:
  explicit HealthRecorder(store::Store& store) : store_(store) {}

  void OnEvents(std::span<const engine::EngineEvent> events) override;
  // Writes the latest snapshot of every agent updated since the last Flush.
  void Flush();

 private:
  store::Store& store_;
  std::mutex mu_;
  std::unordered_map<std::string, store::HealthRecord> latest_;  // key: org \x1f agent
};

}  // namespace vitals::server
