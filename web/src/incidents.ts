// Open incidents as the page knows them: the alerts of one source that are open together, read
// from GET /api/health/incidents (server::WriteIncident's shape). Alert events do not carry the
// grouping, so each burst of them triggers one re-read (coalesced, at most one request in flight).
import { Alert } from './alerts';
import { Api } from './api';

export interface Incident {
  incident_id: string;
  organization_id: string;
  source_type: string;
  source_id: string;
  severity: string; // critical | warning | info
  cause: string;
  title: string;
  opened_at: string | number;
  resolved: boolean;
  resolved_at: string | number | null;
  acknowledged: boolean;
  action_required: boolean;
  flapping: boolean;
  alert_count: number;
  implied_alert_ids: string[];
  alerts: Alert[];
}

const kRank: Record<string, number> = { critical: 0, warning: 1, info: 2 };
const kCoalesceMs = 100;

export class Incidents {
  open: Incident[] = [];
  loaded = false; // false until the first successful read: "none open" is not known before
  private listeners = new Set<() => void>();
  private timer = 0;
  private inFlight: Promise<void> | null = null;
  private again = false;
  private worst: Map<string, Incident> | null = null; // by source, rebuilt after each read

  constructor(private readonly api: Api) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  load(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.read().finally(() => {
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        this.load().catch(() => {});
      }
    });
    return this.inFlight;
  }

  // An alert changed somewhere: re-read once the burst is over.
  changed(): void {
    if (!this.timer)
      this.timer = window.setTimeout(() => ((this.timer = 0), this.load().catch(() => {})), kCoalesceMs);
  }

  async acknowledge(id: string, by: string): Promise<void> {
    await this.api.post<any>(`/api/health/incidents/${encodeURIComponent(id)}/acknowledge`, { by });
    await this.load();
  }

  // Most severe first, then the newest.
  sorted(): Incident[] {
    return [...this.open].sort(
      (a, b) =>
        (kRank[a.severity] ?? 3) - (kRank[b.severity] ?? 3) ||
        String(b.opened_at).localeCompare(String(a.opened_at)),
    );
  }

  // The worst open incident of one source (e.g. to name an agent's worst cause).
  worstFor(sourceType: string, sourceId: string): Incident | undefined {
    if (!this.worst) {
      this.worst = new Map();
      for (const i of this.sorted()) {
        const key = `${i.source_type}\u001f${i.source_id}`;
        if (!this.worst.has(key)) this.worst.set(key, i);
      }
    }
    return this.worst.get(`${sourceType}\u001f${sourceId}`);
  }

  private async read(): Promise<void> {
    const body = await this.api.get<any>('/api/health/incidents?state=open&limit=1000');
    const list: Incident[] = Array.isArray(body) ? body : (body?.incidents ?? []);
    this.open = list.filter((i) => !i.resolved);
    this.worst = null;
    this.loaded = true;
    for (const l of this.listeners) l();
  }
}
