// RedisClient: one blocking connection to a Redis server (hiredis), for the cluster's
// coordination — membership keys, ownership, streams, pub/sub — and the real-time counters of
// seed 000. Every call is bounded by the connection's timeout; a connection that failed is
// reconnected by the next call, so callers never hold a dead one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

struct redisContext;

namespace vitals::cluster {

struct RedisEndpoint {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string user;      // "" = the default user (AUTH with the password only)
  std::string password;  // "" = no AUTH
  int db = 0;
  int timeout_ms = 2000;  // connect and every command

  // `redis://[[user]:pass@]host[:port][/db]`; InvalidArgument naming "redis url" otherwise.
  static core::Result<RedisEndpoint> FromUrl(std::string_view url);
  // host:port, for logs and errors (never the password).
  std::string Describe() const;
};

// A reply, converted out of hiredis's so it outlives the next call.
struct RedisReply {
  enum class Type { kNil, kString, kInteger, kArray, kStatus, kError };
  Type type = Type::kNil;
  std::string str;  // kString, kStatus, kError
  int64_t integer = 0;
  std::vector<RedisReply> elements;  // kArray

  bool is_nil() const { return type == Type::kNil; }
  bool is_error() const { return type == Type::kError; }
};

using RedisCommand = std::vector<std::string>;

// Not thread-safe: one owner thread per client (make one per thread that needs Redis).
class RedisClient final {
 public:
  explicit RedisClient(RedisEndpoint endpoint);
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Connects (AUTH, SELECT) unless connected. kUnavailable naming the endpoint on failure.
  core::Status Connect();
  bool connected() const { return ctx_ != nullptr; }

  // Sends one command and reads its reply. A reply of type kError is returned as a value (the
  // command ran and Redis refused it); kUnavailable only when the connection failed, after which
  // the client is disconnected and the next call reconnects.
  core::Result<RedisReply> Command(const RedisCommand& argv);

  // Sends every command in one write and reads all replies, in order (a pipeline, not a
  // transaction: wrap in MULTI/EXEC for atomicity). Same failure rules as Command().
  core::Result<std::vector<RedisReply>> Pipeline(const std::vector<RedisCommand>& commands);

  const RedisEndpoint& endpoint() const { return endpoint_; }

 private:
  core::Status Fail(std::string_view what);
  void Disconnect();

  RedisEndpoint endpoint_;
  redisContext* ctx_ = nullptr;
};

}  // namespace vitals::cluster
