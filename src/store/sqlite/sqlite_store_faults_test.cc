// The file under the store: its permissions, its deletion while the store runs, a full disk.
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <thread>

#include "store/sqlite/sqlite_test_util.h"

namespace vitals::store::testing {
namespace {

using namespace std::chrono_literals;

class FaultsTest : public StoreTest {
 protected:
  // Appends and waits; returns the commit's status and whether any id came back.
  static std::pair<core::Status, size_t> TryAppend(Store& store, std::vector<ExecutionWrite> rows) {
    std::promise<std::pair<core::Status, size_t>> p;
    store.AppendExecutions(std::move(rows), [&p](core::Status s, std::span<const int64_t> ids) {
      p.set_value({std::move(s), ids.size()});
    });
    return p.get_future().get();
  }
};

unsigned ModeOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 0777;
}

TEST_F(FaultsTest, ANewDatabaseAndItsWalAndShmAreReadableByTheOwnerOnly) {
  const mode_t old_umask = ::umask(022);
  auto store = Open();
  ::umask(old_umask);
  Append(*store, {MakeExecution("o", "a", At(1))});
  const std::string db = Options().path;
  for (const std::string& file : {db, db + "-wal", db + "-shm"}) {
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    EXPECT_EQ(ModeOf(file), 0600u) << file;
  }
}

TEST_F(FaultsTest, AnExistingDatabaseReadableByOthersIsTightenedOnOpen) {
  const std::string db = Options().path;
  {
    auto store = Open();
    Append(*store, {MakeExecution("o", "a", At(1))});
  }
  ASSERT_EQ(::chmod(db.c_str(), 0644), 0);
  std::ofstream(db + "-wal").put('\0');  // a stray WAL left readable by others
  ASSERT_EQ(::chmod((db + "-wal").c_str(), 0664), 0);
  auto store = Open();
  EXPECT_EQ(ModeOf(db), 0600u);
  EXPECT_EQ(ModeOf(db + "-wal"), 0600u);
  EXPECT_EQ(Query(*store, Q("o", "a")).size(), 1u);
}

TEST_F(FaultsTest, ADeletedDatabaseFailsEveryLaterWriteAndReadiness) {
  auto store = Open();
  Append(*store, {MakeExecution("o", "a", At(1))});
  EXPECT_TRUE(store->Health().ok());
  ASSERT_EQ(::unlink(Options().path.c_str()), 0);

  for (int i = 0; i < 3; ++i) {
    auto [status, ids] = TryAppend(*store, {MakeExecution("o", "a", At(2 + i))});
    EXPECT_EQ(status.code(), core::StatusCode::kUnavailable) << status.ToString();
    EXPECT_EQ(ids, 0u);
    EXPECT_NE(status.message().find("deleted or replaced"), std::string::npos);
    EXPECT_EQ(status.message().find(Options().path), std::string::npos) << status.message();
  }
  EXPECT_EQ(store->UpsertAgent({"o", "a", {}, At(0), At(0)}).code(),
            core::StatusCode::kUnavailable);
  const core::Status health = store->Health();
  EXPECT_EQ(health.code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(health.message().find(Options().path), std::string::npos);
  std::this_thread::sleep_for(600ms);  // no probe brings it back
  EXPECT_FALSE(store->Health().ok());
}

TEST_F(FaultsTest, ADatabaseReplacedByAnotherFileFailsTheNextWrite) {
  auto store = Open();
  Append(*store, {MakeExecution("o", "a", At(1))});
  const std::string other = dir_.File("other.db");
  std::ofstream(other).put('x');
  ASSERT_EQ(std::rename(other.c_str(), Options().path.c_str()), 0);
  auto [status, ids] = TryAppend(*store, {MakeExecution("o", "a", At(2))});
  EXPECT_EQ(status.code(), core::StatusCode::kUnavailable) << status.ToString();
  EXPECT_EQ(ids, 0u);
  EXPECT_FALSE(store->Health().ok());
}

// A small tmpfs filled up: commits fail, readiness is off with the reason, and both come back by
// themselves once space is freed.
class FullDiskTest : public FaultsTest {
 protected:
  void SetUp() override {
    mount_ = dir_.File("tmpfs");
    std::filesystem::create_directories(mount_);
    if (::mount("tmpfs", mount_.c_str(), "tmpfs", 0, "size=4m") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(errno)
                   << "); the full-disk test needs root";
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) ::umount2(mount_.c_str(), MNT_DETACH);
  }
  // Writes 64 KB blocks to `path` until the file system is full.
  static void Fill(const std::string& path) {
    FILE* f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::setvbuf(f, nullptr, _IONBF, 0);
    const std::string block(64 << 10, 'f');
    while (std::fwrite(block.data(), 1, block.size(), f) == block.size()) {
    }
    std::fclose(f);
  }

  std::string mount_;
  bool mounted_ = false;
};

TEST_F(FullDiskTest, CommitsFailReadinessIsOffAndBothRecoverOnceSpaceReturns) {
  SqliteOptions o = Options();
  o.path = mount_ + "/vitals.db";
  auto store = Open(o);
  ASSERT_NE(store, nullptr);
  Append(*store, {MakeExecution("o", "a", At(1))});
  Fill(mount_ + "/filler");

  core::Status failed;
  std::vector<ExecutionWrite> rows;  // the last batch, the one that failed
  for (int i = 0; i < 200 && failed.ok(); ++i) {
    rows.clear();
    for (int k = 0; k < 16; ++k) {
      rows.push_back(MakeExecution("o", "a", At(100 + i * 16 + k)));
      rows.back().event.input_summary.assign(16 << 10, 'x');
    }
    auto [status, ids] = TryAppend(*store, rows);
    if (!status.ok()) {
      EXPECT_EQ(ids, 0u);
    }
    failed = status;
  }
  ASSERT_FALSE(failed.ok()) << "the disk never filled";
  EXPECT_EQ(failed.code(), core::StatusCode::kIoError) << failed.ToString();  // a 503
  EXPECT_EQ(failed.message().find(o.path), std::string::npos) << failed.message();
  const core::Status health = store->Health();
  EXPECT_FALSE(health.ok());
  EXPECT_NE(health.message().find("full"), std::string::npos) << health.ToString();
  EXPECT_GE(store->Stats().commit_failures, 1u);

  std::filesystem::remove(mount_ + "/filler");
  for (int i = 0; i < 100 && !store->Health().ok(); ++i) std::this_thread::sleep_for(50ms);
  EXPECT_TRUE(store->Health().ok()) << store->Health().ToString();  // the probe, not an append
  // The failed batch sent again is stored: a rolled-back group is no retry to recognize.
  const auto again = Append(*store, rows);
  ASSERT_EQ(again.size(), rows.size());
  for (int64_t id : again) EXPECT_GT(id, 0);
  store.reset();
}

}  // namespace
}  // namespace vitals::store::testing
