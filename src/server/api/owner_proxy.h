// OwnerProxy: in a cluster (issue 16), a request about one agent that another node judges is
// answered by that node. Only the routes served from the engine's memory are proxied (an agent's
// health and registration, pause and resume); its log, heartbeats and history come from the
// shared store on any node. The owner re-checks the caller's key; a proxied request carries
// X-Vitals-Forwarded, and a node serves such a request itself, so a request moves at most once.
//
// Thread-safe. Requests run on a small pool of its own threads, so no event loop waits.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "server/api/router.h"
#include "server/http/http_types.h"

namespace vitals::cluster {
class ClusterNode;
}

namespace vitals::server {

inline constexpr std::string_view kForwardedHeader = "X-Vitals-Forwarded";

class OwnerProxy {
 public:
  OwnerProxy(cluster::ClusterNode& node, int threads = 4);
  ~OwnerProxy();
  OwnerProxy(const OwnerProxy&) = delete;
  OwnerProxy& operator=(const OwnerProxy&) = delete;

  // Takes the request when it is about an agent another node owns (and answers it through
  // `respond`); false: serve it here.
  bool MaybeProxy(const HttpRequest& request, const Route& route, const RequestContext& ctx,
                  Responder& respond);

 private:
  void Run();

  cluster::ClusterNode& node_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stop_ = false;                        // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace vitals::server
