// SystemCollector: one SystemSample from /proc and statvfs — no shelling out, no library.
//
// Filesystems: every /proc/mounts entry except pseudo filesystems (see IsSkippedFilesystem), and
// only the first mount of each device (bind mounts repeat it).
#pragma once

#include <sys/statvfs.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "collect/system_sample.h"
#include "core/clock.h"

namespace vitals::collect {

struct SystemCollectorOptions {
  // Where /proc and the mount points are looked up: "/" on a real machine, a fake tree in tests.
  std::string root = "/";
  SystemThresholds thresholds;
};

class SystemCollector final {
 public:
  // REQUIRES: options.thresholds.Validate().ok(); clock outlives the collector.
  SystemCollector(SystemCollectorOptions options, const core::Clock* clock);

  // Reads every source once. Blocking (file reads and one statvfs per filesystem; network
  // filesystems are skipped because statvfs on an unreachable server never returns). Not
  // thread-safe: it keeps the previous CPU counters. A source that cannot be read is named in
  // `errors` and its figures stay 0.
  SystemSample Collect();

  const SystemCollectorOptions& options() const { return options_; }

 private:
  struct CpuTimes {
    uint64_t busy = 0;
    uint64_t total = 0;
  };

  std::string Path(std::string_view absolute) const;
  void ReadCpu(SystemSample* s);
  void ReadMemory(SystemSample* s) const;
  void ReadLoad(SystemSample* s) const;
  void ReadProcessCount(SystemSample* s) const;
  void ReadFilesystems(SystemSample* s) const;

  SystemCollectorOptions options_;
  const core::Clock* clock_;
  CpuTimes previous_cpu_;
};

// True for what is not a disk worth watching: pseudo and memory filesystems (proc, sysfs, cgroup,
// tmpfs, devtmpfs, ...), squashfs images (full by design) and network filesystems (statvfs on an
// unreachable server hangs). A container's overlay root is kept: it is the disk it writes to.
bool IsSkippedFilesystem(std::string_view fs_type);

// Undoes /proc/mounts' octal escapes ("\040" for a space).
std::string DecodeMountField(std::string_view field);

// Fills sizes, percentages and levels of `fs` from statvfs figures.
void ApplyStatvfs(const struct statvfs& v, const SystemThresholds& thresholds,
                  FilesystemSample* fs);

}  // namespace vitals::collect
