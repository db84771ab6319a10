// DatabaseFile: the store's file on disk, as the operating system sees it. It keeps the file
// private to the server's user (it holds API key hashes and webhook secrets) and notices when the
// file the writer has open is no longer the one at its path (deleted or replaced while running),
// after which nothing written can be found again.
//
// Not thread-safe: used by the writer thread (and by Open before the writer starts).
#pragma once

#include <sys/types.h>

#include <string>

#include "core/status.h"

namespace vitals::store {

class DatabaseFile {
 public:
  explicit DatabaseFile(std::string path) : path_(std::move(path)) {}

  // Before SQLite opens the file: creates it 0600 when absent (SQLite gives its -wal and -shm the
  // database file's mode), and tightens an existing database, -wal or -shm readable by others to
  // 0600 with a warning on stderr. Paths SQLite does not treat as files (":memory:", "", URIs)
  // are left alone. Fails with kIoError naming the file.
  core::Status MakePrivate() const;

  // Records which file is at the path now; call once the writer's connection has opened it.
  core::Status Remember();
  // Ok while the path still names the remembered file and that file still has a link.
  // Otherwise Unavailable with a message that names no path (clients see it); the path is in
  // path(), for the server's log. A few microseconds (one stat).
  core::Status CheckStillThere() const;

  const std::string& path() const { return path_; }

 private:
  bool IsPlainFile() const;

  std::string path_;
  dev_t device_ = 0;
  ino_t inode_ = 0;
  bool remembered_ = false;
};

}  // namespace vitals::store
