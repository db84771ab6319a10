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
import { brokenAgents, emptyHint, isReporting, statusBadge, systemLevel } from './overview_parts';

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
    this.refresh();
    this.loadHistory();
  }

  destroy(): void {
    this.panel.destroy();
    for (const off of this.offs) off();
  }

  async refresh(): Promise<void> {
    try {
      this.system = await this.api.get<any>('/api/health/system');
    } catch {
      /* keep the last figures; the connection indicator tells the story */
    }
    this.render();
  }

  private async loadHistory(): Promise<void> {
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
          // The server's system history does not record queue depth (yet): say so, not "no data".
          empty: 'Queue depth is not in the system history the server records.',
        }),
      );
    } catch {
      replace(this.charts, h('p', { class: 'empty' }, 'System history unavailable.'));
    }
  }

  private render(): void {
    const s = this.system ?? {};
    const counts = this.fleet.counts();
    const empty = this.fleet.loaded && counts.total === 0;
    replace(this.hint, empty ? emptyHint(!!this.api.key) : null);
    const pending = this.fleet.loaded
      ? null
      : this.api.waitingForKey
        ? 'Waiting for an API key…'
        : 'Loading agents…';
    replace(this.broken, brokenAgents(this.fleet, this.incidents, pending));
    let reporting = 0;
    for (const r of this.fleet.rows.values()) if (isReporting(r)) ++reporting;
    const levels = s.levels ?? {};
    const cpu = systemLevel(this.alerts, ['cpu'], levels.cpu, typeof s.cpu_usage === 'number');
    const memory = systemLevel(this.alerts, ['memory'], levels.memory, typeof s.memory_usage === 'number');
    const queueLevel = systemLevel(
      this.alerts,
      ['queue_depth'],
      undefined,
      typeof s.queue_depth === 'number',
    );
    const sev = this.alerts.bySeverity();
    const disks: any[] = Array.isArray(s.disks) ? s.disks : [];
    const disk =
      disks.length === 0
        ? DASH
        : disks
            .map((d) => percentOf(d))
            .filter((p): p is number => p !== null)
            .reduce((a, b) => Math.max(a, b), 0)
            .toFixed(1) + '%';
    const diskDetail = disks.map((d) => `${d.path ?? d.mount ?? d.name ?? ''} ${fmtPercent(d)}`).join(' · ');
    const integ = s.total_integrations ? `${s.healthy_integrations ?? 0}/${s.total_integrations}` : DASH;
    const health = h(
      'span',
      { class: 'mini' },
      (['healthy', 'degraded', 'critical', 'unknown'] as const).map((k) =>
        h('span', { class: 'pair' }, badge(k), ` ${counts.byHealth[k] ?? 0}`),
      ),
    );
    replace(
      this.cards,
      card('CPU', fmtPercent(s.cpu_usage), statusBadge(cpu), 'card-cpu', cpu),
      card('Memory', fmtPercent(s.memory_usage), statusBadge(memory), 'card-memory', memory),
      card('Disk (fullest)', disk, diskDetail, 'card-disk'),
      card(
        'Queue depth',
        s.queue_depth === undefined || s.queue_depth === null ? DASH : String(s.queue_depth),
        statusBadge(queueLevel),
        'card-queue',
        queueLevel,
      ),
      // Reporting, not "active": the activity column's "active" means an execution in flight,
      // while this counts every agent heard from lately, heartbeat-only ones included (F17).
      card(
        'Agents reporting',
        this.fleet.loaded ? `${reporting}/${counts.total}` : DASH,
        h(
          'span',
          {},
          h('span', { class: 'card-note' }, 'executions in the last 5 min or a live heartbeat'),
          health,
        ),
        'card-agents',
      ),
      card('Integrations healthy', integ, '', 'card-integrations'),
      card(
        'Open alerts',
        this.alerts.loaded ? String(sev.critical + sev.warning + sev.info) : DASH,
        h(
          'span',
          { class: 'mini' },
          (['critical', 'warning', 'info'] as const).map((k) =>
            h('span', { class: 'pair' }, badge(k, 'severity'), ` ${sev[k]}`),
          ),
        ),
        'card-alerts',
      ),
    );
  }
}
