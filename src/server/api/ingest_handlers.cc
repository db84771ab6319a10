// Ingest: POST /api/v1/executions, /api/v1/executions/start, /api/v1/heartbeats.
//
// A body is a JSON object, a JSON array or NDJSON. Items are parsed and validated one by one;
// the valid ones are written to the store (group commit) and only once they are durable are they
// counted by the engine and acknowledged: {"accepted": N, "rejected": [{"index", "error"}]}.
// A body with nothing valid is a 400 with the same shape.
//
// A client's retry of executions already stored (same organization, agent, execution_id, start
// or finish, and content) is acknowledged again — counted in "accepted" and in "duplicates" —
// but neither stored nor counted by the engine a second time. The same execution_id with other
// content is rejected item by item, naming the id; a body of nothing else is a 409.
#include <algorithm>
#include <memory>

#include "cluster/cluster_node.h"
#include "server/api/api_server.h"
#include "server/api/error_mapping.h"
#include "server/json/ingest_parser.h"
#include "server/json/json_writer.h"

namespace vitals::server {
namespace {

using core::Status;

// The transport leaves room after each body, so parsing does not copy it.
static_assert(kBodyPadding >= kParsePadding);

core::Result<BodyFormat> FormatOf(const HttpRequest& r) {
  const auto type = r.headers.Get("Content-Type");
  if (!type) return BodyFormat::kJson;  // lenient: a bare body is JSON
  // The media type: parameters (";charset=...") and blanks dropped.
  const std::string_view t = TrimBlanks(type->substr(0, type->find(';')));
  if (IEquals(t, "application/json") ||
      (t.size() > 5 && IEquals(t.substr(t.size() - 5), "+json"))) {
    return BodyFormat::kJson;
  }
  for (std::string_view ndjson : {"application/x-ndjson", "application/ndjson", "application/jsonl",
                                  "application/x-jsonlines"}) {
    if (IEquals(t, ndjson)) return BodyFormat::kNdjson;
  }
  return Status::UnsupportedMedia("Content-Type: \"" + std::string(*type) +
                                  "\" is not supported; send application/json or "
                                  "application/x-ndjson");
}

// The 429/503 answers that keep queues bounded instead of growing them.
std::optional<HttpResponse> Admission(Services& s) {
  if (!s.ready.load(std::memory_order_acquire)) {
    return ErrorResponse(Status::Unavailable("starting: restoring state from storage"));
  }
  if (s.counters.ingest_in_flight.load() >= s.limits.max_ingest_in_flight) {
    ++s.counters.overload_rejections;
    return ErrorResponse(Status::ResourceExhausted(
        "overloaded: too many ingest requests in flight; retry after the indicated delay"));
  }
  if (s.cluster != nullptr && !s.cluster->healthy()) {
    return ErrorResponse(Status::Unavailable(
        "the cluster's Redis is unreachable: events cannot reach their owners; retry shortly"));
  }
  const store::StoreStats st = s.store.Stats();
  if (st.queue_capacity > 0 &&
      static_cast<double>(st.queue_depth) >
          s.limits.store_backlog_ratio * static_cast<double>(st.queue_capacity)) {
    ++s.counters.overload_rejections;
    return ErrorResponse(Status::Unavailable("overloaded: storage is behind; retry shortly"));
  }
  return std::nullopt;
}

std::string Answer(size_t accepted, std::vector<ItemError>& rejected, const char* error,
                   size_t duplicates = 0) {
  std::sort(rejected.begin(), rejected.end(),
            [](const ItemError& a, const ItemError& b) { return a.index < b.index; });
  JsonWriter w;
  w.BeginObject();
  if (error) w.Field("error", error);
  w.Field("accepted", static_cast<uint64_t>(accepted));
  if (duplicates > 0) w.Field("duplicates", static_cast<uint64_t>(duplicates));
  w.Key("rejected").BeginArray();
  for (const ItemError& e : rejected) {
    w.BeginObject().Field("index", static_cast<uint64_t>(e.index)).Field("error", e.error);
    w.EndObject();
  }
  w.EndArray().EndObject();
  return w.Take();
}

// Decrements the in-flight count when the last copy of the request's callback is gone.
struct InFlight {
  explicit InFlight(std::atomic<int>& c) : count(c) { ++count; }
  ~InFlight() { --count; }
  std::atomic<int>& count;
};

// What an execution ingest keeps until its rows are durable, in one allocation per request.
struct PendingExecutions {
  PendingExecutions(std::atomic<int>& in_flight, Responder r)
      : guard(in_flight), respond(std::move(r)) {}
  InFlight guard;
  Responder respond;
  std::vector<core::ExecutionEvent> events;  // the valid items, in body order
  std::vector<size_t> indexes;               // events[k] was item indexes[k] of the body
  std::vector<ItemError> rejected;
};

// Moves the valid events (and their indexes) to the front and drops the rest, recording why
// each was rejected.
void KeepValid(ParsedExecutions& parsed, const core::EventLimits& limits, core::Timestamp now,
               bool starts, std::vector<ItemError>& rejected) {
  std::vector<core::ExecutionEvent>& events = parsed.events;
  size_t kept = 0;
  for (size_t k = 0; k < events.size(); ++k) {
    Status v = core::ValidateEvent(events[k], limits, now);
    if (v.ok() && starts && events[k].execution_id.empty()) {
      v = Status::InvalidArgument("execution_id: required to start an execution");
    }
    if (!v.ok()) {
      rejected.push_back({parsed.indexes[k], v.message()});
      continue;
    }
    if (kept != k) {
      events[kept] = std::move(events[k]);
      parsed.indexes[kept] = parsed.indexes[k];
    }
    ++kept;
  }
  events.erase(events.begin() + static_cast<std::ptrdiff_t>(kept), events.end());
  parsed.indexes.resize(kept);
}

// Drops the events the store did not keep (retries, conflicts; see the top of the file) from
// `p` and `ids`, rejecting the conflicts. Returns the number of retries.
size_t DropNotStored(PendingExecutions& p, std::vector<int64_t>& ids) {
  size_t kept = 0, duplicates = 0;
  for (size_t k = 0; k < p.events.size(); ++k) {
    if (ids[k] == store::kConflictingExecution) {
      p.rejected.push_back({p.indexes[k], "execution_id: \"" + p.events[k].execution_id +
                                              "\" was already recorded with other content"});
      continue;
    }
    if (ids[k] == store::kDuplicateExecution) {
      ++duplicates;
      continue;
    }
    if (kept != k) {
      p.events[kept] = std::move(p.events[k]);
      ids[kept] = ids[k];
    }
    ++kept;
  }
  p.events.resize(kept);
  ids.resize(kept);
  return duplicates;
}

// Once the store has the events: counts the stored ones in the engine and answers.
void Acknowledge(Services& s, PendingExecutions& p, bool starts, std::span<const int64_t> ids) {
  size_t duplicates = 0;
  std::vector<int64_t> kept_ids;
  if (std::any_of(ids.begin(), ids.end(), [](int64_t id) { return id <= 0; })) {
    kept_ids.assign(ids.begin(), ids.end());
    duplicates = DropNotStored(p, kept_ids);
    ids = kept_ids;
  }
  const std::vector<core::ExecutionEvent>& events = p.events;
  if (s.cluster != nullptr) {
    s.cluster->RouteExecutions(events, ids, starts);
  } else if (starts) {
    for (const core::ExecutionEvent& e : events) (void)s.monitor.StartExecution(e);
  } else {
    // Reused across calls on this thread: a batch's statuses are not needed after it.
    thread_local std::vector<Status> results;
    results.assign(events.size(), Status::Ok());
    s.monitor.IngestBatch(events, results, ids);
  }
  const size_t accepted = events.size() + duplicates;
  s.counters.executions_accepted += accepted;
  s.counters.executions_rejected += p.rejected.size();
  if (accepted == 0) {
    return p.respond(HttpResponse::Json(
        409, Answer(0, p.rejected, "every item conflicts with an execution already recorded")));
  }
  p.respond(HttpResponse::Json(200, Answer(accepted, p.rejected, nullptr, duplicates)));
}

void IngestExecutions(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s,
                      bool starts) {
  auto format = FormatOf(req);
  if (!format.ok()) return respond(ErrorResponse(format.status()));
  if (auto refuse = Admission(s)) return respond(std::move(*refuse));
  const core::Timestamp now = s.clock->Now();
  auto parsed = ParseExecutions(req.body, *format, ctx.organization_id, now);
  if (!parsed.ok()) return respond(ErrorResponse(parsed.status()));
  if (parsed->items > s.limits.max_items_per_request) {
    return respond(ErrorResponse(
        Status::PayloadTooLarge("body: " + std::to_string(parsed->items) + " items; at most " +
                                std::to_string(s.limits.max_items_per_request) + " per request")));
  }
  std::vector<ItemError> rejected = std::move(parsed->rejected);
  KeepValid(*parsed, s.monitor.options().limits, now, starts, rejected);
  if (parsed->events.empty()) {
    return respond(HttpResponse::Json(400, Answer(0, rejected, "no valid items in the body")));
  }
  std::vector<store::ExecutionWrite> writes;
  writes.reserve(parsed->events.size());
  for (const core::ExecutionEvent& e : parsed->events) writes.push_back({e, starts, now});
  auto pending =
      std::make_shared<PendingExecutions>(s.counters.ingest_in_flight, std::move(respond));
  pending->events = std::move(parsed->events);
  pending->indexes = std::move(parsed->indexes);
  pending->rejected = std::move(rejected);
  s.store.AppendExecutions(std::move(writes),
                           [&s, pending, starts](Status st, std::span<const int64_t> ids) {
                             if (!st.ok()) return pending->respond(ErrorResponse(st));
                             Acknowledge(s, *pending, starts, ids);
                           });
}

void IngestHeartbeats(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  auto format = FormatOf(req);
  if (!format.ok()) return respond(ErrorResponse(format.status()));
  if (auto refuse = Admission(s)) return respond(std::move(*refuse));
  auto parsed = ParseHeartbeats(req.body, *format, ctx.organization_id);
  if (!parsed.ok()) return respond(ErrorResponse(parsed.status()));
  const core::Timestamp now = s.clock->Now();
  const core::EventLimits& limits = s.monitor.options().limits;
  std::vector<store::StoredHeartbeat> rows;
  std::vector<std::optional<double>> depths;  // queue_depth of rows[k], when reported
  std::vector<ItemError> rejected = std::move(parsed->rejected);
  for (size_t k = 0; k < parsed->heartbeats.size(); ++k) {
    Heartbeat& h = parsed->heartbeats[k];
    Status v = core::ValidateAgentId(h.agent_id, limits.max_id_length);
    if (v.ok() && h.timestamp) v = core::ValidateTimestamp("timestamp", *h.timestamp, limits, now);
    if (v.ok() && h.metadata_json.size() > limits.max_metadata_length) {
      v = Status::InvalidArgument("metadata: too long");
    }
    if (v.ok() && h.queue_depth && (*h.queue_depth < 0 || *h.queue_depth > 1e12)) {
      v = Status::InvalidArgument("queue_depth: must be between 0 and 1e12");
    }
    if (!v.ok()) {
      rejected.push_back({parsed->indexes[k], v.message()});
      continue;
    }
    rows.push_back(store::StoredHeartbeat{0, ctx.organization_id, std::move(h.agent_id),
                                          h.timestamp.value_or(now), now,
                                          std::move(h.metadata_json)});
    depths.push_back(h.queue_depth);
  }
  if (rows.empty()) {
    return respond(HttpResponse::Json(400, Answer(0, rejected, "no valid items in the body")));
  }
  auto kept = std::make_shared<std::vector<store::StoredHeartbeat>>(rows);
  auto kept_depths = std::make_shared<std::vector<std::optional<double>>>(std::move(depths));
  auto guard = std::make_shared<InFlight>(s.counters.ingest_in_flight);
  auto shared_rejected = std::make_shared<std::vector<ItemError>>(std::move(rejected));
  s.store.AppendHeartbeats(std::move(rows), [&s, kept, kept_depths, shared_rejected, guard,
                                             respond = std::move(respond)](Status st) {
    if (!st.ok()) return respond(ErrorResponse(st));
    if (s.cluster != nullptr) s.cluster->RouteHeartbeats(*kept, *kept_depths);
    for (size_t k = 0; k < kept->size() && s.cluster == nullptr; ++k) {
      store::StoredHeartbeat& h = (*kept)[k];
      if (const auto& d = (*kept_depths)[k]) {
        (void)s.monitor.RecordQueueDepth(h.organization_id, h.agent_id, static_cast<int64_t>(*d),
                                         h.timestamp);
      }
      (void)s.monitor.RecordHeartbeat(h.organization_id, h.agent_id, h.timestamp,
                                      std::move(h.metadata_json));
    }
    s.counters.heartbeats_accepted += kept->size();
    s.counters.heartbeats_rejected += shared_rejected->size();
    respond(HttpResponse::Json(200, Answer(kept->size(), *shared_rejected, nullptr)));
  });
}

// POST /api/v1/queue-depth {"source_id": "...", "depth": N}: a gauge (seed 001's queue_depth),
// kept as the source's latest reading. Not logged: the next reading replaces it.
void IngestQueueDepth(HttpRequest& req, RequestContext& ctx, Responder respond, Services& s) {
  auto reading = ParseQueueDepth(req.body);
  if (!reading.ok()) return respond(ErrorResponse(reading.status()));
  const core::Timestamp now = s.clock->Now();
  Status st =
      core::ValidateId("source_id", reading->source_id, s.monitor.options().limits.max_id_length);
  if (st.ok()) {
    st = s.monitor.RecordQueueDepth(ctx.organization_id, reading->source_id, reading->depth, now);
  }
  if (!st.ok()) return respond(ErrorResponse(st));
  JsonWriter w;
  w.BeginObject().Field("source_id", reading->source_id).Field("depth", reading->depth);
  w.Field("total", s.monitor.QueueDepths(ctx.organization_id).total).EndObject();
  respond(HttpResponse::Json(200, w.Take()));
}

}  // namespace

void RegisterIngestRoutes(Router& router, Services& s) {
  using store::KeyScope;
  router.Add(Method::kPost, "/api/v1/executions", KeyScope::kIngest,
             [&s](HttpRequest& r, RequestContext& c, Responder d) {
               IngestExecutions(r, c, std::move(d), s, false);
             });
  router.Add(Method::kPost, "/api/v1/executions/start", KeyScope::kIngest,
             [&s](HttpRequest& r, RequestContext& c, Responder d) {
               IngestExecutions(r, c, std::move(d), s, true);
             });
  router.Add(Method::kPost, "/api/v1/heartbeats", KeyScope::kIngest,
             [&s](HttpRequest& r, RequestContext& c, Responder d) {
               IngestHeartbeats(r, c, std::move(d), s);
             });
  router.Add(Method::kPost, "/api/v1/queue-depth", KeyScope::kIngest,
             [&s](HttpRequest& r, RequestContext& c, Responder d) {
               IngestQueueDepth(r, c, std::move(d), s);
             });
}

}  // namespace vitals::server
