#include "server/http/probe_client.h"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdio>
#include <exception>

#include "server/http/probe_gate.h"
#include "server/http/probe_loop.h"
#include "server/http/probe_operation.h"

namespace vitals::server {
namespace {

void RunLoop(net::io_context& io) {
  for (;;) {
    try {
      io.run();
      return;
    } catch (const std::exception& e) {
      std::fprintf(stderr, "vitals probe: unexpected exception in callback: %s\n", e.what());
    }
  }
}

// Delivers `value` to `fn` through the gate, then forgets the tracked cancel.
template <typename Fn, typename... Args>
void Deliver(const std::shared_ptr<ProbeGate>& gate, uint64_t id, Fn& fn, Args&&... args) {
  gate->Untrack(id);
  if (!gate->Enter()) return;
  try {
    fn(std::forward<Args>(args)...);
  } catch (...) {
    gate->Leave();
    throw;
  }
  gate->Leave();
}

}  // namespace

ProbeClient::Loop::~Loop() {
  if (threads.empty()) return;
  work.reset();
  io->stop();
  for (std::thread& t : threads) t.join();
}

std::unique_ptr<ProbeClient> NewProbeClientOn(std::shared_ptr<net::io_context> io) {
  auto loop = std::make_shared<ProbeClient::Loop>();
  loop->io = std::move(io);
  return std::make_unique<ProbeClient>(std::move(loop));
}

std::unique_ptr<ProbeClient> ProbeClient::Create(int threads) {
  auto loop = std::make_shared<Loop>();
  loop->io = std::make_shared<net::io_context>(std::max(threads, 1));
  loop->work.emplace(loop->io->get_executor());
  for (int i = 0; i < std::max(threads, 1); ++i) {
    loop->threads.emplace_back([io = loop->io] { RunLoop(*io); });
  }
  return std::make_unique<ProbeClient>(std::move(loop));
}

ProbeClient::ProbeClient(std::shared_ptr<Loop> loop)
    : loop_(std::move(loop)), gate_(std::make_shared<ProbeGate>()) {}

ProbeClient::~ProbeClient() { Stop(); }

core::Status ProbeClient::Validate(const ProbeRequest& r) {
  if (r.host.empty()) return core::Status::InvalidArgument("host: required");
  if (r.port == 0) return core::Status::InvalidArgument("port: must be 1-65535");
  if (r.timeout.count() <= 0) return core::Status::InvalidArgument("timeout: must be positive");
  if (r.kind == ProbeKind::kHttp && (r.target.empty() || r.target[0] != '/')) {
    return core::Status::InvalidArgument("target: must start with '/'");
  }
  if (r.kind == ProbeKind::kHttp && r.max_body_bytes == 0) {
    return core::Status::InvalidArgument("max_body_bytes: must be positive");
  }
  return core::Status::Ok();
}

void ProbeClient::Probe(ProbeRequest request, std::function<void(ProbeResult)> done) {
  if (core::Status s = Validate(request); !s.ok()) {
    const uint64_t id = gate_->Track([] {});
    if (id == 0) return;
    ProbeResult result;
    result.error = "invalid request: " + s.message();
    net::post(*loop_->io,
              [gate = gate_, id, done = std::move(done), result = std::move(result)]() mutable {
                Deliver(gate, id, done, std::move(result));
              });
    return;
  }
  // The id is known only after Track, and the operation's callback needs it.
  auto id_slot = std::make_shared<uint64_t>(0);
  auto op = std::make_shared<ProbeOperation>(
      *loop_->io, std::move(request),
      [gate = gate_, id_slot, done = std::move(done)](ProbeResult result) mutable {
        Deliver(gate, *id_slot, done, std::move(result));
      });
  *id_slot = gate_->Track([weak = std::weak_ptr<ProbeOperation>(op)] {
    if (auto o = weak.lock()) o->Cancel();
  });
  if (*id_slot == 0) return;
  op->Start();
}

void ProbeClient::RunAfter(std::chrono::milliseconds delay, std::function<void()> fn) {
  auto timer = std::make_shared<net::steady_timer>(net::make_strand(*loop_->io));
  const uint64_t id = gate_->Track([weak = std::weak_ptr<net::steady_timer>(timer)] {
    if (auto t = weak.lock()) net::post(t->get_executor(), [t] { t->cancel(); });
  });
  if (id == 0) return;
  timer->expires_after(delay);
  timer->async_wait([timer, gate = gate_, id, fn = std::move(fn)](const ErrorCode& ec) mutable {
    if (ec) return gate->Untrack(id);
    Deliver(gate, id, fn);
  });
}

void ProbeClient::Stop() { gate_->Close(); }

size_t ProbeClient::pending() const { return gate_->tracked(); }

}  // namespace vitals::server
