// Issue 16's settings: the store by URL, the cluster's Redis and this node's name.
#include <unistd.h>

#include <climits>

#include "cluster/redis_client.h"
#include "server/app/config_values.h"

namespace vitals::server {
namespace {

using core::Status;

constexpr size_t kMaxNodeId = 64;

bool NodeIdChar(char ch) {
  return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
         ch == '.' || ch == '_' || ch == '-';
}

Status ValidateNodeId(std::string_view id) {
  bool ok = !id.empty() && id.size() <= kMaxNodeId;
  for (char ch : id) ok = ok && NodeIdChar(ch);
  if (ok) return Status::Ok();
  return Status::InvalidArgument(
      "cluster.node_id: expected 1 to 64 letters, digits, '.', '_' or '-', got \"" +
      std::string(id) + "\"");
}

}  // namespace

std::string ServerConfig::StoreUrl() const {
  return store.empty() ? store::SqliteStoreUrl(db) : store;
}

std::string ServerConfig::NodeId() const {
  if (!node_id.empty()) return node_id;
  char name[HOST_NAME_MAX + 1] = {};
  if (::gethostname(name, sizeof name - 1) != 0) name[0] = '\0';
  std::string id;
  for (const char* p = name; *p && id.size() < kMaxNodeId; ++p) id += NodeIdChar(*p) ? *p : '-';
  return id.empty() ? "node" : id;
}

ConfigOption StoreOption() {
  using C = ServerConfig;
  return {"storage.store",
          "VITALS_STORE",
          "--store",
          "Store URL: sqlite:///abs/path.db, sqlite://relative.db or "
          "postgresql://USER:PASS@HOST:PORT/DB (shared by the nodes of a cluster); empty: "
          "sqlite://<storage.db>",
          [](C& c, std::string_view t) {
            if (!t.empty()) {
              if (auto parsed = store::ParseStoreUrl(t); !parsed.ok()) {
                // ParseStoreUrl's messages start with "store: ".
                return Status::InvalidArgument("storage." + parsed.status().message());
              }
            }
            c.store = std::string(t);
            return Status::Ok();
          },
          [](const C& c) { return store::RedactStoreUrl(c.store); }};
}

void AddClusterOptions(std::vector<ConfigOption>& o) {
  using C = ServerConfig;
  o.push_back({"cluster.redis", "VITALS_REDIS", "--redis",
               "Redis of the cluster this node joins: redis://[[USER]:PASS@]HOST[:PORT][/DB] "
               "(needs a postgresql --store); empty: a single node",
               [](C& c, std::string_view t) {
                 if (!t.empty()) {
                   if (auto e = cluster::RedisEndpoint::FromUrl(t); !e.ok()) {
                     return Status::InvalidArgument("cluster.redis: " + e.status().message());
                   }
                 }
                 c.redis = std::string(t);
                 return Status::Ok();
               },
               [](const C& c) { return store::RedactStoreUrl(c.redis); }});
  o.push_back({"cluster.node_id", "VITALS_NODE_ID", "--node-id",
               "This node's name in the cluster ([A-Za-z0-9._-], at most 64); empty: the "
               "machine's hostname",
               [](C& c, std::string_view t) {
                 if (!t.empty()) {
                   if (Status s = ValidateNodeId(t); !s.ok()) return s;
                 }
                 c.node_id = std::string(t);
                 return Status::Ok();
               },
               [](const C& c) { return c.node_id; }});
}

Status ValidateClusterConfig(const ServerConfig& c) {
  if (!c.store.empty() && c.db != ServerConfig{}.db) {
    return Status::InvalidArgument(
        "storage.db (--db) and storage.store (--store) are both given: use one (--db FILE is "
        "--store sqlite://FILE)");
  }
  auto location = store::ParseStoreUrl(c.StoreUrl());
  if (!location.ok()) return Status::InvalidArgument("storage." + location.status().message());
  if (!c.redis.empty()) {
    if (auto e = cluster::RedisEndpoint::FromUrl(c.redis); !e.ok()) {
      return Status::InvalidArgument("cluster.redis: " + e.status().message());
    }
    if (location->kind != store::StoreKind::kPostgres) {
      return Status::InvalidArgument(
          "cluster.redis (--redis) needs a PostgreSQL store (--store "
          "postgresql://USER:PASS@HOST:PORT/DB): the nodes of a cluster share one store, and an "
          "SQLite file belongs to one machine");
    }
  }
  if (!c.node_id.empty()) return ValidateNodeId(c.node_id);
  return Status::Ok();
}

}  // namespace vitals::server
