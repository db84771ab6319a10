// CollectorSink: where the collectors' results go (the server records them as health_metrics and
// turns them into alerts and views).
#pragma once

#include "collect/database_probe.h"
#include "collect/system_sample.h"
#include "collect/workspace_scanner.h"

namespace vitals::collect {

class CollectorSink {
 public:
  virtual ~CollectorSink() = default;
  // Each method is called on one of the CollectorRunner's threads, with no runner lock held: it
  // may call the runner's accessors. The three methods may run concurrently with one another (the
  // collectors have their own threads), each one serially. They should return quickly — a slow
  // sink delays that collector's next run, nothing else.

  // After each system sample.
  virtual void OnSystem(const SystemSample& sample) = 0;
  // After each scan of a still-registered workspace; spec.organization_id scopes it.
  virtual void OnWorkspace(const WorkspaceSpec& spec, const WorkspaceSample& sample) = 0;
  // After each probe of a still-registered database target.
  virtual void OnDatabase(const DatabaseSpec& spec, const DatabaseSample& sample) = 0;
};

}  // namespace vitals::collect
