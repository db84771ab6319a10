#include "collect/system_collector.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <fstream>
#include <set>
#include <sstream>

namespace vitals::collect {
namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

bool HasOption(std::string_view options, std::string_view name) {
  while (!options.empty()) {
    const size_t comma = options.find(',');
    if (options.substr(0, comma) == name) return true;
    if (comma == std::string_view::npos) break;
    options.remove_prefix(comma + 1);
  }
  return false;
}

bool IsNumeric(const char* name) {
  if (*name == '\0') return false;
  for (; *name; ++name) {
    if (*name < '0' || *name > '9') return false;
  }
  return true;
}

void SetHealth(const SystemThresholds& t, FilesystemSample* fs) {
  if (!fs->present) {
    fs->health_level = MetricLevel::kCritical;
    fs->issues.push_back("mount point is missing");
    return;
  }
  if (fs->read_only) fs->issues.push_back("filesystem is read-only");
  if (!fs->writable && !fs->read_only) fs->issues.push_back("mount point is not writable");
  fs->health_level = fs->read_only || !fs->writable ? MetricLevel::kWarning : MetricLevel::kHealthy;
  if (fs->usage_level != MetricLevel::kHealthy) {
    fs->issues.push_back("disk usage " + std::to_string(static_cast<int>(fs->usage_percent)) +
                         "% at or above " + std::string(MetricLevelName(fs->usage_level)) +
                         " threshold");
  }
  if (fs->inode_level != MetricLevel::kHealthy) {
    fs->issues.push_back(
        "inode usage " + std::to_string(static_cast<int>(fs->inode_usage_percent)) +
        "% at or above " + std::string(MetricLevelName(fs->inode_level)) + " threshold");
  }
}

}  // namespace

bool IsSkippedFilesystem(std::string_view t) {
  static const std::set<std::string_view> kSkipped = {
      "proc",     "sysfs",     "cgroup",    "cgroup2",     "tmpfs",      "devtmpfs",       "devpts",
      "mqueue",   "hugetlbfs", "debugfs",   "tracefs",     "securityfs", "pstore",         "bpf",
      "configfs", "fusectl",   "autofs",    "binfmt_misc", "rpc_pipefs", "nsfs",           "ramfs",
      "efivarfs", "selinuxfs", "squashfs",  "nfs",         "nfs4",       "cifs",           "smb3",
      "smbfs",    "ceph",      "glusterfs", "fuse.sshfs",  "fuse.lxcfs", "fuse.gvfsd-fuse"};
  return kSkipped.count(t) > 0;
}

std::string DecodeMountField(std::string_view f) {
  std::string out;
  out.reserve(f.size());
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] == '\\' && i + 3 < f.size()) {
      const char a = f[i + 1], b = f[i + 2], c = f[i + 3];
      if (a >= '0' && a <= '3' && b >= '0' && b <= '7' && c >= '0' && c <= '7') {
        out.push_back(static_cast<char>((a - '0') * 64 + (b - '0') * 8 + (c - '0')));
        i += 3;
        continue;
      }
    }
    out.push_back(f[i]);
  }
  return out;
}

void ApplyStatvfs(const struct statvfs& v, const SystemThresholds& t, FilesystemSample* fs) {
  const uint64_t unit = v.f_frsize ? v.f_frsize : v.f_bsize;
  fs->total_bytes = static_cast<uint64_t>(v.f_blocks) * unit;
  fs->used_bytes = static_cast<uint64_t>(v.f_blocks - v.f_bfree) * unit;
  fs->available_bytes = static_cast<uint64_t>(v.f_bavail) * unit;
  const uint64_t usable = fs->used_bytes + fs->available_bytes;
  fs->usage_percent = usable ? 100.0 * static_cast<double>(fs->used_bytes) / usable : 0;
  fs->inodes_total = v.f_files;
  fs->inodes_used = v.f_files - v.f_ffree;
  fs->inode_usage_percent =
      v.f_files ? 100.0 * static_cast<double>(fs->inodes_used) / v.f_files : 0;
  if ((v.f_flag & ST_RDONLY) != 0) fs->read_only = true;
  fs->usage_level = Classify(fs->usage_percent, t.disk_warning, t.disk_critical);
  fs->inode_level = Classify(fs->inode_usage_percent, t.disk_warning, t.disk_critical);
}

SystemCollector::SystemCollector(SystemCollectorOptions options, const core::Clock* clock)
    : options_(std::move(options)), clock_(clock) {}

std::string SystemCollector::Path(std::string_view absolute) const {
  if (options_.root.empty() || options_.root == "/") return std::string(absolute);
  std::string root = options_.root;
  if (root.back() == '/') root.pop_back();
  return root + std::string(absolute);
}

SystemSample SystemCollector::Collect() {
  SystemSample s;
  s.at = clock_->Now();
  s.thresholds = options_.thresholds;
  ReadCpu(&s);
  ReadMemory(&s);
  ReadLoad(&s);
  ReadProcessCount(&s);
  ReadFilesystems(&s);
  const SystemThresholds& t = options_.thresholds;
  s.cpu_level = Classify(s.cpu_percent, t.cpu_warning, t.cpu_critical);
  s.memory_level = Classify(s.memory_percent, t.memory_warning, t.memory_critical);
  s.swap_level = Classify(s.swap_percent, t.swap_warning, t.swap_critical);
  return s;
}

void SystemCollector::ReadCpu(SystemSample* s) {
  std::string text;
  if (!ReadFile(Path("/proc/stat"), &text)) {
    s->errors.push_back("/proc/stat: cannot read");
    return;
  }
  std::istringstream in(text);
  std::string line;
  CpuTimes now;
  bool found = false;
  while (std::getline(in, line)) {
    if (line.rfind("cpu ", 0) == 0) {
      // user nice system idle iowait irq softirq steal; guest time is already inside user.
      std::istringstream f(line.substr(4));
      std::array<uint64_t, 8> v{};
      for (uint64_t& x : v) f >> x;
      for (uint64_t x : v) now.total += x;
      now.busy = now.total - v[3] - v[4];
      found = true;
    } else if (line.rfind("cpu", 0) == 0 && line.size() > 3 && line[3] >= '0' && line[3] <= '9') {
      ++s->cpu_count;
    }
  }
  if (!found) {
    s->errors.push_back("/proc/stat: no cpu line");
    return;
  }
  const uint64_t total = now.total - std::min(now.total, previous_cpu_.total);
  const uint64_t busy = now.busy - std::min(now.busy, previous_cpu_.busy);
  s->cpu_percent = total ? 100.0 * static_cast<double>(busy) / total : 0;
  s->cpu_since_boot = previous_cpu_.total == 0;
  previous_cpu_ = now;
}

void SystemCollector::ReadMemory(SystemSample* s) const {
  std::string text;
  if (!ReadFile(Path("/proc/meminfo"), &text)) {
    s->errors.push_back("/proc/meminfo: cannot read");
    return;
  }
  std::istringstream in(text);
  std::string key;
  uint64_t kb = 0, total = 0, available = 0, free = 0, buffers = 0, cached = 0, swap_total = 0,
           swap_free = 0;
  bool have_available = false;
  while (in >> key >> kb) {
    if (key == "MemTotal:") total = kb;
    if (key == "MemAvailable:") available = kb, have_available = true;
    if (key == "MemFree:") free = kb;
    if (key == "Buffers:") buffers = kb;
    if (key == "Cached:") cached = kb;
    if (key == "SwapTotal:") swap_total = kb;
    if (key == "SwapFree:") swap_free = kb;
    in.ignore(256, '\n');
  }
  // Kernels before 3.14 have no MemAvailable; free + buffers + cache approximates it.
  if (!have_available) available = free + buffers + cached;
  if (total == 0) {
    s->errors.push_back("/proc/meminfo: no MemTotal");
    return;
  }
  s->memory_total_bytes = total * 1024;
  s->memory_available_bytes = available * 1024;
  s->memory_percent = 100.0 * (1.0 - static_cast<double>(available) / total);
  s->swap_total_bytes = swap_total * 1024;
  s->swap_percent = swap_total ? 100.0 * (1.0 - static_cast<double>(swap_free) / swap_total) : 0;
}

void SystemCollector::ReadLoad(SystemSample* s) const {
  std::string text;
  if (!ReadFile(Path("/proc/loadavg"), &text)) {
    s->errors.push_back("/proc/loadavg: cannot read");
    return;
  }
  std::istringstream in(text);
  if (!(in >> s->load_1m >> s->load_5m >> s->load_15m)) {
    s->errors.push_back("/proc/loadavg: unexpected format");
  }
}

void SystemCollector::ReadProcessCount(SystemSample* s) const {
  DIR* dir = ::opendir(Path("/proc").c_str());
  if (!dir) {
    s->errors.push_back("/proc: cannot list");
    return;
  }
  while (const dirent* e = ::readdir(dir)) {
    if (IsNumeric(e->d_name)) ++s->process_count;
  }
  ::closedir(dir);
}

void SystemCollector::ReadFilesystems(SystemSample* s) const {
  std::string text;
  if (!ReadFile(Path("/proc/mounts"), &text)) {
    s->errors.push_back("/proc/mounts: cannot read");
    return;
  }
  std::istringstream in(text);
  std::string line;
  std::set<std::string> seen_devices;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string device, mount_point, type, options;
    if (!(f >> device >> mount_point >> type >> options)) continue;
    if (IsSkippedFilesystem(type) || !seen_devices.insert(device).second) continue;
    FilesystemSample fs;
    fs.device = DecodeMountField(device);
    fs.mount_point = DecodeMountField(mount_point);
    fs.fs_type = type;
    fs.read_only = HasOption(options, "ro");
    const std::string path = Path(fs.mount_point);
    struct stat st;
    struct statvfs v;
    if (::stat(path.c_str(), &st) != 0 || ::statvfs(path.c_str(), &v) != 0) {
      fs.present = false;
    } else {
      ApplyStatvfs(v, options_.thresholds, &fs);
      fs.writable = ::access(path.c_str(), W_OK) == 0;
    }
    SetHealth(options_.thresholds, &fs);
    s->filesystems.push_back(std::move(fs));
  }
}

}  // namespace vitals::collect
