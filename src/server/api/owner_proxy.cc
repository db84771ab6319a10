#include "server/api/owner_proxy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "cluster/cluster_node.h"
#include "server/api/agent_page_merge.h"
#include "server/api/system_summary_merge.h"
#include "server/http/http_client.h"
#include "server/json/json_writer.h"

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

constexpr std::string_view kAgentList = "/api/health/agents";
constexpr std::string_view kSystemSummary = "/api/health/system";

// {...} → {"partial":true,"unreachable":[...],...} when members did not answer.
std::string MarkPartial(std::string body, const std::vector<std::string>& unreachable) {
  if (unreachable.empty() || body.empty() || body[0] != '{') return body;
  JsonWriter w;
  w.BeginObject().Field("partial", true).Key("unreachable").BeginArray();
  for (const std::string& m : unreachable) w.String(m);
  w.EndArray();
  std::string head = w.Take();  // `{"partial":true,"unreachable":[...]`
  body.replace(0, 1, head + (body.size() > 2 ? "," : ""));
  return body;
}

std::string PercentEncoded(std::string_view v) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Target(const HttpRequest& r) {
  std::string target = r.path;
  for (size_t i = 0; i < r.query.size(); ++i) {
    target += i == 0 ? '?' : '&';
    target += PercentEncoded(r.query[i].first) + "=" + PercentEncoded(r.query[i].second);
  }
  return target;
}

// A non-negative integer query value, or `fallback` when absent; nullopt when malformed (the
// list handler then answers the 400 itself).
std::optional<int64_t> Count(const HttpRequest& r, std::string_view name, int64_t fallback) {
  auto v = r.Query(name);
  if (!v) return fallback;
  int64_t n = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || end != v->data() + v->size() || n < 0) return std::nullopt;
  return n;
}

}  // namespace

OwnerProxy::OwnerProxy(cluster::ClusterNode& node, int default_page_size, int threads)
    : node_(node), default_page_size_(default_page_size) {
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

void OwnerProxy::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

bool OwnerProxy::MaybeGather(const HttpRequest& request, const Route& route,
                             const RequestContext& ctx, Responder& respond) {
  if (request.headers.Get(kForwardedHeader) || node_.View().members.size() < 2) return false;
  const bool list = route.pattern == kAgentList;
  Post([this, list, request, &route, ctx, respond = std::move(respond)]() mutable {
    if (list) {
      GatherAgents(std::move(request), route, std::move(ctx), std::move(respond));
    } else {
      GatherSystem(std::move(request), route, std::move(ctx), std::move(respond));
    }
  });
  return true;
}

std::vector<std::string> OwnerProxy::FetchFromMembers(const HttpRequest& request,
                                                      const std::string& target,
                                                      std::vector<std::string>* unreachable) {
  Headers headers;
  if (auto v = request.headers.Get("Authorization")) headers.Add("Authorization", std::string(*v));
  headers.Add(std::string(kForwardedHeader), node_.node_id());
  std::vector<std::string> bodies;
  for (const std::string& member : node_.View().members) {
    if (member == node_.node_id()) continue;
    auto address = node_.AddressOf(member);
    std::string host;
    uint16_t port = 0;
    std::optional<std::string> body;
    if (address && SplitAddress(*address, &host, &port)) {
      HttpClient client(host, port);
      auto r = client.Request(Method::kGet, target, "", headers, std::chrono::seconds(5));
      if (r.ok() && r->status == 200) body = std::move(r->body);
    }
    if (!body) {
      node_.ForgetAddress(member);
      unreachable->push_back(member);
      continue;
    }
    bodies.push_back(std::move(*body));
  }
  return bodies;
}

void OwnerProxy::GatherAgents(HttpRequest request, const Route& route, RequestContext ctx,
                              Responder respond) {
  const auto offset = Count(request, "offset", 0);
  const auto limit = Count(request, "limit", default_page_size_);
  if (!offset || !limit) {  // the handler names the problem
    return route.handler(request, ctx, std::move(respond));
  }
  AgentPageOrder order;
  const std::string sort(request.Query("sort").value_or("agent_id"));
  order.sort = sort;
  order.desc = request.Query("order").value_or("asc") == "desc";
  order.offset = *offset;
  order.limit = *limit;
  // Every member's first offset+limit agents: the same query, from 0.
  HttpRequest each = request;
  std::erase_if(each.query,
                [](const auto& q) { return q.first == "offset" || q.first == "limit"; });
  each.query.emplace_back(
      "limit", std::to_string(std::clamp<int64_t>(*offset + *limit, 1, kGatherMaxAgents)));
  each.target = Target(each);
  each.headers.Add(std::string(kForwardedHeader), node_.node_id());
  std::optional<HttpResponse> local;
  route.handler(each, ctx, [&local](HttpResponse r) { local = std::move(r); });
  if (!local || local->status != 200) {  // a bad parameter: the handler's own answer
    return local ? respond(std::move(*local)) : route.handler(request, ctx, std::move(respond));
  }
  std::vector<std::string> unreachable;
  std::vector<std::string> pages = FetchFromMembers(request, each.target, &unreachable);
  pages.insert(pages.begin(), std::move(local->body));
  auto merged = MergeAgentPages(pages, order);
  if (!merged.ok()) {
    return respond(HttpResponse::Error(
        502, "a cluster member answered the agent list with " + merged.status().message()));
  }
  respond(HttpResponse::Json(200, MarkPartial(std::move(*merged), unreachable)));
}

void OwnerProxy::GatherSystem(HttpRequest request, const Route& route, RequestContext ctx,
                              Responder respond) {
  std::optional<HttpResponse> local;
  route.handler(request, ctx, [&local](HttpResponse r) { local = std::move(r); });
  if (!local || local->status != 200) {
    return local ? respond(std::move(*local)) : route.handler(request, ctx, std::move(respond));
  }
  std::vector<std::string> unreachable;
  std::vector<std::string> bodies = FetchFromMembers(request, request.target, &unreachable);
  bodies.insert(bodies.begin(), std::move(local->body));
  auto merged = MergeSystemSummaries(bodies);
  if (!merged.ok()) {
    return respond(HttpResponse::Error(
        502, "a cluster member answered the system summary with " + merged.status().message()));
  }
  respond(HttpResponse::Json(200, MarkPartial(std::move(*merged), unreachable)));
}

bool OwnerProxy::MaybeProxy(const HttpRequest& request, const Route& route,
                            const RequestContext& ctx, Responder& respond) {
  if ((route.pattern == kAgentList || route.pattern == kSystemSummary) &&
      request.method == Method::kGet) {
    return MaybeGather(request, route, ctx, respond);
  }
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
  Post(std::move(task));
  return true;
}

}  // namespace vitals::server
