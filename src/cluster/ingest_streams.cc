#include "cluster/ingest_streams.h"

#include <algorithm>
#include <chrono>

namespace vitals::cluster {
namespace {

constexpr const char* kGroup = "vitals";
constexpr const char* kField = "e";
constexpr size_t kEventsPerEntry = 256;

// The entries of one stream in an XREADGROUP reply: [[key, [[id, [field, value, ...]], ...]]].
const std::vector<RedisReply>* EntriesOf(const RedisReply& reply) {
  if (reply.type != RedisReply::Type::kArray || reply.elements.empty()) return nullptr;
  const RedisReply& stream = reply.elements.front();
  if (stream.elements.size() != 2) return nullptr;
  return &stream.elements[1].elements;
}

}  // namespace

std::string InboxKey(std::string_view node_id) { return "vitals:inbox:" + std::string(node_id); }

InboxSender::InboxSender(const IngestStreamOptions& options)
    : max_length_(options.max_inbox_length), client_(options.endpoint) {}

core::Status InboxSender::Send(std::string_view node_id, std::span<const ForwardedEvent> events) {
  if (events.empty()) return core::Status::Ok();
  // Many events per entry (fields e, e, ...): Redis's cost is per entry and per command, so a
  // batch costs a few commands rather than one XADD, one read and one XACK per event.
  const std::string key = InboxKey(node_id);
  const std::string max_length = std::to_string(std::max<size_t>(1, max_length_ / kEventsPerEntry));
  std::vector<RedisCommand> commands;
  for (size_t at = 0; at < events.size(); at += kEventsPerEntry) {
    RedisCommand add = {"XADD", key, "MAXLEN", "~", max_length, "*"};
    const size_t end = std::min(events.size(), at + kEventsPerEntry);
    add.reserve(add.size() + 2 * (end - at));
    for (size_t k = at; k < end; ++k) {
      add.emplace_back(kField);
      add.push_back(EncodeForwarded(events[k]));
    }
    commands.push_back(std::move(add));
  }
  std::lock_guard lock(mu_);
  auto replies = client_.Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (const RedisReply& r : *replies) {
    if (r.is_error()) return core::Status::Unavailable("redis refused XADD: " + r.str);
  }
  return core::Status::Ok();
}

InboxReceiver::InboxReceiver(IngestStreamOptions options, Handler handler)
    : options_(std::move(options)), handler_(std::move(handler)) {}

InboxReceiver::~InboxReceiver() { Stop(); }

void InboxReceiver::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Run(); });
}

void InboxReceiver::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

InboxStats InboxReceiver::stats() const {
  return {received_.load(), malformed_.load(), read_errors_.load()};
}

core::Result<size_t> InboxReceiver::ReadOnce(RedisClient& client, const std::string& from) {
  const std::string key = InboxKey(options_.node_id);
  RedisCommand read = {"XREADGROUP",     "GROUP", kGroup,
                       options_.node_id, "COUNT", std::to_string(options_.read_batch)};
  if (from == ">") {
    read.push_back("BLOCK");
    read.push_back(std::to_string(options_.block_ms));
  }
  read.insert(read.end(), {"STREAMS", key, from});
  auto reply = client.Command(read);
  if (!reply.ok()) return reply.status();
  if (reply->is_error()) {
    // NOGROUP: the stream or group was deleted (e.g. FLUSHALL); make it again.
    if (reply->str.rfind("NOGROUP", 0) == 0) {
      auto made = client.Command({"XGROUP", "CREATE", key, kGroup, "0", "MKSTREAM"});
      if (!made.ok()) return made.status();
      return size_t{0};
    }
    return core::Status::Unavailable("redis refused XREADGROUP: " + reply->str);
  }
  const std::vector<RedisReply>* entries = EntriesOf(*reply);
  if (entries == nullptr || entries->empty()) return size_t{0};
  std::vector<ForwardedEvent> batch;
  batch.reserve(entries->size());
  RedisCommand ack = {"XACK", key, kGroup};
  for (const RedisReply& entry : *entries) {
    if (entry.elements.size() != 2) continue;
    ack.push_back(entry.elements[0].str);
    const std::vector<RedisReply>& fields = entry.elements[1].elements;
    if (fields.empty() || fields.size() % 2 != 0) {  // a pending entry since trimmed: nil
      ++malformed_;
      continue;
    }
    for (size_t f = 0; f < fields.size(); f += 2) {
      if (fields[f].str != kField) {
        ++malformed_;
        continue;
      }
      auto decoded = DecodeForwarded(fields[f + 1].str);
      if (!decoded.ok()) {
        ++malformed_;
        continue;
      }
      batch.push_back(std::move(*decoded));
    }
  }
  if (!batch.empty()) {
    handler_(batch);
    received_ += batch.size();
  }
  if (ack.size() > 3) {
    auto acked = client.Command(ack);
    if (!acked.ok()) return acked.status();
  }
  return entries->size();
}

void InboxReceiver::Run() {
  RedisClient client(options_.endpoint);
  bool pending_done = false;
  bool group_ready = false;
  int backoff_ms = 50;
  while (!stop_) {
    core::Status failed = core::Status::Ok();
    if (!group_ready) {
      auto made =
          client.Command({"XGROUP", "CREATE", InboxKey(options_.node_id), kGroup, "0", "MKSTREAM"});
      if (!made.ok()) {
        failed = made.status();
      } else {
        // BUSYGROUP: it exists (this node ran before), which is what we want.
        group_ready = !made->is_error() || made->str.rfind("BUSYGROUP", 0) == 0;
        if (!group_ready) failed = core::Status::Unavailable(made->str);
      }
    }
    if (failed.ok() && group_ready) {
      auto read = ReadOnce(client, pending_done ? ">" : "0");
      if (read.ok()) {
        if (!pending_done && *read == 0) pending_done = true;
        backoff_ms = 50;
        continue;
      }
      failed = read.status();
    }
    ++read_errors_;
    group_ready = false;
    for (int waited = 0; waited < backoff_ms && !stop_; waited += 10) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    backoff_ms = std::min(backoff_ms * 2, 2000);
  }
}

}  // namespace vitals::cluster
