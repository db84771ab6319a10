#include "collect/workspace_scanner.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <iterator>

#include "core/execution_event.h"

namespace vitals::collect {
namespace {

using core::Status;

Status Positive(const char* field, int64_t v) {
  return v > 0 ? Status::Ok() : Status::InvalidArgument(std::string(field) + ": must be > 0");
}

// Opens `path` as a directory without following a final symbolic link.
DIR* OpenDirectory(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return nullptr;
  DIR* dir = ::fdopendir(fd);
  if (!dir) ::close(fd);
  return dir;
}

// In the largest binary unit that keeps the figure at least 1: "512 B", "11.7 KiB", "3.0 GiB".
std::string FormatBytes(int64_t bytes) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (std::abs(value) >= 1024 && unit + 1 < std::size(kUnits)) {
    value /= 1024;
    ++unit;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, unit == 0 ? "%.0f %s" : "%.1f %s", value, kUnits[unit]);
  return buf;
}

}  // namespace

Status WorkspaceSpec::ValidateFields() const {
  if (Status st = core::ValidateId("id", id, 256); !st.ok()) return st;
  if (path.empty()) return Status::InvalidArgument("path: required");
  if (path.front() != '/') return Status::InvalidArgument("path: must be absolute, got " + path);
  if (Status st = Positive("warning_bytes", warning_bytes); !st.ok()) return st;
  if (Status st = Positive("critical_bytes", critical_bytes); !st.ok()) return st;
  if (warning_bytes > critical_bytes) {
    return Status::InvalidArgument("warning_bytes: must not exceed critical_bytes");
  }
  if (Status st = Positive("max_entries", max_entries); !st.ok()) return st;
  if (Status st = Positive("time_budget_ms", time_budget.count()); !st.ok()) return st;
  return Positive("interval_seconds", interval.count());
}

Status WorkspaceSpec::Validate() const {
  if (Status st = ValidateFields(); !st.ok()) return st;
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    return Status::InvalidArgument("path: " + path + ": " + std::strerror(errno));
  }
  if (!S_ISDIR(st.st_mode)) return Status::InvalidArgument("path: " + path + " is not a directory");
  return Status::Ok();
}

std::string_view WorkspaceStatusName(WorkspaceSample::Status status) {
  switch (status) {
    case WorkspaceSample::Status::kHealthy:
      return "healthy";
    case WorkspaceSample::Status::kWarning:
      return "warning";
    case WorkspaceSample::Status::kCritical:
      return "critical";
    case WorkspaceSample::Status::kError:
      return "error";
  }
  return "error";
}

std::vector<store::MetricRecord> WorkspaceMetricRows(const WorkspaceSpec& spec,
                                                     const WorkspaceSample& s) {
  const std::string status(WorkspaceStatusName(s.status));
  const std::string size_status(MetricLevelName(
      Classify(static_cast<double>(s.size_bytes), spec.warning_bytes, spec.critical_bytes)));
  std::vector<store::MetricRecord> rows;
  auto add = [&](const char* name, double value, const char* unit, double w, double c,
                 const std::string& st) {
    rows.push_back({spec.organization_id, "workspace", spec.id, name, value, w, c, s.at, unit, st});
  };
  add("workspace_size", static_cast<double>(s.size_bytes), "bytes",
      static_cast<double>(spec.warning_bytes), static_cast<double>(spec.critical_bytes),
      size_status);
  add("workspace_file_count", static_cast<double>(s.file_count), "files", 0, 0, "healthy");
  if (s.growth_bytes_per_hour) {
    add("workspace_growth", *s.growth_bytes_per_hour, "bytes/h", 0, 0, "healthy");
  }
  add("workspace_health", s.status == WorkspaceSample::Status::kError ? 0 : 1, "", 0, 0, status);
  return rows;
}

WorkspaceScanner::WorkspaceScanner(WorkspaceSpec spec, const core::Clock* clock)
    : spec_(std::move(spec)), clock_(clock) {}

WorkspaceSample WorkspaceScanner::Scan(const std::atomic<bool>* cancel) {
  const auto started = std::chrono::steady_clock::now();
  WorkspaceSample s;
  s.id = spec_.id;
  s.at = clock_->Now();
  struct stat root;
  if (::stat(spec_.path.c_str(), &root) != 0 || !S_ISDIR(root.st_mode)) {
    s.issues.push_back("directory " + spec_.path + " does not exist");
  } else {
    s.exists = true;
    s.readable = ::access(spec_.path.c_str(), R_OK | X_OK) == 0;
    s.writable = ::access(spec_.path.c_str(), W_OK) == 0;
    if (s.readable) WalkTree(root.st_dev, cancel, &s);
  }
  s.scan_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  if (previous_ && previous_->complete && s.complete && s.at > previous_->at) {
    const double hours = core::ToSecondsF(s.at - previous_->at) / 3600.0;
    s.growth_bytes_per_hour = static_cast<double>(s.size_bytes - previous_->size_bytes) / hours;
  }
  Judge(&s);
  previous_ = s;
  return s;
}

void WorkspaceScanner::WalkTree(dev_t device, const std::atomic<bool>* cancel,
                                WorkspaceSample* s) const {
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::microseconds(spec_.time_budget.count());
  std::vector<std::string> pending{spec_.path};
  int64_t entries = 0;
  bool stopped = false;
  while (!pending.empty() && !stopped) {
    const std::string dir_path = std::move(pending.back());
    pending.pop_back();
    DIR* dir = OpenDirectory(dir_path);
    if (!dir) {
      ++s->unreadable_directories;
      continue;
    }
    ++s->directory_count;
    const int dir_fd = ::dirfd(dir);
    while (const dirent* e = ::readdir(dir)) {
      if (std::strcmp(e->d_name, ".") == 0 || std::strcmp(e->d_name, "..") == 0) continue;
      // The clock and the cancel flag are checked every 64 entries: cheap, and fine-grained
      // enough that a scan overruns its budget by microseconds.
      if (++entries > spec_.max_entries ||
          (entries % 64 == 0 && (std::chrono::steady_clock::now() >= deadline ||
                                 (cancel && cancel->load(std::memory_order_relaxed))))) {
        stopped = true;
        break;
      }
      struct stat st;
      if (::fstatat(dir_fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      if (S_ISREG(st.st_mode)) {
        ++s->file_count;
        s->size_bytes += st.st_size;
      } else if (S_ISDIR(st.st_mode) && st.st_dev == device) {
        pending.push_back(dir_path + "/" + e->d_name);
      }
    }
    ::closedir(dir);
  }
  s->complete = !stopped && pending.empty();
}

void WorkspaceScanner::Judge(WorkspaceSample* s) const {
  using St = WorkspaceSample::Status;
  if (!s->exists || !s->readable) {
    if (s->exists) s->issues.push_back("directory " + spec_.path + " is not readable");
    s->status = St::kError;
    return;
  }
  s->status = St::kHealthy;
  if (!s->writable) {
    s->issues.push_back("directory " + spec_.path + " is not writable");
    s->status = St::kWarning;
  }
  const std::string bound = s->complete ? "" : " at least";
  if (s->size_bytes >= spec_.critical_bytes) {
    s->issues.push_back("size" + bound + " " + FormatBytes(s->size_bytes) + " reaches critical " +
                        FormatBytes(spec_.critical_bytes));
    s->status = St::kCritical;
  } else if (s->size_bytes >= spec_.warning_bytes) {
    s->issues.push_back("size" + bound + " " + FormatBytes(s->size_bytes) + " reaches warning " +
                        FormatBytes(spec_.warning_bytes));
    if (s->status == St::kHealthy) s->status = St::kWarning;
  }
  if (s->unreadable_directories > 0) {
    s->issues.push_back(std::to_string(s->unreadable_directories) +
                        " subdirectories could not be read");
  }
  if (!s->complete) {
    s->issues.push_back("scan stopped by its budget (" + std::to_string(spec_.max_entries) +
                        " entries, " + std::to_string(spec_.time_budget.count() / 1000) +
                        " ms): size and file count are lower bounds");
  }
}

}  // namespace vitals::collect
