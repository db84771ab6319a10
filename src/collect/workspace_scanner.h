// WorkspaceScanner: the health of one registered directory (seed 003's workspace monitoring) —
// exists, readable, writable, size against warning/critical thresholds, file count, growth rate.
//
// A scan is bounded: it stops after `max_entries` directory entries or `time_budget`, whichever
// comes first, never follows symbolic links and never crosses into another filesystem, so a huge
// or looping tree cannot stall the thread that scans it.
#pragma once

#include <sys/types.h>

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collect/metric_level.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/store_types.h"

namespace vitals::collect {

inline constexpr int64_t kGiB = int64_t{1} << 30;

struct WorkspaceSpec {
  std::string organization_id;
  std::string id;
  std::string path;                  // absolute
  int64_t warning_bytes = 1 * kGiB;  // seed 003: 1 GB warning, 5 GB critical
  int64_t critical_bytes = 5 * kGiB;
  int64_t max_entries = 200'000;                  // per scan
  core::Duration time_budget = core::Seconds(2);  // per scan
  core::Duration interval = core::Seconds(60);

  // InvalidArgument naming the field for a bad id, an empty or relative path, a threshold <= 0,
  // warning_bytes > critical_bytes, or a budget/interval <= 0. Does not look at the disk.
  core::Status ValidateFields() const;
  // ValidateFields, then "path: ..." when the path is not an existing directory. For new
  // registrations; a registered workspace whose directory vanishes is reported, not refused.
  core::Status Validate() const;
};

struct WorkspaceSample {
  std::string id;
  core::Timestamp at;
  bool exists = false;
  bool readable = false;
  bool writable = false;
  int64_t size_bytes = 0;  // apparent size (st_size) of regular files
  int64_t file_count = 0;  // regular files
  int64_t directory_count = 0;
  int64_t unreadable_directories = 0;
  // False when the entry or time budget stopped the scan: size and counts are then lower bounds.
  bool complete = false;
  double scan_ms = 0;
  // Bytes per hour since the previous scan; nullopt on the first scan or when either scan was
  // incomplete (lower bounds make no rate).
  std::optional<double> growth_bytes_per_hour;
  enum class Status { kHealthy, kWarning, kCritical, kError } status = Status::kError;
  std::vector<std::string> issues;
};

// "healthy", "warning", "critical", "error".
std::string_view WorkspaceStatusName(WorkspaceSample::Status status);

// Seed 003's health_metrics rows: resource_type "workspace", resource_id the workspace id.
std::vector<store::MetricRecord> WorkspaceMetricRows(const WorkspaceSpec& spec,
                                                     const WorkspaceSample& sample);

class WorkspaceScanner final {
 public:
  // REQUIRES: spec.ValidateFields().ok(); clock outlives the scanner.
  WorkspaceScanner(WorkspaceSpec spec, const core::Clock* clock);

  // Scans the tree within the budget. Blocking (filesystem reads). Not thread-safe: it keeps the
  // previous scan for the growth rate. A non-null `cancel` that becomes true ends the scan early
  // (reported incomplete).
  WorkspaceSample Scan(const std::atomic<bool>* cancel = nullptr);

  const WorkspaceSpec& spec() const { return spec_; }

 private:
  void WalkTree(dev_t device, const std::atomic<bool>* cancel, WorkspaceSample* s) const;
  void Judge(WorkspaceSample* s) const;

  WorkspaceSpec spec_;
  const core::Clock* clock_;
  std::optional<WorkspaceSample> previous_;
};

}  // namespace vitals::collect
