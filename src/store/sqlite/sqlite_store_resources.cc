// SqliteStore: the resource registry and the delivery log. Both are small and written rarely, so
// their writes are synchronous jobs in the next group commit.
#include "store/sqlite/pooled_query.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace vitals::store {
namespace {

constexpr const char* kResourceColumns = "organization_id, kind, id, spec, created_at, updated_at";
constexpr const char* kDeliveryColumns =
    "id, organization_id, alert_id, route_id, change, attempt, outcome, detail, at";

ResourceRecord ReadResource(const Statement& s) {
  return {s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Time(4), s.Time(5)};
}

DeliveryRecord ReadDelivery(const Statement& s) {
  return {s.Int(0),  s.Text(1), s.Text(2), s.Text(3), s.Text(4), static_cast<int>(s.Int(5)),
          s.Text(6), s.Text(7), s.Time(8)};
}

}  // namespace

core::Status SqliteStore::PutResource(const ResourceRecord& r) {
  return RunJob([&r](WriteContext& ctx) -> core::Status {
    auto s = ctx.db().Prepare(
        std::string("INSERT INTO resources (") + kResourceColumns +
            ") VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (kind, organization_id, id) DO UPDATE "
            "SET spec = excluded.spec, updated_at = excluded.updated_at",
        false);
    if (!s.ok()) return s.status();
    s->Bind(1, std::string_view(r.organization_id));
    s->Bind(2, std::string_view(r.kind));
    s->Bind(3, std::string_view(r.id));
    s->Bind(4, std::string_view(r.spec_json));
    s->Bind(5, r.created_at);
    s->Bind(6, r.updated_at);
    return s->Run("upsert into resources");
  });
}

core::Status SqliteStore::DeleteResource(std::string_view organization_id, std::string_view kind,
                                         std::string_view id) {
  return RunJob([&](WriteContext& ctx) -> core::Status {
    auto s = ctx.db().Prepare(
        "DELETE FROM resources WHERE organization_id = ?1 AND kind = ?2 AND id = ?3", false);
    if (!s.ok()) return s.status();
    s->Bind(1, organization_id);
    s->Bind(2, kind);
    s->Bind(3, id);
    if (core::Status st = s->Run("delete from resources"); !st.ok()) return st;
    if (ctx.db().changes() > 0) return core::Status::Ok();
    return core::Status::NotFound(std::string(kind) + " '" + std::string(id) + "' not found");
  });
}

core::Status SqliteStore::RecordDelivery(const DeliveryRecord& d) {
  return RunJob([&d](WriteContext& ctx) -> core::Status {
    auto s = ctx.db().Prepare(
        "INSERT INTO deliveries (organization_id, alert_id, route_id, change, attempt, outcome, "
        "detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        false);
    if (!s.ok()) return s.status();
    s->Bind(1, std::string_view(d.organization_id));
    s->Bind(2, std::string_view(d.alert_id));
    s->Bind(3, std::string_view(d.route_id));
    s->Bind(4, std::string_view(d.change));
    s->Bind(5, d.attempt);
    s->Bind(6, std::string_view(d.outcome));
    s->Bind(7, std::string_view(d.detail));
    s->Bind(8, d.at);
    return s->Run("insert into deliveries");
  });
}

core::Result<std::vector<ResourceRecord>> SqliteStore::ListResources(std::string_view kind) {
  return Query<ResourceRecord>(
      readers_,
      std::string("SELECT ") + kResourceColumns +
          " FROM resources WHERE kind = ?1 ORDER BY organization_id, id",
      [&](Statement& s) { s.Bind(1, kind); }, ReadResource);
}

core::Result<std::vector<DeliveryRecord>> SqliteStore::QueryDeliveries(
    std::string_view organization_id, std::string_view alert_id, int limit) {
  return Query<DeliveryRecord>(
      readers_,
      std::string("SELECT ") + kDeliveryColumns +
          " FROM deliveries WHERE organization_id = ?1 AND (?2 = '' OR alert_id = ?2) "
          "ORDER BY id DESC LIMIT ?3",
      [&](Statement& s) {
        s.Bind(1, organization_id);
        s.Bind(2, alert_id);
        s.Bind(3, limit);
      },
      ReadDelivery);
}

// One process owns an SQLite file: there is no other node to fence.
core::Result<size_t> SqliteStore::ClaimAgents(
    std::string_view, uint64_t, std::span<const std::pair<std::string, std::string>>) {
  return core::Status::FailedPrecondition(
      "ownership claims need a store the nodes share (PostgreSQL), not an SQLite file");
}

}  // namespace vitals::store
