#include "collect/metrics_sink.h"

namespace vitals::collect {

MetricsSink::MetricsSink(store::Store& store, std::string system_organization_id,
                         CollectorSink* next)
    : store_(store), system_organization_id_(std::move(system_organization_id)), next_(next) {}

void MetricsSink::OnSystem(const SystemSample& sample) {
  store_.RecordMetrics(SystemMetricRows(sample, system_organization_id_));
  if (next_) next_->OnSystem(sample);
}

void MetricsSink::OnWorkspace(const WorkspaceSpec& spec, const WorkspaceSample& sample) {
  store_.RecordMetrics(WorkspaceMetricRows(spec, sample));
  if (next_) next_->OnWorkspace(spec, sample);
}

void MetricsSink::OnDatabase(const DatabaseSpec& spec, const DatabaseSample& sample) {
  store_.RecordMetrics(DatabaseMetricRows(spec, sample));
  if (next_) next_->OnDatabase(spec, sample);
}

}  // namespace vitals::collect
