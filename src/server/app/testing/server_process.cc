#include "server/app/testing/server_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace vitals::server::testing {
namespace {

// True once GET /readyz on loopback:port answers "200".
bool Ready(uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    const char req[] = "GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    if (::send(fd, req, sizeof req - 1, 0) > 0) {
      char buf[64] = {};
      const ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
      ok = n > 12 && std::strncmp(buf + 9, "200", 3) == 0;
    }
  }
  ::close(fd);
  return ok;
}

// A store URL (postgresql://...) rather than an SQLite file.
bool IsStoreUrl(const std::string& db) { return db.find("://") != std::string::npos; }

}  // namespace

ServerProcess::ServerProcess(std::string binary, std::string db,
                             std::vector<std::string> extra_args)
    : binary_(std::move(binary)), db_(std::move(db)), extra_args_(std::move(extra_args)) {
  static std::atomic<int> made{0};
  log_path_ = IsStoreUrl(db_) ? (std::filesystem::temp_directory_path() /
                                 ("vitals-serve-" + std::to_string(::getpid()) + "-" +
                                  std::to_string(made.fetch_add(1)) + ".log"))
                                    .string()
                              : db_ + ".server.log";
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
}

uint16_t ServerProcess::FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

std::string ServerProcess::DefaultBinary() {
  if (const char* env = std::getenv("VITALS_BINARY")) return env;
  char self[4096] = {};
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  std::string dir(self, n > 0 ? static_cast<size_t>(n) : 0);
  // Test binaries live in build/src/<dir>/...; the vitals binary in build/.
  const size_t src = dir.rfind("/src/");
  return (src == std::string::npos ? std::string(".") : dir.substr(0, src)) + "/vitals";
}

core::Status ServerProcess::Start(uint16_t port, std::chrono::milliseconds timeout) {
  port_ = port ? port : FreePort();
  std::vector<std::string> args = {binary_,
                                   "serve",
                                   "--listen",
                                   host_ + ":" + std::to_string(port_),
                                   IsStoreUrl(db_) ? "--store" : "--db",
                                   db_};
  args.insert(args.end(), extra_args_.begin(), extra_args_.end());
  pid_ = ::fork();
  if (pid_ < 0) return core::Status::Internal("fork failed");
  if (pid_ == 0) {
    const int log = ::open(log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(log, 1);
    ::dup2(log, 2);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(binary_.c_str(), argv.data());
    std::_Exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return core::Status::Unavailable("vitals serve exited early: " + LogTail());
    }
    if (Ready(port_)) return core::Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  Kill();
  return core::Status::Unavailable("vitals serve not ready in time: " + LogTail());
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string ServerProcess::LogTail(size_t bytes) const {
  std::ifstream in(log_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string all = ss.str();
  return all.size() > bytes ? all.substr(all.size() - bytes) : all;
}

}  // namespace vitals::server::testing
