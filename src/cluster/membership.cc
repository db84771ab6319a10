#include "cluster/membership.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace vitals::cluster {
namespace {

// KEYS: members index, this node's key, epoch, epoch's member list.
// ARGV: node id, ttl ms, info, highest epoch this node saw, "join" | "leave".
// Returns {epoch, {members...}, registered} (members unsorted; the caller sorts bytewise;
// registered: 1 when this node's key was absent before a join, i.e. it was not a member). The
// member lists are compared as sets: Lua's string order follows the server's locale, so no sorting
// in Lua. Why a sorted set and not SCAN over vitals:node:*: SCAN walks the whole keyspace (the
// agents' real-time counters live there too) in many round trips and is no snapshot; KEYS blocks
// Redis. The index read inside one script is a consistent snapshot, and the epoch's
// compare-and-bump happens in the same atomic step. The node keys stay authoritative: an index
// entry without its key is dropped, so deleting a node's key evicts it.
constexpr const char* kScript = R"lua(
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local registered = 0
if ARGV[5] == 'leave' then
  redis.call('DEL', KEYS[2])
  redis.call('ZREM', KEYS[1], ARGV[1])
else
  registered = 1 - redis.call('EXISTS', KEYS[2])
  redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[2])
  redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local members = {}
for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if redis.call('EXISTS', 'vitals:node:' .. id) == 1 then
    members[#members + 1] = id
  else
    redis.call('ZREM', KEYS[1], id)
  end
end
local before = {}
local count = 0
for id in string.gmatch(redis.call('GET', KEYS[4]) or '', '[^\n]+') do
  before[id] = true
  count = count + 1
end
local changed = count ~= #members
for _, id in ipairs(members) do
  if not before[id] then changed = true end
end
local epoch = tonumber(redis.call('GET', KEYS[3]) or '0')
local known = tonumber(ARGV[4])
if changed or epoch < known then
  epoch = math.max(epoch, known) + 1
  redis.call('SET', KEYS[3], string.format('%d', epoch))
  redis.call('SET', KEYS[4], table.concat(members, '\n'))
end
return {epoch, members, registered}
)lua";

core::Status Validate(const MembershipOptions& o) {
  if (o.node_id.empty()) return core::Status::InvalidArgument("membership: node id is empty");
  for (char c : o.node_id) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7f || c == '"' || c == '\\') {
      return core::Status::InvalidArgument(
          "membership: node id must be printable, without spaces, quotes or backslashes");
    }
  }
  if (o.renew_ms <= 0 || o.ttl_ms <= o.renew_ms) {
    return core::Status::InvalidArgument("membership: need 0 < renew_ms < ttl_ms");
  }
  return core::Status::Ok();
}

std::string DefaultInfo(const std::string& node_id) {
  return R"({"node_id":")" + node_id + R"("})";  // Validate() keeps it valid JSON
}

}  // namespace

std::string NodeKey(std::string_view node_id) { return "vitals:node:" + std::string(node_id); }

Membership::Membership(MembershipOptions options, ChangeCallback on_change)
    : options_(std::move(options)), on_change_(std::move(on_change)), client_(options_.endpoint) {}

Membership::~Membership() { Stop(); }

core::Status Membership::Start() {
  if (core::Status s = Validate(options_); !s.ok()) return s;
  std::lock_guard lifecycle(lifecycle_mu_);
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return core::Status::FailedPrecondition("membership: already started");
  stop_ = false;
  paused_ = false;
  thread_ = std::thread([this] { Run(); });
  return core::Status::Ok();
}

void Membership::Stop() {
  std::lock_guard lifecycle(lifecycle_mu_);
  uint64_t known_epoch = 0;
  {
    std::lock_guard lock(mu_);
    if (!thread_.joinable()) return;
    stop_ = true;
    known_epoch = view_.epoch;
  }
  wake_.notify_all();
  thread_.join();
  auto left = Exchange("leave", known_epoch);  // best effort: else the TTL removes us
  (void)left;
}

MembershipView Membership::View() const {
  std::lock_guard lock(mu_);
  return view_;
}

MembershipStats Membership::stats() const { return {renewals_.load(), failures_.load()}; }

void Membership::Pause() {
  std::lock_guard lock(mu_);
  paused_ = true;
}

void Membership::Resume() {
  {
    std::lock_guard lock(mu_);
    paused_ = false;
  }
  wake_.notify_all();
}

core::Result<MembershipView> Membership::Exchange(std::string_view mode, uint64_t known_epoch) {
  auto reply =
      client_.Command({"EVAL", kScript, "4", std::string(kMembersKey), NodeKey(options_.node_id),
                       std::string(kEpochKey), std::string(kEpochMembersKey), options_.node_id,
                       std::to_string(options_.ttl_ms),
                       options_.info.empty() ? DefaultInfo(options_.node_id) : options_.info,
                       std::to_string(known_epoch), std::string(mode)});
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    return core::Status::Unavailable("redis refused membership: " + reply->str);
  }
  if (reply->type != RedisReply::Type::kArray || reply->elements.size() != 3 ||
      reply->elements[0].type != RedisReply::Type::kInteger ||
      reply->elements[2].type != RedisReply::Type::kInteger) {
    return core::Status::Internal("membership: unexpected reply from redis");
  }
  MembershipView view;
  view.epoch = static_cast<uint64_t>(reply->elements[0].integer);
  for (const RedisReply& m : reply->elements[1].elements) view.members.push_back(m.str);
  std::sort(view.members.begin(), view.members.end());
  view.members.erase(std::unique(view.members.begin(), view.members.end()), view.members.end());
  view.healthy = true;
  view.joins = reply->elements[2].integer != 0 ? 1 : 0;  // Run() adds the earlier ones
  return view;
}

void Membership::Publish(MembershipView view) {
  {
    std::lock_guard lock(mu_);
    if (view == view_) return;
    view_ = view;
  }
  if (on_change_) on_change_(view);
}

void Membership::Run() {
  using Clock = std::chrono::steady_clock;
  const auto period = std::chrono::milliseconds(options_.renew_ms);
  auto next = Clock::now();
  std::unique_lock lock(mu_);
  while (!stop_) {
    if (paused_) {
      wake_.wait(lock, [&] { return stop_ || !paused_; });
      next = Clock::now();
      continue;
    }
    if (wake_.wait_until(lock, next, [&] { return stop_ || paused_; })) continue;
    MembershipView last = view_;
    lock.unlock();
    next = Clock::now() + period;
    auto got = Exchange("join", last.epoch);
    if (got.ok()) {
      ++renewals_;
      got->joins += last.joins;
      Publish(std::move(*got));
    } else {
      ++failures_;
      last.healthy = false;
      Publish(std::move(last));
    }
    lock.lock();
  }
}

}  // namespace vitals::cluster
