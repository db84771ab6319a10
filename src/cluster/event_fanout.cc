#include "cluster/event_fanout.h"

#include <pthread.h>

#include <chrono>

#include "core/binary_codec.h"

namespace vitals::cluster {
namespace {

constexpr uint64_t kVersion = 1;
constexpr size_t kMaxQueued = 100'000;
constexpr size_t kPublishBatch = 500;
constexpr const char* kField = "m";

}  // namespace

std::string EncodeRelayed(const RelayedMessage& m) {
  core::BinaryWriter w;
  w.U64(kVersion);
  w.Str(m.origin);
  w.Str(m.organization_id);
  w.Str(m.type);
  w.Str(m.agent_id);
  w.Str(m.data_json);
  return w.Take();
}

core::Result<RelayedMessage> DecodeRelayed(std::string_view bytes) {
  core::BinaryReader r(bytes);
  if (r.U64() != kVersion || !r.ok()) {
    return core::Status::InvalidArgument("relayed message: unknown version");
  }
  RelayedMessage m;
  m.origin = r.Str();
  m.organization_id = r.Str();
  m.type = r.Str();
  m.agent_id = r.Str();
  m.data_json = r.Str();
  if (!r.ok()) return core::Status::InvalidArgument("relayed message: truncated");
  if (!r.done()) return core::Status::InvalidArgument("relayed message: trailing bytes");
  return m;
}

EventFanout::EventFanout(RedisEndpoint endpoint, std::string node_id, Deliver deliver)
    : endpoint_(std::move(endpoint)), node_id_(std::move(node_id)), deliver_(std::move(deliver)) {}

EventFanout::~EventFanout() { Stop(); }

void EventFanout::Start() {
  publisher_ = std::thread([this] { PublishLoop(); });
  reader_ = std::thread([this] { ReadLoop(); });
}

void EventFanout::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  stopping_ = true;
  cv_.notify_all();
  if (publisher_.joinable()) publisher_.join();
  if (reader_.joinable()) reader_.join();
}

void EventFanout::Publish(std::vector<RelayedMessage> messages) {
  if (messages.empty()) return;
  {
    std::lock_guard lock(mu_);
    for (RelayedMessage& m : messages) {
      if (queue_.size() >= kMaxQueued) {
        queue_.pop_front();
        dropped_.fetch_add(1, std::memory_order_relaxed);
      }
      m.origin = node_id_;
      queue_.push_back(std::move(m));
    }
  }
  cv_.notify_one();
}

EventFanout::Stats EventFanout::stats() const {
  return {published_.load(), received_.load(), dropped_.load()};
}

void EventFanout::PublishLoop() {
  pthread_setname_np(pthread_self(), "vitals-fanout");
  RedisClient redis(endpoint_);
  std::vector<RedisCommand> commands;
  for (;;) {
    std::vector<RelayedMessage> taken;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      while (!queue_.empty() && taken.size() < kPublishBatch) {
        taken.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    commands.clear();
    for (const RelayedMessage& m : taken) {
      commands.push_back({"XADD", std::string(kEventsKey), "MAXLEN", "~", "100000", "*", kField,
                          EncodeRelayed(m)});
    }
    auto replies = redis.Pipeline(commands);
    if (replies.ok()) {
      published_.fetch_add(taken.size(), std::memory_order_relaxed);
    } else {
      dropped_.fetch_add(taken.size(), std::memory_order_relaxed);
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return stop_; });
    }
  }
}

void EventFanout::ReadLoop() {
  pthread_setname_np(pthread_self(), "vitals-fanin");
  RedisClient redis(endpoint_);
  std::string last;  // the newest entry read; what is published from the start on
  while (!stopping_) {
    if (last.empty()) {
      auto newest = redis.Command({"XREVRANGE", std::string(kEventsKey), "+", "-", "COUNT", "1"});
      if (!newest.ok() || newest->is_error()) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        continue;
      }
      last = newest->elements.empty() || newest->elements[0].elements.empty()
                 ? "0-0"
                 : newest->elements[0].elements[0].str;
    }
    auto reply = redis.Command(
        {"XREAD", "COUNT", "1000", "BLOCK", "500", "STREAMS", std::string(kEventsKey), last});
    if (!reply.ok() || reply->is_error()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    // [[key, [[id, [field, value]], ...]]], or nil after the block.
    if (reply->elements.empty()) continue;
    const RedisReply& stream = reply->elements[0];
    if (stream.elements.size() != 2) continue;
    for (const RedisReply& entry : stream.elements[1].elements) {
      if (entry.elements.size() != 2) continue;
      last = entry.elements[0].str;
      const std::vector<RedisReply>& fields = entry.elements[1].elements;
      if (fields.size() != 2) continue;
      auto m = DecodeRelayed(fields[1].str);
      if (!m.ok() || m->origin == node_id_) continue;
      received_.fetch_add(1, std::memory_order_relaxed);
      deliver_(*m);
    }
  }
}

}  // namespace vitals::cluster
