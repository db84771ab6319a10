#include "core/in_flight_executions.h"

#include <algorithm>

namespace vitals::core {

Status InFlightExecutions::Start(std::string_view execution_id, std::string_view action,
                                 Timestamp started_at, int max) {
  if (!items_) items_ = std::make_unique<std::vector<InFlightExecution>>();
  for (InFlightExecution& e : *items_) {
    if (e.execution_id == execution_id) {
      e.action = action;
      e.started_at = started_at;
      return Status::Ok();
    }
  }
  if (static_cast<int>(items_->size()) >= max) {
    return Status::ResourceExhausted("execution_id: agent already has " + std::to_string(max) +
                                     " executions in flight");
  }
  items_->push_back({std::string(execution_id), std::string(action), started_at});
  return Status::Ok();
}

bool InFlightExecutions::Finish(std::string_view execution_id) {
  if (!items_) return false;
  auto it = std::find_if(items_->begin(), items_->end(), [&](const InFlightExecution& e) {
    return e.execution_id == execution_id;
  });
  if (it == items_->end()) return false;
  items_->erase(it);
  if (items_->empty()) items_.reset();
  return true;
}

int InFlightExecutions::DropStartedBefore(Timestamp cutoff) {
  if (!items_) return 0;
  const auto removed =
      std::erase_if(*items_, [&](const InFlightExecution& e) { return e.started_at < cutoff; });
  if (items_->empty()) items_.reset();
  return static_cast<int>(removed);
}

int InFlightExecutions::CountStartedBy(Timestamp cutoff) const {
  if (!items_) return 0;
  return static_cast<int>(std::count_if(items_->begin(), items_->end(),
                                        [&](const auto& e) { return e.started_at <= cutoff; }));
}

std::optional<Timestamp> InFlightExecutions::EarliestStartAfter(Timestamp cutoff) const {
  std::optional<Timestamp> best;
  if (!items_) return best;
  for (const InFlightExecution& e : *items_) {
    if (e.started_at > cutoff && (!best || e.started_at < *best)) best = e.started_at;
  }
  return best;
}

const InFlightExecution* InFlightExecutions::Newest() const {
  if (!items_) return nullptr;
  const InFlightExecution* best = nullptr;
  for (const InFlightExecution& e : *items_) {
    if (!best || e.started_at >= best->started_at) best = &e;
  }
  return best;
}

std::vector<InFlightExecution> InFlightExecutions::All() const {
  return items_ ? *items_ : std::vector<InFlightExecution>{};
}

void InFlightExecutions::Encode(BinaryWriter& w) const {
  w.U64(size());
  if (!items_) return;
  for (const InFlightExecution& e : *items_) {
    w.Str(e.execution_id);
    w.Str(e.action);
    w.I64(ToMicros(e.started_at));
  }
}

bool InFlightExecutions::Decode(BinaryReader& r) {
  items_.reset();
  const uint64_t n = r.Count(3);
  for (uint64_t i = 0; i < n && r.ok(); ++i) {
    std::string id = r.Str();
    std::string action = r.Str();
    const Timestamp started = FromMicros(r.I64());
    if (!items_) items_ = std::make_unique<std::vector<InFlightExecution>>();
    items_->push_back({std::move(id), std::move(action), started});
  }
  if (!r.ok()) items_.reset();
  return r.ok();
}

size_t InFlightExecutions::MemoryUsage() const {
  if (!items_) return sizeof(*this);
  size_t bytes = sizeof(*this) + sizeof(*items_) + items_->capacity() * sizeof(InFlightExecution);
  for (const auto& e : *items_) bytes += e.execution_id.capacity() + e.action.capacity();
  return bytes;
}

}  // namespace vitals::core
