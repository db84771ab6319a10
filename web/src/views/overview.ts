// The overview: system cards (CPU, memory, disk, queue depth, each with its status), agents,
// integrations and alerts by severity; which agents are broken and why; open incidents; and the
// system's history (health score, CPU, memory, queue depth). Fleet and alert figures follow the
// live stores; the system figures are re-read when the server's periodic health:update summary
// arrives (an event, not a polling loop).
import { Alerts } from '../alerts';
import { Api } from '../api';
import { historyPoints, lineChart, niceMax } from '../charts';
import { DASH, badge, h, replace } from '../dom';
import { Fleet } from '../fleet';
import { Incidents } from '../incidents';
import { AlertsPanel } from './alerts_panel';
import { brokenAgents, emptyHint, isReporting, statusBadge, systemLevel, worstLevel } from './overview_parts';

const kHistoryRefreshMs = 5 * 60 * 1000;

function percentOf(v: any): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  for (const k of ['percent', 'usage_percent', 'used_percent', 'usage', 'value']) {
    if (typeof v[k] === 'number') return v[k];
  }
  return null;
}

function fmtPercent(v: any): string {
  const p = percentOf(v);
  return p === null ? DASH : `${p.toFixed(1)}%`;
}

function card(
  label: string,
  value: string,
  detail: string | HTMLElement = '',
  id = '',
  level = '',
): HTMLElement {
  return h(
    'div',
    { class: level ? `card level-${level}` : 'card', id: id || null, 'data-level': level || null },
    h('div', { class: 'card-label' }, label),
    h('div', { class: 'card-value' }, value),
    h('div', { class: 'card-detail' }, detail),
  );
}

export class OverviewView {
  readonly el: HTMLElement;
  private hint = h('div', {});
  private cards = h('div', { class: 'cards', 'aria-live': 'polite' });
  private broken = h('div', {});
  private charts = h('div', { class: 'charts system-charts' });
  private system: any = null;
  private historyAt = 0;
  private panel: AlertsPanel;
  private offs: (() => void)[] = [];

  constructor(
    private readonly api: Api,
    private readonly fleet: Fleet,
    private readonly alerts: Alerts,
    private readonly incidents: Incidents,
  ) {
    this.panel = new AlertsPanel(incidents, api, { limit: 8 });
    this.el = h(
      'section',
      { class: 'overview', 'aria-labelledby': 'ov-title' },
      h('h2', { id: 'ov-title' }, 'Overview'),
      this.hint,
      this.cards,
      this.broken,
      this.panel.el,
      this.charts,
    );
    this.offs.push(
      fleet.subscribe(() => this.render()),
      alerts.subscribe(() => this.render()),
      incidents.subscribe(() => this.render()),
      api.onKeyWait(() => this.render()),
    );
    this.loadHistory();
    this.refresh();
  }

  destroy(): void {
    this.panel.destroy();
    for (const off of this.offs) off();
  }

  async refresh(): Promise<void> {
    // The history's hourly points move slowly: re-read it every few minutes, not on every summary.
    if (performance.now() - this.historyAt > kHistoryRefreshMs) this.loadHistory();
    try {
      this.system = await this.api.get<any>('/api/health/system');
    } catch {
      /* keep the last figures; the connection indicator tells the story */
    }
    this.render();
  }

  private async loadHistory(): Promise<void> {
    this.historyAt = performance.now();
    try {
      const body = await this.api.get<any>('/api/health/history/system?days=1');
      const from = Date.now() / 1000 - 86400;
      const percent = (v: number) => `${v.toFixed(0)}%`;
      const queue = historyPoints(body, 'queue_depth');
      const depths = queue.map((p) => p.v).filter((v): v is number => v !== null);
      replace(
        this.charts,
        lineChart('System health score, last 24 h', historyPoints(body), { from }),
        lineChart('CPU, last 24 h', historyPoints(body, 'cpu_usage'), { from, max: 100, format: percent }),
        lineChart('Memory, last 24 h', historyPoints(body, 'memory_usage'), {
          from,
          max: 100,
          format: percent,
        }),
        lineChart('Queue depth, last 24 h', queue, {
          from,
          max: niceMax(depths),
          format: (v) => v.toFixed(0),
          // The server records the organization's total every 10 s once a source reports one.
          empty: 'No queue depth reported in the last 24 h (POST /api/v1/queue-depth).',
        }),
      );
    } catch {
      replace(this.charts, h('p', { class: 'empty' }, 'System history unavailable.'));
    }
  }

  private render(): void {
    const counts = this.fleet.counts();
    const empty = this.fleet.loaded && counts.total === 0;
    replace(this.hint, empty ? emptyHint(!!this.api.key) : null);
    const pending = this.fleet.loaded
      ? null
      : this.api.waitingForKey
        ? 'Waiting for an API key…'
        : 'Loading agents…';
    replace(this.broken, brokenAgents(this.fleet, this.incidents, pending));
    replace(this.cards, this.machineCards(this.system ?? {}), this.fleetCards(this.system ?? {}));
  }

  // CPU, memory, disk and queue depth, each with its status word from the collector's levels and
  // the open system alerts (F17).
  private machineCards(s: any): HTMLElement[] {
    const levels = s.levels ?? {};
    const level = (types: string[], from: string | undefined, known: boolean) =>
      systemLevel(this.alerts, types, from, known);
    const cpu = level(['cpu'], levels.cpu, typeof s.cpu_usage === 'number');
    const memory = level(['memory'], levels.memory, typeof s.memory_usage === 'number');
    const queue = level(['queue_depth'], undefined, typeof s.queue_depth === 'number');
    const disks: any[] = Array.isArray(s.disks) ? s.disks : [];
    const diskLevel = level(
      ['disk', 'inodes', 'filesystem'],
      worstLevel(disks.map((d) => d.status)),
      disks.length > 0,
    );
    const fullest = disks
      .map((d) => percentOf(d))
      .filter((p): p is number => p !== null)
      .reduce((a, b) => Math.max(a, b), 0);
    const diskDetail = disks.map((d) => `${d.mount_point ?? d.path ?? ''} ${fmtPercent(d)}`).join(' · ');
    return [
      card('CPU', fmtPercent(s.cpu_usage), statusBadge(cpu), 'card-cpu', cpu),
      card('Memory', fmtPercent(s.memory_usage), statusBadge(memory), 'card-memory', memory),
      card(
        'Disk (fullest)',
        disks.length ? `${fullest.toFixed(1)}%` : DASH,
        h('span', {}, statusBadge(diskLevel), ` ${diskDetail}`),
        'card-disk',
        diskLevel,
      ),
      card(
        'Queue depth',
        typeof s.queue_depth === 'number' ? String(s.queue_depth) : DASH,
        statusBadge(queue),
        'card-queue',
        queue,
      ),
    ];
  }

  private fleetCards(s: any): HTMLElement[] {
    const counts = this.fleet.counts();
    let reporting = 0;
    for (const r of this.fleet.rows.values()) if (isReporting(r)) ++reporting;
    const sev = this.alerts.bySeverity();
    const pairs = (keys: readonly string[], kind: string, n: (k: string) => number) =>
      h(
        'span',
        { class: 'mini' },
        keys.map((k) => h('span', { class: 'pair' }, badge(k, kind), ` ${n(k)}`)),
      );
    return [
      // Reporting, not "active": the activity column's "active" means an execution in flight,
      // while this counts every agent heard from lately, heartbeat-only ones included (F17).
      card(
        'Agents reporting',
        this.fleet.loaded ? `${reporting}/${counts.total}` : DASH,
        h(
          'span',
          {},
          h('span', { class: 'card-note' }, 'executions in the last 5 min or a live heartbeat'),
          pairs(['healthy', 'degraded', 'critical', 'unknown'], '', (k) => counts.byHealth[k] ?? 0),
        ),
        'card-agents',
      ),
      card(
        'Integrations healthy',
        s.total_integrations ? `${s.healthy_integrations ?? 0}/${s.total_integrations}` : DASH,
        '',
        'card-integrations',
      ),
      card(
        'Open alerts',
        this.alerts.loaded ? String(sev.critical + sev.warning + sev.info) : DASH,
        pairs(['critical', 'warning', 'info'], 'severity', (k) => sev[k]),
        'card-alerts',
      ),
    ];
  }
}
