#include "cluster/counter_deltas.h"

#include <chrono>
#include <cstdio>

#include "core/sketch_mapping.h"

namespace vitals::cluster {
namespace {

void AppendEscaped(std::string& out, std::string_view id) {
  for (char c : id) {
    if (c == ':' || c == '{' || c == '}' || c == '%') {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      out += hex;
    } else {
      out += c;
    }
  }
}

std::string Bucket(core::Timestamp t, bool with_minute) {
  const auto minutes = std::chrono::floor<std::chrono::minutes>(t);
  const auto day = std::chrono::floor<std::chrono::days>(minutes);
  const std::chrono::year_month_day ymd(day);
  const std::chrono::hh_mm_ss hms(minutes - day);
  char buf[32];
  const int hour = static_cast<int>(hms.hours().count()) % 24;
  const int minute = static_cast<int>(hms.minutes().count()) % 60;
  std::snprintf(buf, sizeof buf, "%04d%02u%02u%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hour);
  std::string out(buf);
  if (with_minute) {
    std::snprintf(buf, sizeof buf, "%02d", minute);
    out += buf;
  }
  return out;
}

void Count(CounterTotals& t, const core::ExecutionEvent& e) {
  ++t.total;
  ++(e.IsSuccess() ? t.success : t.failure);
  t.latency_sum += e.latency_ms;
  t.cost_sum += e.cost_usd;
  t.tokens += e.token_count.value_or(0);
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

std::string CounterDeltas::AgentTag(std::string_view organization_id, std::string_view agent_id) {
  std::string tag = "{";
  AppendEscaped(tag, organization_id);
  tag += ':';
  AppendEscaped(tag, agent_id);
  tag += '}';
  return tag;
}

std::string CounterDeltas::MinuteBucket(core::Timestamp t) { return Bucket(t, true); }
std::string CounterDeltas::HourBucket(core::Timestamp t) { return Bucket(t, false); }

void CounterDeltas::Add(const core::ExecutionEvent& e, core::Timestamp now) {
  const std::string tag = AgentTag(e.organization_id, e.agent_id);
  if (now - e.timestamp < std::chrono::seconds(kHourTtlSeconds)) {
    Count(hours_[{tag, HourBucket(e.timestamp)}], e);
  }
  if (now - e.timestamp >= std::chrono::seconds(kMinuteTtlSeconds)) return;
  CounterTotals& m = minutes_[{tag, MinuteBucket(e.timestamp)}];
  Count(m, e);
  const core::SketchMapping& mapping = core::SketchMapping::Default();
  ++m.latency_bins[e.latency_ms >= core::SketchMapping::kMinIndexable ? mapping.Index(e.latency_ms)
                                                                      : kZeroBin];
}

void CounterDeltas::MergeTable(Table& into, Table& from) {
  for (auto& [key, t] : from) {
    CounterTotals& m = into[key];
    m.total += t.total;
    m.success += t.success;
    m.failure += t.failure;
    m.latency_sum += t.latency_sum;
    m.cost_sum += t.cost_sum;
    m.tokens += t.tokens;
    for (const auto& [bin, n] : t.latency_bins) m.latency_bins[bin] += n;
  }
  from.clear();
}

void CounterDeltas::Merge(CounterDeltas&& other) {
  MergeTable(minutes_, other.minutes_);
  MergeTable(hours_, other.hours_);
}

void CounterDeltas::Emit(const Table& table, std::string_view kind, int ttl,
                         std::vector<std::vector<std::string>>& out) {
  const std::string expire = std::to_string(ttl);
  for (const auto& [key, t] : table) {
    const std::string name = "vitals:" + std::string(kind) + ":" + key.first + ":" + key.second;
    auto incr = [&](const char* field, int64_t v) {
      if (v != 0) out.push_back({"HINCRBY", name, field, std::to_string(v)});
    };
    incr("total", t.total);
    incr("success", t.success);
    incr("failure", t.failure);
    incr("tokens", t.tokens);
    out.push_back({"HINCRBYFLOAT", name, "latency_sum", Number(t.latency_sum)});
    out.push_back({"HINCRBYFLOAT", name, "cost_sum", Number(t.cost_sum)});
    out.push_back({"EXPIRE", name, expire});
    if (t.latency_bins.empty()) continue;
    const std::string bins = "vitals:latency:" + key.first + ":" + key.second;
    for (const auto& [bin, n] : t.latency_bins) {
      out.push_back(
          {"HINCRBY", bins, bin == kZeroBin ? "z" : std::to_string(bin), std::to_string(n)});
    }
    out.push_back({"EXPIRE", bins, expire});
  }
}

void CounterDeltas::AppendCommands(std::vector<std::vector<std::string>>& out) const {
  Emit(minutes_, "minute", kMinuteTtlSeconds, out);
  Emit(hours_, "hour", kHourTtlSeconds, out);
}

std::vector<std::vector<std::string>> CounterDeltas::TakeCommands() {
  std::vector<std::vector<std::string>> out;
  AppendCommands(out);
  minutes_.clear();
  hours_.clear();
  return out;
}

}  // namespace vitals::cluster
