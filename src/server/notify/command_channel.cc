#include "server/notify/command_channel.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>
#include <thread>

namespace vitals::server {
namespace {

constexpr size_t kStderrTail = 512;

// Runs in the child between fork and exec: async-signal-safe calls only.
[[noreturn]] void ExecChild(int stdin_fd, int stderr_fd, char* const* argv) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  setpgid(0, 0);
  const int devnull = open("/dev/null", O_WRONLY);
  dup2(stdin_fd, 0);
  dup2(devnull >= 0 ? devnull : stderr_fd, 1);
  dup2(stderr_fd, 2);
  syscall(SYS_close_range, 3u, ~0u, 0u);
  execv(argv[0], argv);
  _exit(127);
}

struct Pipes {
  int in[2] = {-1, -1};   // the child's stdin
  int err[2] = {-1, -1};  // the child's stderr
  ~Pipes() {
    for (int fd : {in[0], in[1], err[0], err[1]}) {
      if (fd >= 0) close(fd);
    }
  }
};

void CloseFd(int& fd) {
  if (fd >= 0) close(fd);
  fd = -1;
}

// Feeds `input` to the child and collects its stderr until both pipes are done or `deadline`.
// Returns false on timeout.
bool Exchange(Pipes& p, const std::string& input, std::string* err_tail,
              std::chrono::steady_clock::time_point deadline) {
  size_t written = 0;
  if (input.empty()) CloseFd(p.in[1]);
  while (p.err[0] >= 0) {
    pollfd fds[2] = {{p.err[0], POLLIN, 0}, {p.in[1], POLLOUT, 0}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    if (poll(fds, p.in[1] >= 0 ? 2 : 1, static_cast<int>(left.count())) < 0 && errno != EINTR) {
      return false;
    }
    if (p.in[1] >= 0 && (fds[1].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t n = write(p.in[1], input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) written = input.size();  // child gone
      if (written == input.size()) CloseFd(p.in[1]);
    }
    if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      char buf[4096];
      const ssize_t n = read(p.err[0], buf, sizeof buf);
      if (n > 0) {
        err_tail->append(buf, static_cast<size_t>(n));
        if (err_tail->size() > kStderrTail) err_tail->erase(0, err_tail->size() - kStderrTail);
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        CloseFd(p.err[0]);
      }
    }
  }
  return true;
}

// Waits for `pid` until `deadline`; returns its wait status, or nullopt on timeout.
std::optional<int> WaitUntil(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return 0;
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

std::string Tail(const std::string& err) {
  std::string t = err;
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
  return t.empty() ? std::string() : ": " + t;
}

}  // namespace

core::Status CommandChannel::Deliver(const Payload& payload, std::string* detail) {
  const std::string input = PayloadJson(payload) + "\n";
  std::vector<char*> argv;
  for (const std::string& a : argv_) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Pipes p;
  if (pipe2(p.in, O_CLOEXEC) != 0 || pipe2(p.err, O_CLOEXEC) != 0) {
    return core::Status::Unavailable(std::string("pipe: ") + std::strerror(errno));
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout_;
  const pid_t pid = fork();
  if (pid < 0) return core::Status::Unavailable(std::string("fork: ") + std::strerror(errno));
  if (pid == 0) ExecChild(p.in[0], p.err[1], argv.data());
  setpgid(pid, pid);  // also here, so the kill below cannot race the child's own setpgid
  CloseFd(p.in[0]);
  CloseFd(p.err[1]);
  fcntl(p.in[1], F_SETFL, O_NONBLOCK);
  std::string err;
  const bool finished = Exchange(p, input, &err, deadline);
  std::optional<int> status = finished ? WaitUntil(pid, deadline) : std::nullopt;
  if (!status) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    *detail =
        "timeout after " + std::to_string(timeout_.count() / 1000) + " ms, killed" + Tail(err);
    return core::Status::Unavailable(*detail);
  }
  if (WIFEXITED(*status)) {
    *detail = "exit " + std::to_string(WEXITSTATUS(*status)) + Tail(err);
    if (WEXITSTATUS(*status) == 0) return core::Status::Ok();
  } else {
    *detail = "killed by signal " + std::to_string(WTERMSIG(*status)) + Tail(err);
  }
  return core::Status::FailedPrecondition(*detail);
}

}  // namespace vitals::server
