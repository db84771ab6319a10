// The fleet as the page knows it: one row per agent, loaded from /api/health/agents and kept
// current by live events. Events are merged into a pending map and applied once per animation
// frame, so a burst of thousands of updates costs one re-render, not thousands.

export interface AgentRow {
  agent_id: string;
  agent_name: string;
  agent_type: string;
  health: string; // healthy | degraded | critical | unknown
  score: number | null;
  status: string; // activity: active | idle | error | paused
  success_rate_5min: number | null;
  latency_p95_ms: number | null;
  executions_1hr: number;
  last_active: string | number | null;
  heartbeat: string | null;
  open_alerts: number;
  in_flight: number;
  health_trend: string;
  changed_at?: number; // when the page last saw its health change (for a brief highlight)
}

type Listener = () => void;

export class Fleet {
  readonly rows = new Map<string, AgentRow>();
  // Bumped on every applied batch; views compare it to skip work when nothing changed.
  version = 0;
  loaded = false; // the list has been read once (an empty fleet is known, not just unread)
  private pending = new Map<string, Partial<AgentRow>>();
  private frame = 0;
  private listeners = new Set<Listener>();
  private unknownSeen: () => void;

  // `onUnknown` is called (at most once per batch) when an event names an agent not yet listed,
  // so the caller can reload the list and learn its name and activity.
  constructor(onUnknown: () => void) {
    this.unknownSeen = onUnknown;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  replaceAll(rows: AgentRow[]): void {
    this.loaded = true;
    const before = this.rows;
    const now = Date.now();
    const next = new Map<string, AgentRow>();
    for (const r of rows) {
      const old = before.get(r.agent_id);
      r.changed_at = old && old.health !== r.health ? now : old?.changed_at;
      next.set(r.agent_id, r);
    }
    // Keep updates that arrived after the list was read (they are newer than it).
    for (const [id, patch] of this.pending) {
      const r = next.get(id);
      if (r) Object.assign(r, patch);
    }
    this.rows.clear();
    for (const [id, r] of next) this.rows.set(id, r);
    this.bump();
  }

  patch(agent_id: string, fields: Partial<AgentRow>): void {
    const p = this.pending.get(agent_id);
    if (p) Object.assign(p, fields);
    else this.pending.set(agent_id, { ...fields });
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  private flush(): void {
    this.frame = 0;
    const now = Date.now();
    let unknown = false;
    for (const [id, p] of this.pending) {
      let row = this.rows.get(id);
      if (!row) {
        unknown = true;
        row = {
          agent_id: id,
          agent_name: id,
          agent_type: '',
          health: 'unknown',
          score: null,
          status: 'idle',
          success_rate_5min: null,
          latency_p95_ms: null,
          executions_1hr: 0,
          last_active: null,
          heartbeat: null,
          open_alerts: 0,
          in_flight: 0,
          health_trend: 'stable',
        };
        this.rows.set(id, row);
      }
      if (p.health !== undefined && p.health !== row.health) row.changed_at = now;
      Object.assign(row, p);
    }
    this.pending.clear();
    this.bump();
    if (unknown) this.unknownSeen();
  }

  private bump(): void {
    ++this.version;
    for (const l of this.listeners) l();
  }

  counts(): { total: number; active: number; byHealth: Record<string, number> } {
    const byHealth: Record<string, number> = { healthy: 0, degraded: 0, critical: 0, unknown: 0 };
    let active = 0;
    for (const r of this.rows.values()) {
      byHealth[r.health] = (byHealth[r.health] ?? 0) + 1;
      if (r.status === 'active') ++active;
    }
    return { total: this.rows.size, active, byHealth };
  }
}
