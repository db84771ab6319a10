// OwnerProxy: in a cluster (issue 16), a request about one agent that another node judges is
// answered by that node. Only the routes served from the engine's memory are proxied (an agent's
// health and registration, pause and resume); its log, heartbeats and history come from the
// shared store on any node. The owner re-checks the caller's key; a proxied request carries
// X-Vitals-Forwarded, and a node serves such a request itself, so a request moves at most once.
//
// The fleet's agent list (GET /api/health/agents) is gathered: the node asked takes the first
// offset+limit agents in the requested order from every member (forwarded requests, whose limit
// may go up to kGatherMaxAgents) and merges them (agent_page_merge.h). A member that does not
// answer leaves its agents out; the body then says "partial":true and names it in "unreachable".
// The fleet summary (GET /api/health/system) is gathered the same way, its counts summed
// (system_summary_merge.h).
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
// The most agents a gathered list takes from each member: pages beyond are empty in a cluster.
inline constexpr int64_t kGatherMaxAgents = 1'000'000;

class OwnerProxy {
 public:
  // `default_page_size`: the list's limit when the request gives none.
  OwnerProxy(cluster::ClusterNode& node, int default_page_size, int threads = 4);
  ~OwnerProxy();
  OwnerProxy(const OwnerProxy&) = delete;
  OwnerProxy& operator=(const OwnerProxy&) = delete;

  // Takes the request when it is about an agent another node owns (and answers it through
  // `respond`); false: serve it here.
  bool MaybeProxy(const HttpRequest& request, const Route& route, const RequestContext& ctx,
                  Responder& respond);

 private:
  void Run();
  void Post(std::function<void()> task);
  // GET /api/health/agents or /api/health/system from every member, merged; false when this
  // node is alone or the request was forwarded.
  bool MaybeGather(const HttpRequest& request, const Route& route, const RequestContext& ctx,
                   Responder& respond);
  void GatherAgents(HttpRequest request, const Route& route, RequestContext ctx, Responder respond);
  void GatherSystem(HttpRequest request, const Route& route, RequestContext ctx, Responder respond);
  // GET `target` from every other member with the caller's key, marked forwarded: the bodies of
  // those that answered 200; the others are appended to `unreachable`. Blocks (5 s a member).
  std::vector<std::string> FetchFromMembers(const HttpRequest& request, const std::string& target,
                                            std::vector<std::string>* unreachable);

  cluster::ClusterNode& node_;
  const int default_page_size_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stop_ = false;                        // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace vitals::server
