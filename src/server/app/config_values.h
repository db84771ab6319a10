// Parsers and option builders shared by the configuration's option tables. Each error names the
// setting and quotes the text it could not use.
#pragma once

#include <string>
#include <string_view>

#include "server/app/server_config.h"

namespace vitals::server {

core::Status ParseDouble(std::string_view name, std::string_view text, double lo, double hi,
                         double* out);
core::Status ParseInt64(std::string_view name, std::string_view text, int64_t lo, int64_t hi,
                        int64_t* out);
template <typename Int>
core::Status ParseInt(std::string_view name, std::string_view text, int64_t lo, int64_t hi,
                      Int* out) {
  int64_t v = 0;
  core::Status s = ParseInt64(name, text, lo, hi, &v);
  if (s.ok()) *out = static_cast<Int>(v);
  return s;
}
core::Status ParseBool(std::string_view name, std::string_view text, bool* out);
std::string Num(double v);

// An option bound to a double / size_t / bool field of ServerConfig.
ConfigOption Double(std::string key, std::string env, std::string flag, std::string help,
                    double ServerConfig::*field, double lo, double hi);
ConfigOption Size(std::string key, std::string env, std::string flag, std::string help,
                  size_t ServerConfig::*field, int64_t lo, int64_t hi);
ConfigOption Bool(std::string key, std::string env, std::string flag, std::string help,
                  bool ServerConfig::*field);

// Issue 4's settings: collectors, system thresholds, checks, delivery.
void AddSubsystemOptions(std::vector<ConfigOption>& options);
// The transport's limits (server_config_transport.cc).
void AddTransportOptions(std::vector<ConfigOption>& options);
void ApplyTransportOptions(const ServerConfig& config, HttpServerOptions* options);
// Issue 16 (server_config_cluster.cc): storage.store, placed beside storage.db; cluster.redis
// and cluster.node_id; and their cross-field checks.
ConfigOption StoreOption();
void AddClusterOptions(std::vector<ConfigOption>& options);
core::Status ValidateClusterConfig(const ServerConfig& config);

}  // namespace vitals::server
