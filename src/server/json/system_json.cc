#include "server/json/system_json.h"

namespace vitals::server {
namespace {

void WriteIssues(JsonWriter& w, const std::vector<std::string>& issues) {
  w.Key("issues").BeginArray();
  for (const std::string& i : issues) w.String(i);
  w.EndArray();
}

}  // namespace

void WriteSystemFields(JsonWriter& w, const collect::SystemSample& s) {
  using collect::MetricLevelName;
  w.Field("cpu_usage", s.cpu_percent)
      .Field("memory_usage", s.memory_percent)
      .Field("swap_usage", s.swap_percent)
      .Field("cpu_count", s.cpu_count)
      .Field("memory_total_bytes", s.memory_total_bytes)
      .Field("memory_available_bytes", s.memory_available_bytes)
      .Field("load_1m", s.load_1m)
      .Field("load_5m", s.load_5m)
      .Field("load_15m", s.load_15m)
      .Field("process_count", s.process_count)
      .Field("system_status", MetricLevelName(s.Overall()))
      .Field("sampled_at", s.at);
  w.Key("levels")
      .BeginObject()
      .Field("cpu", MetricLevelName(s.cpu_level))
      .Field("memory", MetricLevelName(s.memory_level))
      .Field("swap", MetricLevelName(s.swap_level))
      .EndObject();
  w.Key("disks").BeginArray();
  for (const collect::FilesystemSample& f : s.filesystems) {
    w.BeginObject()
        .Field("mount_point", f.mount_point)
        .Field("device", f.device)
        .Field("fs_type", f.fs_type)
        .Field("present", f.present)
        .Field("read_only", f.read_only)
        .Field("writable", f.writable)
        .Field("total_bytes", f.total_bytes)
        .Field("used_bytes", f.used_bytes)
        .Field("available_bytes", f.available_bytes)
        .Field("usage_percent", f.usage_percent)
        .Field("inode_usage_percent", f.inode_usage_percent)
        .Field("status", MetricLevelName(f.Overall()));
    WriteIssues(w, f.issues);
    w.EndObject();
  }
  w.EndArray();
  if (!s.errors.empty()) {
    w.Key("errors").BeginArray();
    for (const std::string& e : s.errors) w.String(e);
    w.EndArray();
  }
}

}  // namespace vitals::server
