// The overview: system cards (CPU, memory, disk, queue depth), agents, integrations and alerts by
// severity. Fleet and alert figures follow the live stores; the system figures are re-read when
// the server's periodic health:update summary arrives (an event, not a polling loop).
import { Alerts } from '../alerts';
import { Api } from '../api';
import { historyPoints, lineChart } from '../charts';
import { DASH, badge, h, replace } from '../dom';
import { Fleet } from '../fleet';
import { AlertsPanel } from './alerts_panel';

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

function card(label: string, value: string, detail: string | HTMLElement = '', id = ''): HTMLElement {
  return h(
    'div',
    { class: 'card', id: id || null },
    h('div', { class: 'card-label' }, label),
    h('div', { class: 'card-value' }, value),
    h('div', { class: 'card-detail' }, detail),
  );
}

export class OverviewView {
  readonly el: HTMLElement;
  private cards = h('div', { class: 'cards', 'aria-live': 'polite' });
  private charts = h('div', { class: 'charts' });
  private system: any = null;
  private panel: AlertsPanel;
  private offs: (() => void)[] = [];

  constructor(
    private readonly api: Api,
    private readonly fleet: Fleet,
    private readonly alerts: Alerts,
  ) {
    this.panel = new AlertsPanel(alerts, { limit: 8 });
    this.el = h(
      'section',
      { class: 'overview', 'aria-labelledby': 'ov-title' },
      h('h2', { id: 'ov-title' }, 'Overview'),
      this.cards,
      this.panel.el,
      this.charts,
    );
    this.offs.push(
      fleet.subscribe(() => this.render()),
      alerts.subscribe(() => this.render()),
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
      replace(
        this.charts,
        lineChart('System health score, last 24 h', historyPoints(body), { from: Date.now() / 1000 - 86400 }),
      );
    } catch {
      replace(this.charts, h('p', { class: 'empty' }, 'System history unavailable.'));
    }
  }

  private render(): void {
    const s = this.system ?? {};
    const counts = this.fleet.counts();
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
      card('CPU', fmtPercent(s.cpu_usage), '', 'card-cpu'),
      card('Memory', fmtPercent(s.memory_usage), '', 'card-memory'),
      card('Disk (fullest)', disk, diskDetail, 'card-disk'),
      card(
        'Queue depth',
        s.queue_depth === undefined || s.queue_depth === null ? DASH : String(s.queue_depth),
        '',
        'card-queue',
      ),
      card('Agents active', `${s.active_agents ?? counts.active}/${counts.total}`, health, 'card-agents'),
      card('Integrations healthy', integ, '', 'card-integrations'),
      card(
        'Open alerts',
        String(sev.critical + sev.warning + sev.info),
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
