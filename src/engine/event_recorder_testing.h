// Test helpers: a MonitorListener that keeps every published event, and filters over them.
// For tests only; thread-safe (the monitor may publish from its ticker thread).
#pragma once

#include <mutex>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/engine_event.h"

namespace vitals::engine::testing {

class EventRecorder final : public MonitorListener {
 public:
  void OnEvents(std::span<const EngineEvent> events) override {
    std::lock_guard lock(mu_);
    events_.insert(events_.end(), events.begin(), events.end());
  }
  // The events published since the last call, oldest first.
  std::vector<EngineEvent> Take() {
    std::lock_guard lock(mu_);
    return std::exchange(events_, {});
  }

 private:
  std::mutex mu_;
  std::vector<EngineEvent> events_;
};

inline std::vector<EngineEvent> OfKind(const std::vector<EngineEvent>& events,
                                       EngineEventKind kind) {
  std::vector<EngineEvent> out;
  for (const auto& e : events) {
    if (e.kind == kind) out.push_back(e);
  }
  return out;
}

// The first alert change of `type` and `kind` among `events`, or nullptr.
inline const core::AlertChange* FindAlert(const std::vector<EngineEvent>& events,
                                          std::string_view type, core::AlertChangeKind kind) {
  for (const auto& e : events) {
    if (e.kind == EngineEventKind::kAlert && e.alert->alert.type == type && e.alert->kind == kind) {
      return e.alert.get();
    }
  }
  return nullptr;
}

}  // namespace vitals::engine::testing
