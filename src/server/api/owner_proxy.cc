#include "server/api/owner_proxy.h"

#include <array>
#include <charconv>

#include "cluster/cluster_node.h"
#include "server/http/http_client.h"

namespace vitals::server {
namespace {

// The routes answered from the engine's memory, with the agent id as {id}.
constexpr std::array<std::string_view, 4> kAgentRoutes = {
    "/api/health/agent/{id}", "/api/v1/agents/{id}", "/api/v1/agents/{id}/pause",
    "/api/v1/agents/{id}/resume"};

bool SplitAddress(const std::string& address, std::string* host, uint16_t* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos) return false;
  *host = address.substr(0, colon);
  const std::string_view digits = std::string_view(address).substr(colon + 1);
  return std::from_chars(digits.data(), digits.data() + digits.size(), *port).ec == std::errc();
}

}  // namespace

OwnerProxy::OwnerProxy(cluster::ClusterNode& node, int threads) : node_(node) {
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Run(); });
}

OwnerProxy::~OwnerProxy() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void OwnerProxy::Run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
      if (tasks_.empty()) return;
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    task();
  }
}

bool OwnerProxy::MaybeProxy(const HttpRequest& request, const Route& route,
                            const RequestContext& ctx, Responder& respond) {
  if (std::find(kAgentRoutes.begin(), kAgentRoutes.end(), route.pattern) == kAgentRoutes.end()) {
    return false;
  }
  if (request.headers.Get(kForwardedHeader)) return false;
  auto owner = node_.RemoteOwner(ctx.organization_id, ctx.Param("id"));
  std::string host;
  uint16_t port = 0;
  if (!owner || !SplitAddress(owner->address, &host, &port)) return false;
  Headers headers;
  for (const char* name : {"Authorization", "Content-Type"}) {
    if (auto v = request.headers.Get(name)) headers.Add(name, std::string(*v));
  }
  headers.Add(std::string(kForwardedHeader), node_.node_id());
  auto task = [host, port, method = request.method, target = request.target, body = request.body,
               headers = std::move(headers), node = owner->node_id, respond = std::move(respond),
               this] {
    HttpClient client(host, port);
    auto r = client.Request(method, target, body, headers, std::chrono::seconds(5));
    if (!r.ok()) {
      node_.ForgetAddress(node);
      HttpResponse failed = HttpResponse::Error(
          503, "the node that judges this agent (" + node + ") did not answer; retry shortly");
      failed.headers.emplace_back("Retry-After", "1");
      return respond(std::move(failed));
    }
    respond(HttpResponse::Json(r->status, std::move(r->body)));
  };
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
  return true;
}

}  // namespace vitals::server
