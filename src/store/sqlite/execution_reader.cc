#include "store/sqlite/execution_reader.h"

#include <algorithm>
#include <climits>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include "store/columns/execution_columns.h"
#include "store/sqlite/day_partition.h"

namespace vitals::store {
namespace {

constexpr int kMaxLimit = 10'000;

core::Result<std::vector<Partition>> LoadPartitions(ReadConnection& c) {
  auto s = c.Get("SELECT day, first_id FROM execution_partitions ORDER BY first_id");
  if (!s.ok()) return s.status();
  std::vector<Partition> partitions;
  while ((*s)->Step()) {
    partitions.push_back({static_cast<int32_t>((*s)->Int(0)), (*s)->Int(1)});
  }
  if (core::Status st = (*s)->status("read execution_partitions"); !st.ok()) return st;
  return partitions;
}

// Older entries compare less: the queue's top is the newest (timestamp, then id).
struct Older {
  bool operator()(const IdEntry& a, const IdEntry& b) const {
    return a.ts != b.ts ? a.ts < b.ts : a.id < b.id;
  }
};

class Search {
 public:
  Search(ReadConnection& c, const ExecutionQuery& q, std::vector<Partition> partitions)
      : c_(c), q_(q), partitions_(std::move(partitions)) {}

  // Decides from the flags alone whether the row can match.
  bool MayMatch(const IdEntry& e) const {
    if (!q_.include_started && (e.flags & kStartedOnly) != 0) return false;
    if (!q_.status) return true;
    return ((e.flags & kSucceeded) != 0) == (*q_.status == core::kSuccessStatus);
  }

  void Add(const IdEntry& e) {
    if (MayMatch(e)) heap_.push(e);
  }
  bool empty() const { return heap_.empty(); }
  int64_t newest_ts() const { return heap_.top().ts; }

  // Fetches the newest candidate and keeps it when it matches.
  core::Status Emit(std::vector<StoredExecution>& out) {
    const IdEntry e = heap_.top();
    heap_.pop();
    const Partition* p = PartitionOf(partitions_, e.id);
    if (p == nullptr) return core::Status::Ok();  // its day was dropped by retention
    auto stmt = RowStatement(p->day);
    if (!stmt.ok()) return stmt.status();
    Statement& s = **stmt;
    s.Bind(1, e.id);
    const bool found = s.Step();
    if (core::Status st = s.status("read " + ExecutionTableName(p->day)); !st.ok()) return st;
    if (found) {
      StoredExecution row = ReadExecution(s);
      if (Matches(row)) out.push_back(std::move(row));
    }
    s.Reset();
    return core::Status::Ok();
  }

 private:
  bool Matches(const StoredExecution& row) const {
    return row.event.organization_id == q_.organization_id && row.event.agent_id == q_.agent_id &&
           (q_.include_started || !row.started_only) &&
           (!q_.status || row.event.status == *q_.status);
  }

  core::Result<Statement*> RowStatement(int32_t day) {
    auto it = rows_.find(day);
    if (it != rows_.end()) return it->second;
    auto s = c_.Get(std::string("SELECT ") + kExecutionColumns + " FROM " +
                    ExecutionTableName(day) + " WHERE id = ?1");
    if (!s.ok()) return s.status();
    rows_.emplace(day, *s);
    return *s;
  }

  ReadConnection& c_;
  const ExecutionQuery& q_;
  const std::vector<Partition> partitions_;
  std::priority_queue<IdEntry, std::vector<IdEntry>, Older> heap_;
  std::unordered_map<int32_t, Statement*> rows_;
};

}  // namespace

core::Result<std::vector<StoredExecution>> QueryExecutionLog(ReadConnection& c,
                                                             const ExecutionTail& tail,
                                                             const ExecutionQuery& q) {
  std::vector<StoredExecution> out;
  const size_t limit = static_cast<size_t>(std::min(q.limit, kMaxLimit));
  if (q.limit <= 0) return out;
  const int64_t from = q.from ? core::ToMicros(*q.from) : INT64_MIN;
  const int64_t to = q.to ? core::ToMicros(*q.to) : INT64_MAX;
  // The tail is read before the snapshot is taken: an entry that a seal moved to a block since
  // is then in both (and skipped in the block), never in neither.
  std::vector<IdEntry> tail_entries;
  tail.Collect({q.organization_id, q.agent_id}, from, to, tail_entries);
  if (core::Status s = c.Begin(); !s.ok()) return s;
  auto partitions = LoadPartitions(c);
  if (!partitions.ok()) return partitions.status();
  Search search(c, q, std::move(partitions.value()));
  std::unordered_set<int64_t> in_tail;
  for (const IdEntry& e : tail_entries) {
    search.Add(e);
    in_tail.insert(e.id);
  }
  auto blocks = c.Get(
      "SELECT max_ts, first_id, min_ts, count, ids FROM execution_blocks WHERE "
      "organization_id = ?1 AND agent_id = ?2 AND max_ts >= ?3 AND min_ts <= ?4 "
      "ORDER BY max_ts DESC");
  if (!blocks.ok()) return blocks.status();
  Statement& b = **blocks;
  b.Bind(1, std::string_view(q.organization_id));
  b.Bind(2, std::string_view(q.agent_id));
  b.Bind(3, from);
  b.Bind(4, to);
  std::vector<IdEntry> decoded;
  for (;;) {
    const bool more = b.Step();
    if (core::Status s = b.status("read execution_blocks"); !s.ok()) return s;
    // Every unread block holds only entries at or before `frontier`.
    const int64_t frontier = more ? b.Int(0) : INT64_MIN;
    while (!search.empty() && (!more || search.newest_ts() > frontier)) {
      if (core::Status s = search.Emit(out); !s.ok()) return s;
      if (out.size() >= limit) return out;
    }
    if (!more) return out;
    decoded.clear();
    if (!DecodeIdBlock(b.BlobView(4), b.Int(1), b.Int(2), b.Int(3), decoded)) {
      return core::Status::IoError("corrupt block in execution_blocks for agent " + q.agent_id);
    }
    for (const IdEntry& e : decoded) {
      if (e.ts < from || e.ts > to || in_tail.count(e.id) != 0) continue;
      search.Add(e);
    }
  }
}

core::Result<std::vector<StoredExecution>> ReadExecutionsAfter(ReadConnection& c, int64_t after_id,
                                                               int limit) {
  std::vector<StoredExecution> out;
  if (limit <= 0) return out;
  if (core::Status s = c.Begin(); !s.ok()) return s;
  auto partitions = LoadPartitions(c);
  if (!partitions.ok()) return partitions.status();
  const std::vector<Partition>& p = *partitions;
  for (size_t i = 0; i < p.size() && out.size() < static_cast<size_t>(limit); ++i) {
    if (i + 1 < p.size() && p[i + 1].first_id <= after_id + 1) continue;
    auto s = c.Get(std::string("SELECT ") + kExecutionColumns + " FROM " +
                   ExecutionTableName(p[i].day) + " WHERE id > ?1 ORDER BY id LIMIT ?2");
    if (!s.ok()) return s.status();
    (*s)->Bind(1, after_id);
    (*s)->Bind(2, static_cast<int64_t>(limit - static_cast<int>(out.size())));
    while ((*s)->Step()) out.push_back(ReadExecution(**s));
    if (core::Status st = (*s)->status("read " + ExecutionTableName(p[i].day)); !st.ok()) return st;
  }
  return out;
}

}  // namespace vitals::store
