#include "cluster/redis_client.h"

#include <hiredis/hiredis.h>
#include <sys/time.h>

#include "collect/database_spec.h"

namespace vitals::cluster {
namespace {

timeval ToTimeval(int ms) {
  return timeval{static_cast<time_t>(ms / 1000), static_cast<suseconds_t>((ms % 1000) * 1000)};
}

RedisReply Convert(const redisReply* r) {
  RedisReply out;
  if (r == nullptr) return out;
  switch (r->type) {
    case REDIS_REPLY_STRING:
      out.type = RedisReply::Type::kString;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_STATUS:
      out.type = RedisReply::Type::kStatus;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_ERROR:
      out.type = RedisReply::Type::kError;
      out.str.assign(r->str, r->len);
      break;
    case REDIS_REPLY_INTEGER:
      out.type = RedisReply::Type::kInteger;
      out.integer = r->integer;
      break;
    case REDIS_REPLY_ARRAY:
      out.type = RedisReply::Type::kArray;
      out.elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) out.elements.push_back(Convert(r->element[i]));
      break;
    default:
      break;
  }
  return out;
}

void Append(redisContext* ctx, const RedisCommand& argv) {
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  ptrs.reserve(argv.size());
  lens.reserve(argv.size());
  for (const std::string& a : argv) {
    ptrs.push_back(a.data());
    lens.push_back(a.size());
  }
  redisAppendCommandArgv(ctx, static_cast<int>(argv.size()), ptrs.data(), lens.data());
}

}  // namespace

core::Result<RedisEndpoint> RedisEndpoint::FromUrl(std::string_view url) {
  auto parsed = collect::ParseDatabaseUrl(url);
  if (!parsed.ok()) return core::Status::InvalidArgument("redis url: " + parsed.status().message());
  if (parsed->kind != collect::DatabaseKind::kRedis) {
    return core::Status::InvalidArgument("redis url: expected redis://host:port");
  }
  RedisEndpoint e;
  e.host = parsed->host;
  e.port = parsed->port;
  e.user = parsed->user;
  e.password = parsed->password;
  e.db = parsed->database.empty() ? 0 : std::stoi(parsed->database);
  return e;
}

std::string RedisEndpoint::Describe() const { return host + ":" + std::to_string(port); }

RedisClient::RedisClient(RedisEndpoint endpoint) : endpoint_(std::move(endpoint)) {}

RedisClient::~RedisClient() { Disconnect(); }

void RedisClient::Disconnect() {
  if (ctx_ != nullptr) redisFree(ctx_);
  ctx_ = nullptr;
}

core::Status RedisClient::Fail(std::string_view what) {
  std::string message = "redis " + endpoint_.Describe() + ": " + std::string(what);
  if (ctx_ != nullptr && ctx_->err != 0) message += ": " + std::string(ctx_->errstr);
  Disconnect();
  return core::Status::Unavailable(std::move(message));
}

core::Status RedisClient::Connect() {
  if (ctx_ != nullptr) return core::Status::Ok();
  ctx_ = redisConnectWithTimeout(endpoint_.host.c_str(), endpoint_.port,
                                 ToTimeval(endpoint_.timeout_ms));
  if (ctx_ == nullptr) return Fail("cannot allocate a connection");
  if (ctx_->err != 0) return Fail("connect");
  if (redisSetTimeout(ctx_, ToTimeval(endpoint_.timeout_ms)) != REDIS_OK) {
    return Fail("set timeout");
  }
  std::vector<RedisCommand> setup;
  if (!endpoint_.password.empty()) {
    if (endpoint_.user.empty()) {
      setup.push_back({"AUTH", endpoint_.password});
    } else {
      setup.push_back({"AUTH", endpoint_.user, endpoint_.password});
    }
  }
  if (endpoint_.db != 0) setup.push_back({"SELECT", std::to_string(endpoint_.db)});
  for (const RedisCommand& c : setup) {
    auto reply = Command(c);
    if (!reply.ok()) return reply.status();
    if (reply->is_error()) {
      std::string message = c.front() + " refused: " + reply->str;
      Disconnect();
      return core::Status::Unavailable("redis " + endpoint_.Describe() + ": " + message);
    }
  }
  return core::Status::Ok();
}

core::Result<RedisReply> RedisClient::Command(const RedisCommand& argv) {
  auto replies = Pipeline({argv});
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

core::Result<std::vector<RedisReply>> RedisClient::Pipeline(
    const std::vector<RedisCommand>& commands) {
  if (core::Status s = Connect(); !s.ok()) return s;
  for (const RedisCommand& c : commands) Append(ctx_, c);
  std::vector<RedisReply> out;
  out.reserve(commands.size());
  for (size_t i = 0; i < commands.size(); ++i) {
    void* raw = nullptr;
    if (redisGetReply(ctx_, &raw) != REDIS_OK || raw == nullptr) return Fail("command failed");
    out.push_back(Convert(static_cast<redisReply*>(raw)));
    freeReplyObject(raw);
  }
  return out;
}

}  // namespace vitals::cluster
