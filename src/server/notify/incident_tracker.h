// IncidentTracker: turns the engine's ordered alert changes into the changes of incidents
// (core/incident.h) that people are told about — one notification when an incident opens, one
// when its paging severity rises, one when it resolves.
//
// Rules (issue 15):
//  - Grouping window: an incident's opening is emitted `window` after its first alert's change
//    (its updated_at, or `now` if earlier), carrying every alert that joined it meanwhile;
//    window 0 emits it at the end of the batch (one OnChanges call) that opened it.
//  - An opening pages only when a non-implied open member's raise had notify=true (AlertSlot's
//    cooldown and flapping) and the source's previous incident did not close within `cooldown`
//    before it opened (a crash loop makes a new alert each cycle, which no AlertSlot sees flap).
//    Otherwise the incident stays silent until it becomes steady: a
//    flapping alert stops flapping while still active, a member's raise is notified, or, not
//    flapping, it has been open for `cooldown` and `cooldown` has passed since its source's last
//    notification (so a source reopening short incidents again and again stays silent). Flapping
//    start and stop never notify by themselves.
//  - After the opening: a rise of core::PagingSeverity above the highest severity already sent
//    for the incident → kEscalated; any other change → kUpdated (no notification; the policy
//    keeps its copy current, e.g. acknowledged).
//  - All alerts resolved → kResolved, only when the opening was emitted; an incident resolved
//    before (pending or silent) emits nothing.
//
// Pure: no I/O, no clock (callers pass `now`), not thread-safe (the Notifier's dispatcher owns it).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "core/alert.h"
#include "core/incident.h"
#include "core/time.h"

namespace vitals::server {

enum class IncidentChangeKind { kOpened, kEscalated, kResolved, kUpdated };

// "raised", "escalated", "resolved", "updated": the `change` of a payload.
std::string_view IncidentChangeName(IncidentChangeKind kind);

struct IncidentChange {
  IncidentChangeKind kind = IncidentChangeKind::kUpdated;
  core::Incident incident;  // after the change
};

struct IncidentTrackerOptions {
  core::Duration window = core::Seconds(1);
  core::Duration cooldown = core::Seconds(300);  // the engine's alert cooldown (seed 003)
  // The grouping window of an agent that declares dependencies, when longer: the failures of an
  // agent behind a broken integration often show before the integration's own check does, and
  // this long the outage can still claim the agent's incident (held, attributed to it).
  core::Duration dependency_wait = core::Seconds(10);
};

// (organization, agent) of the agents among a batch's sources that declare dependencies.
using DependentAgents = std::set<std::pair<std::string, std::string>>;

class IncidentTracker final {
 public:
  explicit IncidentTracker(IncidentTrackerOptions options = {}) : options_(options) {}

  // Applies one batch of changes (in order), then emits what fell due by `now`.
  // `dependents`: which agents of the batch declare dependencies (they wait dependency_wait).
  std::vector<IncidentChange> OnChanges(std::span<const core::AlertChange> changes,
                                        core::Timestamp now,
                                        const DependentAgents& dependents = {});
  // Openings whose window has passed, and silent incidents whose cooldown has.
  std::vector<IncidentChange> Due(core::Timestamp now);
  // Due(now) with every grouping window ended: for a notifier that is stopping.
  std::vector<IncidentChange> FlushOpenings(core::Timestamp now);
  // The earliest time Due() would emit something; nullopt when nothing waits.
  std::optional<core::Timestamp> NextDue() const;

  // Open alerts restored after a restart: grouped into incidents, which count as opened
  // (notified) when any member has last_notified_at, else as silent. Returns the opened ones,
  // for the policy to track. Replaces what was tracked for those sources.
  std::vector<core::Incident> Seed(std::vector<core::Alert> open_alerts, core::Timestamp now);

  size_t open() const { return open_.size(); }
  // Incidents whose opening waits for the grouping window.
  size_t pending_openings() const;

 private:
  using SourceKey = std::tuple<std::string, core::AlertSource, std::string>;
  enum class Phase { kPending, kSilent, kOpened };
  struct Open {
    core::Incident incident;
    Phase phase = Phase::kPending;
    core::Timestamp due;                      // kPending: when the opening is emitted
    std::set<std::string> notified_raises;    // member ids whose raise had notify=true
    std::optional<core::AlertSeverity> sent;  // highest paging severity notified
  };

  void Apply(const core::AlertChange& change, core::Timestamp now,
             const DependentAgents& dependents, std::vector<IncidentChange>* out);
  // kSilent → kOpened when it has become steady (see the rules).
  bool Steady(const SourceKey& key, const Open& o, core::Timestamp now) const;
  // Whether a non-implied open member's raise was notified.
  bool Pages(const Open& o) const;
  // Whether the incident opened within `cooldown` of its source's previous incident closing: a
  // crash loop. Such an incident pages only once steady, whatever its alerts' flags say.
  bool Reopened(const SourceKey& key, const Open& o) const;
  // When the source's cooldown ends for a silent incident; nullopt while it flaps.
  std::optional<core::Timestamp> CooledAt(const SourceKey& key, const Open& o) const;
  // Notifies `kind`: records the paging severity sent and the source's last notification.
  void Emit(const SourceKey& key, Open& o, IncidentChangeKind kind, core::Timestamp now,
            std::vector<IncidentChange>* out);

  IncidentTrackerOptions options_;
  std::map<SourceKey, Open> open_;
  std::map<SourceKey, core::Timestamp> last_notified_;  // per source, across incidents
  std::map<SourceKey, core::Timestamp> last_closed_;    // per source: its last incident's end
};

}  // namespace vitals::server
