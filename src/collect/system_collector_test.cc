// The system collector on a fake /proc tree (exact figures) and on the real one (sane figures).
#include "collect/system_collector.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace vitals::collect {
namespace {

namespace fs = std::filesystem;

class FakeRoot {
 public:
  FakeRoot() : root_(fs::temp_directory_path() / ("vitals-proc-" + std::to_string(::getpid()))) {
    fs::remove_all(root_);
    fs::create_directories(root_ / "proc");
  }
  ~FakeRoot() { fs::remove_all(root_); }
  void Write(const std::string& relative, const std::string& text) {
    fs::create_directories((root_ / relative).parent_path());
    std::ofstream(root_ / relative) << text;
  }
  void Mkdir(const std::string& relative) { fs::create_directories(root_ / relative); }
  std::string path() const { return root_.string(); }

 private:
  fs::path root_;
};

constexpr char kMeminfo[] =
    "MemTotal:       1000000 kB\nMemFree:          50000 kB\nMemAvailable:     150000 kB\n"
    "Buffers:           1000 kB\nSwapTotal:       200000 kB\nSwapFree:        150000 kB\n";

TEST(SystemCollectorTest, ExactFiguresFromAFakeProcTree) {
  FakeRoot root;
  // user nice system idle iowait irq softirq steal guest guest_nice
  root.Write("proc/stat",
             "cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 50 0 50 350 50 0 0 0 0 0\n"
             "cpu1 50 0 50 350 50 0 0 0 0 0\nintr 1 2 3\n");
  root.Write("proc/meminfo", kMeminfo);
  root.Write("proc/loadavg", "0.50 1.25 2.00 3/456 789\n");
  for (const char* pid : {"1", "42", "4242"}) root.Mkdir(std::string("proc/") + pid);
  root.Mkdir("proc/sys");  // not a process
  root.Write("proc/mounts", "");
  core::FakeClock clock;
  SystemCollector collector({root.path(), {}}, &clock);

  SystemSample first = collector.Collect();
  EXPECT_TRUE(first.errors.empty());
  EXPECT_DOUBLE_EQ(first.cpu_percent, 20.0);  // since boot: busy 200 of 1000
  EXPECT_TRUE(first.cpu_since_boot);
  EXPECT_EQ(first.cpu_count, 2);
  EXPECT_DOUBLE_EQ(first.memory_percent, 85.0);  // 1 - 150000/1000000
  EXPECT_EQ(first.memory_level, MetricLevel::kWarning);
  EXPECT_DOUBLE_EQ(first.swap_percent, 25.0);
  EXPECT_DOUBLE_EQ(first.load_1m, 0.5);
  EXPECT_DOUBLE_EQ(first.load_15m, 2.0);
  EXPECT_EQ(first.process_count, 3);

  // 1000 more ticks, 960 of them busy: 96%, critical.
  root.Write("proc/stat", "cpu  900 0 260 720 120 0 0 0 0 0\n");
  SystemSample second = collector.Collect();
  EXPECT_DOUBLE_EQ(second.cpu_percent, 96.0);
  EXPECT_FALSE(second.cpu_since_boot);
  EXPECT_EQ(second.cpu_level, MetricLevel::kCritical);
  EXPECT_EQ(second.Overall(), MetricLevel::kCritical);
}

TEST(SystemCollectorTest, ThresholdsAreConfigurableAndValidated) {
  SystemThresholds t;
  t.memory_warning = 90;
  t.memory_critical = 99;
  EXPECT_TRUE(t.Validate().ok());
  FakeRoot root;
  root.Write("proc/meminfo", kMeminfo);
  core::FakeClock clock;
  SystemSample s = SystemCollector({root.path(), t}, &clock).Collect();
  EXPECT_EQ(s.memory_level, MetricLevel::kHealthy);  // 85% is under the raised warning
  EXPECT_FALSE(s.errors.empty());                    // no /proc/stat in this tree: named
  EXPECT_NE(s.errors[0].find("/proc/stat"), std::string::npos);

  t.disk_warning = 96;
  EXPECT_EQ(t.Validate().message(), "disk_warning: must not exceed disk_critical");
  t = {};
  t.cpu_critical = 120;
  EXPECT_EQ(t.Validate().message(), "cpu_critical: must be in (0, 100]");
}

TEST(SystemCollectorTest, DiskFiguresFromStatvfs) {
  struct statvfs v {};
  v.f_frsize = 4096;
  v.f_blocks = 1000;
  v.f_bfree = 100;  // 900 blocks used
  v.f_bavail = 50;  // 50 more for users: 900 / 950 = 94.7%
  v.f_files = 100;
  v.f_ffree = 4;  // 96% of inodes used
  FilesystemSample fs;
  ApplyStatvfs(v, SystemThresholds{}, &fs);
  EXPECT_EQ(fs.total_bytes, 4096u * 1000);
  EXPECT_EQ(fs.used_bytes, 4096u * 900);
  EXPECT_EQ(fs.available_bytes, 4096u * 50);
  EXPECT_NEAR(fs.usage_percent, 94.7368, 1e-3);
  EXPECT_EQ(fs.usage_level, MetricLevel::kWarning);  // 85 <= 94.7 < 95
  EXPECT_DOUBLE_EQ(fs.inode_usage_percent, 96.0);
  EXPECT_EQ(fs.inode_level, MetricLevel::kCritical);
  EXPECT_FALSE(fs.read_only);
  v.f_flag = ST_RDONLY;
  ApplyStatvfs(v, SystemThresholds{}, &fs);
  EXPECT_TRUE(fs.read_only);
}

TEST(SystemCollectorTest, MountsAreFilteredAndTheirHealthJudged) {
  FakeRoot root;
  root.Mkdir("data");
  root.Mkdir("readonly");
  root.Write("proc/mounts",
             "proc /proc proc rw,nosuid 0 0\n"
             "tmpfs /run tmpfs rw 0 0\n"
             "cgroup2 /sys/fs/cgroup cgroup2 rw 0 0\n"
             "/dev/fake1 /data ext4 rw,relatime 0 0\n"
             "/dev/fake1 /data/bind ext4 rw,relatime 0 0\n"  // bind mount: same device
             "/dev/fake2 /readonly ext4 ro,relatime 0 0\n"
             "/dev/fake3 /gone\\040away xfs rw 0 0\n");
  core::FakeClock clock;
  SystemSample s = SystemCollector({root.path(), {}}, &clock).Collect();
  ASSERT_EQ(s.filesystems.size(), 3u);
  const FilesystemSample& data = s.filesystems[0];
  EXPECT_EQ(data.mount_point, "/data");
  EXPECT_TRUE(data.present);
  EXPECT_TRUE(data.writable);
  EXPECT_GT(data.total_bytes, 0u);
  EXPECT_EQ(data.health_level, MetricLevel::kHealthy);
  const FilesystemSample& ro = s.filesystems[1];
  EXPECT_TRUE(ro.read_only);
  EXPECT_EQ(ro.health_level, MetricLevel::kWarning);
  EXPECT_EQ(ro.issues.at(0), "filesystem is read-only");
  const FilesystemSample& gone = s.filesystems[2];
  EXPECT_EQ(gone.mount_point, "/gone away");
  EXPECT_FALSE(gone.present);
  EXPECT_EQ(gone.health_level, MetricLevel::kCritical);
  EXPECT_EQ(gone.issues.at(0), "mount point is missing");

  auto rows = SystemMetricRows(s, "acme");
  int disk_rows = 0;
  for (const store::MetricRecord& r : rows) {
    EXPECT_EQ(r.organization_id, "acme");
    EXPECT_EQ(r.resource_type, "system");
    if (r.metric_name == "filesystem_health" && r.resource_id == "/gone away") {
      EXPECT_EQ(r.value, 0);
      EXPECT_EQ(r.status, "critical");
    }
    disk_rows += r.metric_name == "disk_usage";
  }
  EXPECT_EQ(disk_rows, 3);
}

TEST(SystemCollectorTest, RealProcIsSane) {
  core::FakeClock clock;
  SystemCollector collector({}, &clock);
  collector.Collect();
  SystemSample s = collector.Collect();
  EXPECT_TRUE(s.errors.empty()) << s.errors[0];
  EXPECT_GE(s.cpu_percent, 0);
  EXPECT_LE(s.cpu_percent, 100);
  EXPECT_GE(s.cpu_count, 1);
  EXPECT_GT(s.memory_percent, 0);
  EXPECT_LT(s.memory_percent, 100);
  EXPECT_GT(s.memory_total_bytes, 0u);
  EXPECT_GE(s.swap_percent, 0);
  EXPECT_GE(s.load_1m, 0);
  EXPECT_GE(s.process_count, 1);  // this test, at least
  ASSERT_FALSE(s.filesystems.empty());
  for (const FilesystemSample& fs : s.filesystems) {
    EXPECT_NE(fs.fs_type, "proc");
    EXPECT_NE(fs.fs_type, "tmpfs");
    if (!fs.present) continue;
    EXPECT_GE(fs.usage_percent, 0);
    EXPECT_LE(fs.usage_percent, 100);
    EXPECT_LE(fs.used_bytes, fs.total_bytes);
  }
  EXPECT_EQ(s.at, clock.Now());
}

TEST(SystemCollectorTest, MountFieldsDecodeOctalEscapes) {
  EXPECT_EQ(DecodeMountField("/a\\040b\\011c"), "/a b\tc");
  EXPECT_EQ(DecodeMountField("/plain\\"), "/plain\\");
  EXPECT_TRUE(IsSkippedFilesystem("sysfs"));
  EXPECT_FALSE(IsSkippedFilesystem("ext4"));
  EXPECT_FALSE(IsSkippedFilesystem("overlay"));
}

}  // namespace
}  // namespace vitals::collect
