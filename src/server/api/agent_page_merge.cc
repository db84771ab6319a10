#include "server/api/agent_page_merge.h"

#include <simdjson.h>

#include <algorithm>
#include <variant>
#include <vector>

#include "core/health_status.h"
#include "server/json/json_writer.h"

namespace vitals::server {
namespace {

// What an agent sorts by, read back from its JSON summary as WriteAgentSummary wrote it.
struct Entry {
  std::variant<double, std::string> key;
  std::string agent_id;
  std::string json;
};

double Number(simdjson::dom::element e, const char* field, double absent) {
  double v = absent;
  if (e[field].get_double().get(v) != simdjson::SUCCESS) return absent;
  return v;
}

std::string Text(simdjson::dom::element e, const char* field) {
  std::string_view v;
  if (e[field].get_string().get(v) != simdjson::SUCCESS) return "";
  return std::string(v);
}

// The same keys and absent-value conventions as the single-node list (health_handlers.cc).
std::variant<double, std::string> KeyOf(simdjson::dom::element e, std::string_view sort) {
  if (sort == "name") return Text(e, "agent_name");
  if (sort == "score") return Number(e, "score", 0);
  if (sort == "health") {
    auto status = core::ParseHealthStatus(Text(e, "health"));
    return static_cast<double>(core::Severity(status.value_or(core::HealthStatus::kUnknown)));
  }
  if (sort == "success_rate") return Number(e, "success_rate_5min", -1);
  if (sort == "latency") return Number(e, "latency_p95_ms", -1);
  if (sort == "last_active") return Text(e, "last_active");  // RFC 3339, UTC: sorts as text
  if (sort == "executions") return Number(e, "executions_1hr", 0);
  return Text(e, "agent_id");
}

}  // namespace

core::Result<std::string> MergeAgentPages(std::span<const std::string> pages,
                                          const AgentPageOrder& order) {
  simdjson::dom::parser parser;
  std::vector<Entry> entries;
  uint64_t total = 0;
  for (size_t i = 0; i < pages.size(); ++i) {
    const auto bad = [i](const char* what) {
      return core::Status::InvalidArgument("agent page " + std::to_string(i) + ": " + what);
    };
    simdjson::dom::element page;
    if (parser.parse(pages[i]).get(page) != simdjson::SUCCESS) return bad("not JSON");
    uint64_t node_total = 0;
    simdjson::dom::array agents;
    if (page["total"].get_uint64().get(node_total) != simdjson::SUCCESS ||
        page["agents"].get_array().get(agents) != simdjson::SUCCESS) {
      return bad("expected {\"total\":N,\"agents\":[...]}");
    }
    total += node_total;
    for (simdjson::dom::element agent : agents) {
      if (!agent.is_object()) return bad("an agent is not an object");
      entries.push_back(
          {KeyOf(agent, order.sort), Text(agent, "agent_id"), simdjson::minify(agent)});
    }
  }
  const auto less = [](const Entry& a, const Entry& b) {
    if (a.key != b.key) return a.key < b.key;
    return a.agent_id < b.agent_id;
  };
  std::sort(entries.begin(), entries.end(),
            [&](const Entry& a, const Entry& b) { return order.desc ? less(b, a) : less(a, b); });
  JsonWriter w;
  w.BeginObject()
      .Field("total", total)
      .Field("offset", order.offset)
      .Field("limit", order.limit)
      .Key("agents")
      .BeginArray();
  const size_t from = static_cast<size_t>(std::max<int64_t>(0, order.offset));
  const size_t to = std::min(entries.size(), from + static_cast<size_t>(order.limit));
  for (size_t i = from; i < to; ++i) w.Raw(entries[i].json);
  w.EndArray().EndObject();
  return w.Take();
}

}  // namespace vitals::server
