#include "server/api/system_summary_merge.h"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "server/json/json_writer.h"

namespace vitals::server {
namespace {

using simdjson::dom::element;

constexpr std::array<std::string_view, 4> kSummedCounts = {"active_operations", "queue_depth",
                                                           "total_agents", "active_agents"};
constexpr std::array<std::string_view, 2> kSummedObjects = {"alerts", "fleet"};

// Writes `first` with every integer in it replaced by its sum over `all` (the same path in each;
// absent or not an integer counts 0). Objects nest; anything else is `first`'s.
void WriteSummed(JsonWriter& w, element first, const std::vector<element>& all) {
  if (first.is_int64()) {
    int64_t sum = 0;
    for (element e : all) {
      int64_t v = 0;
      if (e.get_int64().get(v) == simdjson::SUCCESS) sum += v;
    }
    w.Int(sum);
    return;
  }
  simdjson::dom::object object;
  if (first.get_object().get(object) != simdjson::SUCCESS) {
    w.Raw(simdjson::minify(first));
    return;
  }
  w.BeginObject();
  for (auto [key, value] : object) {
    std::vector<element> children;
    for (element e : all) {
      element child;
      if (e[key].get(child) == simdjson::SUCCESS) children.push_back(child);
    }
    w.Key(key);
    WriteSummed(w, value, children);
  }
  w.EndObject();
}

}  // namespace

core::Result<std::string> MergeSystemSummaries(std::span<const std::string> bodies) {
  if (bodies.empty()) return core::Status::InvalidArgument("no system summary to merge");
  std::vector<simdjson::dom::parser> parsers(bodies.size());
  std::vector<element> roots;
  for (size_t i = 0; i < bodies.size(); ++i) {
    element root;
    if (parsers[i].parse(bodies[i]).get(root) != simdjson::SUCCESS || !root.is_object()) {
      return core::Status::InvalidArgument("system summary " + std::to_string(i) +
                                           ": not a JSON object");
    }
    roots.push_back(root);
  }
  struct Queue {
    std::string_view source_id;
    std::string json;
  };
  std::vector<Queue> queues;
  for (element root : roots) {
    simdjson::dom::array list;
    if (root["queues"].get_array().get(list) != simdjson::SUCCESS) continue;
    for (element q : list) {
      std::string_view id;
      if (q["source_id"].get_string().get(id) != simdjson::SUCCESS) id = {};
      queues.push_back({id, simdjson::minify(q)});
    }
  }
  std::stable_sort(queues.begin(), queues.end(),
                   [](const Queue& a, const Queue& b) { return a.source_id < b.source_id; });
  const auto one_of = [](auto& keys, std::string_view key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
  };
  JsonWriter w;
  w.BeginObject();
  for (auto [key, value] : simdjson::dom::object(roots[0])) {
    w.Key(key);
    if (key == "queues") {
      w.BeginArray();
      for (const Queue& q : queues) w.Raw(q.json);
      w.EndArray();
    } else if (one_of(kSummedCounts, key) || one_of(kSummedObjects, key)) {
      std::vector<element> same;
      for (element root : roots) {
        element e;
        if (root[key].get(e) == simdjson::SUCCESS) same.push_back(e);
      }
      WriteSummed(w, value, same);
    } else {
      w.Raw(simdjson::minify(value));
    }
  }
  w.EndObject();
  return w.Take();
}

}  // namespace vitals::server
