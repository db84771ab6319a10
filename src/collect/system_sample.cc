#include "collect/system_sample.h"

namespace vitals::collect {
namespace {

core::Status CheckPair(const char* warning_name, double warning, const char* critical_name,
                       double critical) {
  if (!(warning > 0 && warning <= 100)) {
    return core::Status::InvalidArgument(std::string(warning_name) + ": must be in (0, 100]");
  }
  if (!(critical > 0 && critical <= 100)) {
    return core::Status::InvalidArgument(std::string(critical_name) + ": must be in (0, 100]");
  }
  if (warning > critical) {
    return core::Status::InvalidArgument(std::string(warning_name) + ": must not exceed " +
                                         critical_name);
  }
  return core::Status::Ok();
}

struct RowBuilder {
  const std::string& org;
  core::Timestamp at;
  std::vector<store::MetricRecord>& rows;

  void Add(const std::string& resource_id, const char* name, double value, const char* unit,
           double warning = 0, double critical = 0, MetricLevel level = MetricLevel::kHealthy) {
    rows.push_back({org, "system", resource_id, name, value, warning, critical, at, unit,
                    std::string(MetricLevelName(level))});
  }
};

}  // namespace

core::Status SystemThresholds::Validate() const {
  for (core::Status st :
       {CheckPair("cpu_warning", cpu_warning, "cpu_critical", cpu_critical),
        CheckPair("memory_warning", memory_warning, "memory_critical", memory_critical),
        CheckPair("swap_warning", swap_warning, "swap_critical", swap_critical),
        CheckPair("disk_warning", disk_warning, "disk_critical", disk_critical)}) {
    if (!st.ok()) return st;
  }
  return core::Status::Ok();
}

MetricLevel FilesystemSample::Overall() const {
  return Worse(Worse(usage_level, inode_level), health_level);
}

MetricLevel SystemSample::Overall() const {
  MetricLevel level = Worse(Worse(cpu_level, memory_level), swap_level);
  for (const FilesystemSample& fs : filesystems) level = Worse(level, fs.Overall());
  return level;
}

std::vector<store::MetricRecord> SystemMetricRows(const SystemSample& s,
                                                  const std::string& organization_id) {
  std::vector<store::MetricRecord> rows;
  RowBuilder b{organization_id, s.at, rows};
  const SystemThresholds& t = s.thresholds;
  const std::string system = "system";
  b.Add(system, "cpu_usage", s.cpu_percent, "%", t.cpu_warning, t.cpu_critical, s.cpu_level);
  b.Add(system, "memory_usage", s.memory_percent, "%", t.memory_warning, t.memory_critical,
        s.memory_level);
  b.Add(system, "swap_usage", s.swap_percent, "%", t.swap_warning, t.swap_critical, s.swap_level);
  b.Add(system, "load_1m", s.load_1m, "");
  b.Add(system, "load_5m", s.load_5m, "");
  b.Add(system, "load_15m", s.load_15m, "");
  b.Add(system, "process_count", static_cast<double>(s.process_count), "processes");
  for (const FilesystemSample& fs : s.filesystems) {
    b.Add(fs.mount_point, "disk_usage", fs.usage_percent, "%", t.disk_warning, t.disk_critical,
          fs.usage_level);
    b.Add(fs.mount_point, "disk_used_bytes", static_cast<double>(fs.used_bytes), "bytes");
    b.Add(fs.mount_point, "inode_usage", fs.inode_usage_percent, "%", t.disk_warning,
          t.disk_critical, fs.inode_level);
    // 1 when present, writable and read-write; 0 otherwise.
    const bool ok = fs.present && !fs.read_only && fs.writable;
    b.Add(fs.mount_point, "filesystem_health", ok ? 1 : 0, "", 0, 0, fs.health_level);
  }
  return rows;
}

}  // namespace vitals::collect
