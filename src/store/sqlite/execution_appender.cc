#include "store/sqlite/execution_appender.h"

#include <algorithm>
#include <bit>
#include <climits>
#include <deque>

#include "store/columns/execution_columns.h"
#include "store/sqlite/day_partition.h"
#include "store/sqlite/recent_log.h"
#include "store/sqlite/schema.h"

namespace vitals::store {
namespace {

// Statements that insert many rows at once spend less per row (one VDBE run, one cursor): a
// group is inserted in chunks of 2^k rows, at most 2^kMaxLog2Rows, so a group of single-event
// requests costs a handful of statements, not one per request.
// They are INSERT OR FAIL: a multi-row INSERT that may abort makes SQLite keep a statement journal,
// copying every page the statement touches (32 KB, in 1 KB allocations) so it can undo just that
// statement. A failed insert fails the whole group, whose transaction the writer rolls back, so
// that per-statement undo is never needed.
constexpr size_t kMaxLog2Rows = 5;

std::string InsertSql(int32_t day, size_t rows) {
  std::string sql =
      "INSERT OR FAIL INTO " + ExecutionTableName(day) + " (" + kExecutionColumns + ") VALUES ";
  int p = 1;
  for (size_t r = 0; r < rows; ++r) {
    sql += r == 0 ? "(" : ", (";
    for (int c = 0; c < kExecutionColumnCount; ++c, ++p) {
      sql += (c == 0 ? "?" : ", ?") + std::to_string(p);
    }
    sql += ")";
  }
  return sql;
}

uint8_t FlagsOf(const ExecutionWrite& row) {
  uint8_t flags = 0;
  if (row.started_only) flags |= kStartedOnly;
  if (row.event.IsSuccess()) flags |= kSucceeded;
  return flags;
}

}  // namespace

core::Status ExecutionAppender::Load() {
  auto next = db_.QueryInt("SELECT value FROM meta WHERE key = 'next_execution_id'");
  auto sealed = db_.QueryInt("SELECT value FROM meta WHERE key = 'last_sealed_execution_id'");
  auto day = db_.QueryInt("SELECT MAX(day) FROM execution_partitions");
  for (const auto* r : {&next, &sealed, &day}) {
    if (!r->ok()) return r->status();
  }
  next_id_ = next->value_or(1);
  day_ = static_cast<int32_t>(day->value_or(0));
  const std::pair<Statement*, const char*> statements[] = {
      {&insert_block_,
       "INSERT INTO execution_blocks (organization_id, agent_id, min_ts, max_ts, first_id, "
       "last_id, count, ids) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"},
      {&mark_sealed_, "UPDATE meta SET value = ?1 WHERE key = 'last_sealed_execution_id'"},
      {&save_next_id_, "UPDATE meta SET value = ?1 WHERE key = 'next_execution_id'"},
      {&save_max_ts_, "UPDATE execution_partitions SET max_ts = MAX(max_ts, ?1) WHERE day = ?2"}};
  for (const auto& [stmt, sql] : statements) {
    auto prepared = db_.Prepare(sql);
    if (!prepared.ok()) return prepared.status();
    *stmt = std::move(prepared.value());
  }
  if (core::Status s = RebuildTail(sealed->value_or(0)); !s.ok()) return s;
  if (core::Status s = LoadRecentExecutions(recent_, db_, next_id_); !s.ok()) return s;
  txn_first_id_ = next_id_;
  txn_first_day_ = day_;
  txn_first_max_ts_ = partition_max_ts_;
  return core::Status::Ok();
}

core::Status ExecutionAppender::RebuildTail(int64_t last_sealed) {
  auto partitions = db_.Prepare("SELECT day FROM execution_partitions ORDER BY day", false);
  if (!partitions.ok()) return partitions.status();
  std::vector<int32_t> days;
  while (partitions->Step()) days.push_back(static_cast<int32_t>(partitions->Int(0)));
  if (core::Status s = partitions->status("read execution_partitions"); !s.ok()) return s;
  std::deque<std::pair<std::string, std::string>> keys;  // stable storage for the rows' views
  for (int32_t day : days) {
    const std::string table = ExecutionTableName(day);
    const std::string sql =
        "SELECT id, organization_id, agent_id, timestamp, started_only, status "
        "FROM " +
        table + " WHERE id > ?1 ORDER BY id";
    auto rows = db_.Prepare(sql, false);
    if (!rows.ok()) return rows.status();
    rows->Bind(1, last_sealed);
    while (rows->Step()) {
      // Between seals only the rows record the sequence and the partition's newest timestamp.
      next_id_ = std::max(next_id_, rows->Int(0) + 1);
      if (day == day_) partition_max_ts_ = std::max(partition_max_ts_, rows->Int(3));
      uint8_t flags = rows->Bool(4) ? kStartedOnly : 0;
      if (rows->TextView(5) == core::kSuccessStatus) flags |= kSucceeded;
      const auto& [org, agent] = keys.emplace_back(rows->Text(1), rows->Text(2));
      const AgentKeyView key{org, agent};
      rows_.push_back({HashAgentKey(key), key, {rows->Int(0), rows->Int(3), flags}});
    }
    if (core::Status s = rows->status("rebuild the tail from " + table); !s.ok()) return s;
  }
  tail_.Clear();
  tail_.Publish(Staged());
  rows_.clear();
  staged_ = nullptr;
  return core::Status::Ok();
}

core::Status ExecutionAppender::EnsurePartition(core::Timestamp now) {
  const int32_t today = DayOf(now);
  if (day_ != 0 && today <= day_) return core::Status::Ok();
  // The partition being left will not grow: record its newest timestamp for retention.
  if (core::Status s = SavePartitionMaxTs(); !s.ok()) return s;
  // A clock that moved back keeps writing to the newest partition: ids stay in day order.
  if (core::Status s = db_.Exec(CreateExecutionTableSql(today)); !s.ok()) return s;
  auto add = db_.Prepare("INSERT INTO execution_partitions (day, first_id, max_ts) VALUES (" +
                             std::to_string(today) + ", " + std::to_string(next_id_) +
                             ", -9223372036854775808)",
                         false);
  if (!add.ok()) return add.status();
  if (core::Status s = add->Run("add partition " + ExecutionTableName(today)); !s.ok()) return s;
  day_ = today;
  partition_max_ts_ = INT64_MIN;
  inserts_.clear();
  return core::Status::Ok();
}

core::Result<Statement*> ExecutionAppender::InsertOf(size_t log2_rows) {
  if (inserts_.size() <= log2_rows) inserts_.resize(log2_rows + 1);
  Statement& insert = inserts_[log2_rows];
  if (!insert.valid()) {
    auto prepared = db_.Prepare(InsertSql(day_, size_t{1} << log2_rows));
    if (!prepared.ok()) return prepared.status();
    insert = std::move(prepared.value());
  }
  return &insert;
}

core::Status ExecutionAppender::Append(const std::vector<const ExecutionWrite*>& rows,
                                       core::Timestamp now, std::vector<int64_t>& ids) {
  if (core::Status s = EnsurePartition(now); !s.ok()) return s;
  ids.reserve(ids.size() + rows.size());
  fresh_.clear();
  for (const ExecutionWrite* row : rows) {
    switch (recent_.Admit(*row)) {
      case RecentExecutions::Verdict::kNew:
        ids.push_back(next_id_ + static_cast<int64_t>(fresh_.size()));
        fresh_.push_back(row);
        break;
      case RecentExecutions::Verdict::kDuplicate:
        ids.push_back(kDuplicateExecution);
        break;
      case RecentExecutions::Verdict::kConflict:
        ids.push_back(kConflictingExecution);
        break;
    }
  }
  for (size_t i = 0; i < fresh_.size();) {
    const size_t n = std::min(std::bit_floor(fresh_.size() - i), size_t{1} << kMaxLog2Rows);
    auto insert = InsertOf(static_cast<size_t>(std::countr_zero(n)));
    if (!insert.ok()) return insert.status();
    for (size_t k = 0; k < n; ++k) {
      BindExecution(**insert, static_cast<int>(k) * kExecutionColumnCount + 1, next_id_ + k,
                    *fresh_[i + k]);
    }
    // All parameters are bound for every execution: no need to clear them.
    if (core::Status s = (*insert)->Run("insert executions", /*clear_bindings=*/false); !s.ok()) {
      return core::Status::IoError(ExecutionTableName(day_) + ": " + s.message());
    }
    for (size_t k = 0; k < n; ++k, ++i) {
      const ExecutionWrite& row = *fresh_[i];
      const int64_t id = next_id_++;
      const int64_t ts = core::ToMicros(row.event.timestamp);
      partition_max_ts_ = std::max(partition_max_ts_, ts);
      const AgentKeyView key{row.event.organization_id, row.event.agent_id};
      rows_.push_back({HashAgentKey(key), key, {id, ts, FlagsOf(row)}});
    }
  }
  return core::Status::Ok();
}

core::Status ExecutionAppender::WriteBlock(AgentKeyView key, const std::vector<IdEntry>& entries) {
  const IdBlock block = EncodeIdBlock(entries);
  Statement& s = insert_block_;
  s.Bind(1, key.organization_id);
  s.Bind(2, key.agent_id);
  s.Bind(3, block.min_ts);
  s.Bind(4, block.max_ts);
  s.Bind(5, block.first_id);
  s.Bind(6, block.last_id);
  s.Bind(7, block.count);
  s.BindBlob(8, block.ids);
  return s.Run("insert into execution_blocks");
}

const std::shared_ptr<const TailChunk>& ExecutionAppender::Staged() {
  if (staged_ == nullptr) staged_ = TailChunk::Build(rows_);
  return staged_;
}

// Gathers every agent's groups from the tail's chunks and this transaction's, in commit order,
// and writes each agent's entries as one block.
core::Status ExecutionAppender::Seal() {
  struct GroupRef {
    uint64_t hash;
    AgentKeyView key;
    size_t chunk;
    size_t group;
  };
  std::vector<const TailChunk*> chunks;
  for (const auto& c : tail_.chunks()) chunks.push_back(c.get());
  chunks.push_back(Staged().get());
  std::vector<GroupRef> refs;
  for (size_t c = 0; c < chunks.size(); ++c) {
    for (size_t g = 0; g < chunks[c]->groups(); ++g) {
      refs.push_back({chunks[c]->hash(g), chunks[c]->key(g), c, g});
    }
  }
  std::sort(refs.begin(), refs.end(), [](const GroupRef& a, const GroupRef& b) {
    return a.hash != b.hash ? a.hash < b.hash : a.chunk < b.chunk;
  });
  SeparateCollisions(
      refs, [](const GroupRef& r) { return r.hash; }, [](const GroupRef& r) { return r.key; });
  std::vector<IdEntry> entries;
  for (size_t i = 0; i < refs.size(); ++i) {
    auto group = chunks[refs[i].chunk]->entries(refs[i].group);
    entries.insert(entries.end(), group.begin(), group.end());
    if (i + 1 < refs.size() && refs[i + 1].hash == refs[i].hash && refs[i + 1].key == refs[i].key) {
      continue;
    }
    if (core::Status s = WriteBlock(refs[i].key, entries); !s.ok()) return s;
    entries.clear();
  }
  mark_sealed_.Bind(1, next_id_ - 1);
  sealed_ = true;
  return mark_sealed_.Run("record the seal in meta");
}

// Only a seal persists the sequence and the partition's newest timestamp: an ordinary commit then
// writes nothing but the day table's last pages (each a 32 KB WAL frame), and Load() recovers
// both from the unsealed rows.
core::Status ExecutionAppender::Finish() {
  if (!sealed_) return core::Status::Ok();
  save_next_id_.Bind(1, next_id_);
  if (core::Status s = save_next_id_.Run("record the next execution id"); !s.ok()) return s;
  return SavePartitionMaxTs();
}

core::Status ExecutionAppender::SavePartitionMaxTs() {
  if (day_ == 0 || partition_max_ts_ == INT64_MIN) return core::Status::Ok();
  save_max_ts_.Bind(1, partition_max_ts_);
  save_max_ts_.Bind(2, static_cast<int64_t>(day_));
  return save_max_ts_.Run("update execution_partitions");
}

void ExecutionAppender::Committed() {
  recent_.Commit();
  if (sealed_) {
    tail_.Clear();
  } else if (!rows_.empty()) {
    tail_.Publish(Staged());
  }
  rows_.clear();
  staged_ = nullptr;
  sealed_ = false;
  txn_first_id_ = next_id_;
  txn_first_day_ = day_;
  txn_first_max_ts_ = partition_max_ts_;
}

void ExecutionAppender::RolledBack() {
  recent_.RollBack();
  rows_.clear();
  staged_ = nullptr;
  sealed_ = false;
  partition_max_ts_ = txn_first_max_ts_;
  next_id_ = txn_first_id_;
  if (day_ != txn_first_day_) {
    day_ = txn_first_day_;
    inserts_.clear();
  }
}

}  // namespace vitals::store
