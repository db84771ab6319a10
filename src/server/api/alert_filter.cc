#include "server/api/alert_filter.h"

#include "server/api/query_params.h"

namespace vitals::server {

using core::Status;

bool AlertFilter::Matches(const core::Alert& a) const {
  return (!severity || a.severity == *severity) &&
         (!source_type || a.source_type == *source_type) &&
         (!source_id || a.source_id == *source_id) &&
         (!acknowledged || a.acknowledged() == *acknowledged) && (!since || a.raised_at >= *since);
}

bool AlertFilter::Matches(const core::Incident& i) const {
  return (i.open() ? WantsOpen() : WantsResolved()) && (!severity || i.severity == *severity) &&
         (!source_type || i.source_type == *source_type) &&
         (!source_id || i.source_id == *source_id) &&
         (!acknowledged || i.acknowledged == *acknowledged) && (!since || i.opened_at >= *since);
}

core::Result<AlertFilter> ParseAlertFilter(const HttpRequest& req, const ApiLimits& limits) {
  if (Status st = KnownParams(
          req, {"state", "severity", "source_type", "source_id", "acknowledged", "since", "limit"});
      !st.ok()) {
    return st;
  }
  AlertFilter f;
  if (auto v = req.Query("state")) f.state = std::string(*v);
  if (f.state != "open" && f.state != "resolved" && f.state != "all") {
    return Status::InvalidArgument("state: expected open, resolved or all");
  }
  if (auto v = req.Query("severity")) {
    f.severity = core::ParseAlertSeverity(*v);
    if (!f.severity) return Status::InvalidArgument("severity: expected critical, warning or info");
  }
  if (auto v = req.Query("source_type")) {
    f.source_type = core::ParseAlertSource(*v);
    if (!f.source_type) {
      return Status::InvalidArgument(
          "source_type: expected system, agent, integration, workspace or database");
    }
  }
  if (auto v = req.Query("source_id")) f.source_id = std::string(*v);
  auto ack = BoolParam(req, "acknowledged");
  if (!ack.ok()) return ack.status();
  f.acknowledged = *ack;
  auto since = TimeParam(req, "since");
  if (!since.ok()) return since.status();
  f.since = *since;
  auto limit = IntParam(req, "limit", limits.default_page_size, 1, limits.max_page_size);
  if (!limit.ok()) return limit.status();
  f.limit = static_cast<int>(*limit);
  return f;
}

}  // namespace vitals::server
