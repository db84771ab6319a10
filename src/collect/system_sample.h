// What the system collector measures (seeds 003 and 001): CPU, memory, swap, load, process count
// and each real filesystem, with a level per metric against SystemThresholds. Plain data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "collect/metric_level.h"
#include "core/status.h"
#include "core/time.h"
#include "store/store_types.h"

namespace vitals::collect {

// Percentages, warning then critical (seed 003: memory 80/95, CPU 80/95, disk 85/95). Swap has no
// seed threshold and follows memory's; inode usage follows disk's.
struct SystemThresholds {
  double cpu_warning = 80, cpu_critical = 95;
  double memory_warning = 80, memory_critical = 95;
  double swap_warning = 80, swap_critical = 95;
  double disk_warning = 85, disk_critical = 95;

  // InvalidArgument naming the field: each in (0, 100], warning <= critical.
  core::Status Validate() const;
};

struct FilesystemSample {
  std::string mount_point;  // as /proc/mounts names it
  std::string device;
  std::string fs_type;
  bool present = true;     // false: the mount point is gone
  bool read_only = false;  // mount option "ro" or ST_RDONLY
  bool writable = true;    // access(W_OK) on the mount point
  uint64_t total_bytes = 0;
  uint64_t used_bytes = 0;
  uint64_t available_bytes = 0;  // to unprivileged users
  double usage_percent = 0;      // used / (used + available), as df computes it
  uint64_t inodes_total = 0;
  uint64_t inodes_used = 0;
  double inode_usage_percent = 0;  // 0 when the filesystem has no inode count
  MetricLevel usage_level = MetricLevel::kHealthy;
  MetricLevel inode_level = MetricLevel::kHealthy;
  // Missing: critical. Read-only or not writable: warning (some mounts are read-only on purpose).
  MetricLevel health_level = MetricLevel::kHealthy;
  std::vector<std::string> issues;

  MetricLevel Overall() const;
};

struct SystemSample {
  core::Timestamp at;
  // Busy share of all CPUs between this sample and the previous one; the first sample of a
  // collector averages since boot.
  double cpu_percent = 0;
  bool cpu_since_boot = false;  // this is that first sample: no reading to raise or clear on
  int cpu_count = 0;
  double memory_percent = 0;  // 1 - MemAvailable / MemTotal
  uint64_t memory_total_bytes = 0;
  uint64_t memory_available_bytes = 0;
  double swap_percent = 0;  // 0 without swap
  uint64_t swap_total_bytes = 0;
  double load_1m = 0, load_5m = 0, load_15m = 0;
  int64_t process_count = 0;
  MetricLevel cpu_level = MetricLevel::kHealthy;
  MetricLevel memory_level = MetricLevel::kHealthy;
  MetricLevel swap_level = MetricLevel::kHealthy;
  std::vector<FilesystemSample> filesystems;
  SystemThresholds thresholds;      // the ones the levels were computed with
  std::vector<std::string> errors;  // sources that could not be read; their figures are 0

  MetricLevel Overall() const;
};

// Seed 003's health_metrics rows for `sample`: resource_type "system"; resource_id "system" for
// the machine-wide metrics and the mount point for per-filesystem ones. Metrics without a
// threshold (load, process count, sizes) carry 0 thresholds and status "healthy".
std::vector<store::MetricRecord> SystemMetricRows(const SystemSample& sample,
                                                  const std::string& organization_id);

}  // namespace vitals::collect
