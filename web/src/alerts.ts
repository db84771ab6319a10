// Open alerts as the page knows them: loaded from /api/health/alerts, kept current by the
// alert_raised / alert_acknowledged / alert_resolved events.
import { Api } from './api';

export interface Alert {
  alert_id: string | number;
  severity: string; // critical | warning | info
  message: string;
  source_type: string;
  source_id: string;
  type: string;
  raised_at: string | number;
  updated_at: string | number;
  acknowledged: boolean;
  acknowledged_by: string | null;
  acknowledged_at: string | number | null;
  resolved: boolean;
  flapping: boolean;
}

export class Alerts {
  readonly open = new Map<string, Alert>();
  loaded = false; // the open alerts have been read once (zero is known, not just unread)
  private listeners = new Set<() => void>();

  constructor(private readonly api: Api) {}

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async load(): Promise<void> {
    const body = await this.api.get<any>('/api/health/alerts?state=open&limit=1000');
    const list: Alert[] = Array.isArray(body) ? body : (body?.alerts ?? []);
    this.open.clear();
    this.loaded = true;
    for (const a of list) if (!a.resolved) this.open.set(String(a.alert_id), a);
    this.notify();
  }

  // Applies the alert carried by an alert_* event.
  apply(alert: Alert): void {
    const id = String(alert.alert_id);
    if (alert.resolved) this.open.delete(id);
    else this.open.set(id, alert);
    this.notify();
  }

  async acknowledge(id: string, by: string): Promise<void> {
    const body = await this.api.post<any>(`/api/health/alerts/${encodeURIComponent(id)}/acknowledge`, {
      by,
      acknowledged_by: by,
    });
    const alert: Alert | undefined = body?.alert ?? (body?.alert_id !== undefined ? body : undefined);
    if (alert) this.apply(alert);
    else await this.load();
  }

  bySeverity(): Record<string, number> {
    const out: Record<string, number> = { critical: 0, warning: 0, info: 0 };
    for (const a of this.open.values()) out[a.severity] = (out[a.severity] ?? 0) + 1;
    return out;
  }

  sorted(): Alert[] {
    const rank: Record<string, number> = { critical: 0, warning: 1, info: 2 };
    return [...this.open.values()].sort(
      (a, b) =>
        (rank[a.severity] ?? 3) - (rank[b.severity] ?? 3) ||
        String(b.raised_at).localeCompare(String(a.raised_at)),
    );
  }

  private notify(): void {
    for (const l of this.listeners) l();
  }
}
