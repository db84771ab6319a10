// History: GET /api/health/history/{agent|integration|system}?entity_id=&days= (seed 001).
// Agents from the hourly health rollup; the system and integrations from health_metrics rows
// and, for an integration, its live state as the newest sample (metric_history.h says how they
// fold into points).
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/api/metric_history.h"
#include "server/api/query_params.h"
#include "server/json/views_json.h"

namespace vitals::server {
namespace {

using core::Status;

// Rows read per metric and bucket: a day of the system collector's default 30 s samples. Beyond
// it a bucket is represented by its first rows; the bound keeps a 366-day read finite.
constexpr int kRowsPerBucket = 3000;

core::Result<std::vector<store::MetricRecord>> ReadMetricRows(
    Services& s, const std::string& org, const MetricHistorySpec& spec, const std::string& entity,
    core::Timestamp from, core::Timestamp to, core::Duration bucket) {
  std::vector<store::MetricRecord> rows;
  const int64_t width = bucket.count();
  int64_t start = core::ToMicros(from) - core::ToMicros(from) % width;
  for (; start <= core::ToMicros(to); start += width) {
    const core::Timestamp lo = core::FromMicros(start);
    const core::Timestamp hi = std::min(to, core::FromMicros(start + width - 1));
    for (std::string_view metric : spec.metrics) {
      auto r =
          s.store.QueryMetrics(org, spec.resource_type, entity, metric, lo, hi, kRowsPerBucket);
      if (!r.ok()) return r.status();
      rows.insert(rows.end(), std::make_move_iterator(r->begin()),
                  std::make_move_iterator(r->end()));
    }
  }
  return rows;
}

void WriteAgentPoints(JsonWriter& w, const std::vector<store::HistoryPoint>& points) {
  for (const store::HistoryPoint& p : points) {
    w.BeginObject()
        .Field("timestamp", p.timestamp)
        .Field("health_score", p.health_score)
        .Field("status", core::HealthStatusName(p.status));
    w.Key("metrics")
        .BeginObject()
        .Field("total_executions", p.total_executions)
        .Field("completed", p.completed)
        .Field("failed", p.failed)
        .EndObject()
        .EndObject();
  }
}

void WriteMetricPoints(JsonWriter& w, const std::vector<MetricHistoryPoint>& points) {
  for (const MetricHistoryPoint& p : points) {
    w.BeginObject()
        .Field("timestamp", p.timestamp)
        .Field("health_score", p.health_score)
        .Field("status", core::HealthStatusName(p.status));
    w.Key("metrics").BeginObject();
    for (const auto& [name, value] : p.metrics) w.Field(name, value);
    w.EndObject().EndObject();
  }
}

void History(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  const std::string_view type = ctx.Param("type");
  const MetricHistorySpec* spec = MetricHistorySpecFor(type);
  if (type != "agent" && spec == nullptr) {
    return respond(
        ErrorResponse(404, "not_found", "history type must be agent, integration or system"));
  }
  if (Status st = KnownParams(req, {"entity_id", "days"}); !st.ok()) {
    return respond(ErrorResponse(st));
  }
  auto days = IntParam(req, "days", 30, 1, 366);
  if (!days.ok()) return respond(ErrorResponse(days.status()));
  const std::string entity(req.Query("entity_id").value_or(type == "system" ? "system" : ""));
  if (entity.empty()) {
    return respond(ErrorResponse(Status::InvalidArgument("entity_id: required")));
  }
  const core::Timestamp now = s.clock->Now();
  // Daily points, finer for short ranges: hourly up to two days.
  const core::Duration bucket = *days <= 2 ? std::chrono::hours(1) : std::chrono::hours(24);
  const core::Timestamp from = now - std::chrono::hours(24) * *days;
  std::vector<store::HistoryPoint> agent_points;
  std::vector<MetricHistoryPoint> metric_points;
  if (spec == nullptr) {
    auto r = s.store.QueryAgentHistory(ctx.organization_id, entity, from, now, bucket);
    if (!r.ok()) return respond(ErrorResponse(r.status()));
    agent_points = std::move(*r);
  } else {
    auto rows = ReadMetricRows(s, ctx.organization_id, *spec, entity, from, now, bucket);
    if (!rows.ok()) return respond(ErrorResponse(rows.status()));
    if (type == "integration") {  // its live state is the newest sample
      if (auto live = s.monitor.GetIntegration(ctx.organization_id, entity); live.ok()) {
        for (store::MetricRecord& r : IntegrationMetricRows(*live, now)) rows->push_back(r);
      }
    }
    metric_points = FoldMetricHistory(*spec, *rows, bucket);
  }
  JsonWriter w;
  w.BeginObject()
      .Field("health_type", type)
      .Field("entity_id", entity)
      .Field("days", *days)
      .Field("bucket_seconds", static_cast<int64_t>(core::ToSecondsF(bucket)))
      .Field("data_points", static_cast<uint64_t>(agent_points.size() + metric_points.size()))
      .Key("history")
      .BeginArray();
  WriteAgentPoints(w, agent_points);
  WriteMetricPoints(w, metric_points);
  w.EndArray().EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

}  // namespace

void RegisterHistoryRoutes(Router& router, Services& s) {
  router.Add(
      Method::kGet, "/api/health/history/{type}", store::KeyScope::kRead,
      [&s](HttpRequest& r, RequestContext& c, Responder d) { History(r, c, std::move(d), s); });
}

}  // namespace vitals::server
