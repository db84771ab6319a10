// WindowStats: what one rolling window knows about an agent's executions.
#pragma once

#include <cstdint>
#include <optional>

namespace vitals::core {

struct WindowStats {
  int64_t total = 0;
  int64_t success = 0;
  int64_t failure = 0;
  double latency_sum_ms = 0;
  double cost_usd = 0;
  int64_t tokens = 0;

  bool empty() const { return total == 0; }
  // No data is "no data": these are nullopt for an empty window, never 100% or 0.
  std::optional<double> success_rate() const {
    return total ? std::optional<double>(static_cast<double>(success) / total) : std::nullopt;
  }
  std::optional<double> error_rate() const {
    return total ? std::optional<double>(static_cast<double>(failure) / total) : std::nullopt;
  }
  std::optional<double> avg_latency_ms() const {
    return total ? std::optional<double>(latency_sum_ms / total) : std::nullopt;
  }
};

}  // namespace vitals::core
