// One agent: its verdict, both windows with latency quantiles, heartbeat timeline, recent
// executions with their errors, score history (1 h / 24 h / 7 d / 30 d), transitions and alerts.
// Live events for the agent trigger a (debounced) reload of its detail.
import { Api, HttpError } from '../api';
import { historyPoints, lineChart } from '../charts';
import { DASH, ago, badge, h, kTrendArrows, ms, num, pct, replace, time } from '../dom';
import { LiveEvent } from '../live';
import { Incidents } from '../incidents';
import { AlertsPanel } from './alerts_panel';
import { execStatus, table, timeline } from './agent_parts';

const kRanges: { label: string; days: number; seconds: number }[] = [
  { label: '1 h', days: 1, seconds: 3600 },
  { label: '24 h', days: 1, seconds: 86400 },
  { label: '7 d', days: 7, seconds: 7 * 86400 },
  { label: '30 d', days: 30, seconds: 30 * 86400 },
];

export class AgentView {
  readonly el: HTMLElement;
  private summary = h('div', { class: 'agent-summary', 'aria-live': 'polite' });
  private detail = h('div', { class: 'agent-detail' });
  private chart = h('div', { class: 'charts' });
  private rangeBar = h('div', { class: 'ranges', role: 'group', 'aria-label': 'History range' });
  private range = 1;
  private reloadTimer = 0;
  private panel: AlertsPanel;

  constructor(
    private readonly api: Api,
    incidents: Incidents,
    private readonly agentId: string,
  ) {
    this.panel = new AlertsPanel(incidents, api, { sourceId: agentId, title: 'Incidents for this agent' });
    this.el = h(
      'section',
      { class: 'agent-page', 'aria-labelledby': 'agent-title' },
      h('p', {}, h('a', { href: '#/agents' }, '← All agents')),
      h('h2', { id: 'agent-title' }, agentId),
      this.summary,
      h('section', { class: 'panel' }, h('h3', {}, 'Health score history'), this.rangeBar, this.chart),
      this.panel.el,
      this.detail,
    );
    this.drawRanges();
    this.refresh();
    this.loadHistory();
  }

  destroy(): void {
    clearTimeout(this.reloadTimer);
    this.panel.destroy();
  }

  onEvent(e: LiveEvent): void {
    if (e.data?.agent_id !== this.agentId) return;
    if (!this.reloadTimer)
      this.reloadTimer = window.setTimeout(() => ((this.reloadTimer = 0), this.refresh()), 1000);
  }

  private drawRanges(): void {
    replace(
      this.rangeBar,
      kRanges.map((r, i) =>
        h(
          'button',
          {
            type: 'button',
            'aria-pressed': String(i === this.range),
            onclick: () => ((this.range = i), this.drawRanges(), this.loadHistory()),
          },
          r.label,
        ),
      ),
    );
  }

  private async loadHistory(): Promise<void> {
    const r = kRanges[this.range];
    try {
      const body = await this.api.get<any>(
        `/api/health/history/agent?entity_id=${encodeURIComponent(this.agentId)}&days=${r.days}`,
      );
      const since = Date.now() / 1000 - r.seconds;
      replace(
        this.chart,
        lineChart(
          `Health score, last ${r.label}`,
          historyPoints(body).filter((p) => p.t >= since),
          { from: since },
        ),
      );
    } catch (e) {
      replace(this.chart, h('p', { class: 'empty' }, `History unavailable: ${(e as Error).message}`));
    }
  }

  async refresh(): Promise<void> {
    const id = encodeURIComponent(this.agentId);
    let a: any;
    try {
      a = await this.api.get<any>(`/api/health/agent/${id}`);
    } catch (e) {
      const missing = e instanceof HttpError && e.status === 404;
      replace(
        this.summary,
        h('p', { class: 'empty' }, missing ? 'No such agent.' : `Unavailable: ${(e as Error).message}`),
      );
      return;
    }
    const [execs, beats, trans] = await Promise.all([
      this.api.get<any>(`/api/v1/agents/${id}/executions?limit=50`).catch(() => null),
      this.api.get<any>(`/api/v1/agents/${id}/heartbeats`).catch(() => null),
      this.api.get<any>(`/api/v1/agents/${id}/transitions`).catch(() => null),
    ]);
    this.drawSummary(a);
    replace(
      this.detail,
      this.windows(a),
      this.heartbeat(a, beats),
      this.executions(execs),
      this.transitions(trans),
    );
  }

  private drawSummary(a: any): void {
    const hl = a.health ?? {};
    const issues: string[] = hl.issues ?? [];
    replace(
      this.summary,
      h(
        'div',
        { class: 'cards' },
        h(
          'div',
          { class: 'card', id: 'agent-health' },
          h('div', { class: 'card-label' }, 'Health'),
          h('div', { class: 'card-value' }, badge(hl.status)),
          h('div', { class: 'card-detail' }, `score ${num(hl.score)}`),
        ),
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-label' }, 'Activity'),
          h('div', { class: 'card-value' }, a.status ?? DASH),
          h('div', { class: 'card-detail' }, a.current_operation ?? ''),
        ),
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-label' }, 'Trend'),
          h('div', { class: 'card-value' }, kTrendArrows[a.health_trend] ?? DASH),
          h('div', { class: 'card-detail' }, `confidence ${num(a.confidence_score, 2)}`),
        ),
        h(
          'div',
          { class: 'card' },
          h('div', { class: 'card-label' }, 'Last active'),
          h('div', { class: 'card-value' }, ago(a.last_active)),
          h('div', { class: 'card-detail' }, `${a.consecutive_failures ?? 0} consecutive failures`),
        ),
      ),
      issues.length
        ? h(
            'ul',
            { class: 'issues', 'aria-label': 'Issues' },
            issues.map((i) => h('li', {}, i)),
          )
        : null,
      a.last_error ? h('p', { class: 'error-text' }, 'Last error: ', a.last_error) : null,
    );
  }

  private windows(a: any): HTMLElement {
    const rows = (['5m', '1h'] as const).map((k) => {
      const w = a.windows?.[k] ?? {};
      const l = w.latency_ms ?? {};
      return [
        k,
        String(w.total ?? DASH),
        String(w.failure ?? DASH),
        pct(w.success_rate),
        pct(w.error_rate),
        ms(w.avg_latency_ms),
        ms(l.p50),
        ms(l.p95),
        ms(l.p99),
      ];
    });
    return h(
      'section',
      { class: 'panel' },
      table(
        ['Window', 'Executions', 'Failures', 'Success', 'Error rate', 'Avg', 'p50', 'p95', 'p99'],
        rows,
        'Windows and latency quantiles',
      ),
    );
  }

  private heartbeat(a: any, body: any): HTMLElement {
    const hb = a.heartbeat;
    const list: any[] = body?.heartbeats ?? [];
    const head = hb
      ? h(
          'p',
          {},
          badge(hb.state),
          ` ${hb.mode} mode, every ${ms(hb.interval_ms)}, last ${ago(hb.last_heartbeat)}`,
        )
      : h('p', { class: 'empty' }, 'No heartbeat monitoring for this agent.');
    return h('section', { class: 'panel' }, h('h3', {}, 'Heartbeats'), head, timeline(list));
  }

  private executions(body: any): HTMLElement {
    const list: any[] = body?.executions ?? [];
    const rows = list.map((e) => [
      time(e.started_at ?? e.timestamp ?? e.completed_at),
      execStatus(e.status),
      e.action_name ?? e.action_type ?? DASH,
      ms(e.latency_ms ?? e.duration_ms ?? null),
      e.error_message ? h('span', { class: 'error-text' }, e.error_message) : '',
    ]);
    return h(
      'section',
      { class: 'panel' },
      rows.length
        ? table(['When', 'Status', 'Action', 'Duration', 'Error'], rows, 'Recent executions')
        : h('p', { class: 'empty' }, 'No executions recorded.'),
    );
  }

  private transitions(body: any): HTMLElement {
    const list: any[] = Array.isArray(body) ? body : (body?.transitions ?? []);
    const rows = list.map((t) => [
      time(t.timestamp),
      t.transition,
      badge(t.previous_status),
      badge(t.new_status),
      num(t.score),
    ]);
    return h(
      'section',
      { class: 'panel' },
      rows.length
        ? table(['When', 'Transition', 'From', 'To', 'Score'], rows, 'Transitions')
        : h('p', { class: 'empty' }, 'No transitions yet.'),
    );
  }
}
