#include "store/sqlite/database_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace vitals::store {
namespace {

constexpr mode_t kPrivate = S_IRUSR | S_IWUSR;

core::Status Errno(const std::string& what, const std::string& path) {
  return core::Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

// Tightens `path` to 0600 when group or others may read or write it; absent is fine.
core::Status Tighten(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    return errno == ENOENT ? core::Status::Ok() : Errno("stat", path);
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) == 0) return core::Status::Ok();
  if (::chmod(path.c_str(), kPrivate) != 0) return Errno("chmod 0600", path);
  std::fprintf(stderr,
               "vitals store: warning: %s was readable by others (mode %04o); its mode is now "
               "0600\n",
               path.c_str(), static_cast<unsigned>(st.st_mode & 07777));
  return core::Status::Ok();
}

}  // namespace

bool DatabaseFile::IsPlainFile() const {
  return !path_.empty() && path_ != ":memory:" && path_.rfind("file:", 0) != 0;
}

core::Status DatabaseFile::MakePrivate() const {
  if (!IsPlainFile()) return core::Status::Ok();
  const int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, kPrivate);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    return Errno("create", path_);
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    if (core::Status s = Tighten(path_ + suffix); !s.ok()) return s;
  }
  return core::Status::Ok();
}

core::Status DatabaseFile::Remember() {
  if (!IsPlainFile()) return core::Status::Ok();
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return Errno("stat", path_);
  device_ = st.st_dev;
  inode_ = st.st_ino;
  remembered_ = true;
  return core::Status::Ok();
}

core::Status DatabaseFile::CheckStillThere() const {
  if (!remembered_) return core::Status::Ok();
  struct stat st {};
  if (::stat(path_.c_str(), &st) == 0 && st.st_dev == device_ && st.st_ino == inode_ &&
      st.st_nlink > 0) {
    return core::Status::Ok();
  }
  return core::Status::Unavailable(
      "storage unavailable: the database file was deleted or replaced while the server was "
      "running; nothing more can be stored until it is restarted");
}

}  // namespace vitals::store
