// MetricsSink: a CollectorSink that records every sample as seed 003's health_metrics rows, then
// hands the sample on to another sink (alerts, views) when there is one.
#pragma once

#include <string>

#include "collect/collector_sink.h"
#include "store/store.h"

namespace vitals::collect {

class MetricsSink final : public CollectorSink {
 public:
  // System metrics are machine-wide; they are recorded under `system_organization_id`.
  // `store` and `next` (may be null) outlive the sink.
  MetricsSink(store::Store& store, std::string system_organization_id, CollectorSink* next);

  // Thread-safe: Store::RecordMetrics is a queued background write (never blocks on disk).
  void OnSystem(const SystemSample& sample) override;
  void OnWorkspace(const WorkspaceSpec& spec, const WorkspaceSample& sample) override;
  void OnDatabase(const DatabaseSpec& spec, const DatabaseSample& sample) override;

 private:
  store::Store& store_;
  const std::string system_organization_id_;
  CollectorSink* const next_;
};

}  // namespace vitals::collect
