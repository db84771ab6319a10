// The alerts panel shows incidents — one row per source in trouble (severity, title, source, age,
// alert count), most severe first — each expandable to its alerts with their messages, and an
// Acknowledge button that acknowledges all of its alerts. Expanded rows stay expanded while the
// list refreshes underneath them.
import { Alert } from '../alerts';
import { Api } from '../api';
import { Incident, Incidents } from '../incidents';
import { ago, badge, h, replace } from '../dom';

const kOperatorKey = 'vitals.operator';

export class AlertsPanel {
  readonly el: HTMLElement;
  private list: HTMLElement;
  private expanded = new Set<string>();
  private offs: (() => void)[] = [];

  constructor(
    private readonly incidents: Incidents,
    private readonly api: Api,
    private readonly options: { limit?: number; sourceId?: string; title?: string } = {},
  ) {
    this.list = h('ul', { class: 'incident-list', 'aria-live': 'polite' });
    const who = h('input', {
      id: 'operator-name',
      type: 'text',
      value: localStorage.getItem(kOperatorKey) ?? 'dashboard',
      'aria-label': 'Acknowledge as',
      oninput: (e: Event) => localStorage.setItem(kOperatorKey, (e.target as HTMLInputElement).value.trim()),
    });
    this.el = h(
      'section',
      { class: 'panel alerts-panel', 'aria-label': options.title ?? 'Incidents' },
      h(
        'div',
        { class: 'panel-head' },
        h('h2', {}, options.title ?? 'Incidents'),
        h('label', { class: 'who' }, 'Acknowledge as ', who),
      ),
      this.list,
    );
    this.offs.push(
      incidents.subscribe(() => this.render()),
      api.onKeyWait(() => this.render()),
    );
    this.render();
  }

  destroy(): void {
    for (const off of this.offs) off();
  }

  async refresh(): Promise<void> {
    await this.incidents.load();
  }

  private render(): void {
    if (!this.incidents.loaded) {
      const text = this.api.waitingForKey ? 'Waiting for an API key…' : 'Loading incidents…';
      return replace(this.list, h('li', { class: 'empty waiting' }, text));
    }
    let rows = this.incidents.sorted();
    if (this.options.sourceId) rows = rows.filter((i) => i.source_id === this.options.sourceId);
    const total = rows.length;
    if (this.options.limit) rows = rows.slice(0, this.options.limit);
    if (total === 0) return replace(this.list, h('li', { class: 'empty' }, 'No open incidents.'));
    replace(
      this.list,
      rows.map((i) => this.item(i)),
      total > rows.length
        ? h('li', { class: 'more' }, h('a', { href: '#/alerts' }, `${total - rows.length} more…`))
        : null,
    );
  }

  private item(i: Incident): HTMLElement {
    const id = i.incident_id;
    const source =
      i.source_type === 'agent'
        ? h('a', { href: `#/agent/${encodeURIComponent(i.source_id)}` }, `agent ${i.source_id}`)
        : `${i.source_type} ${i.source_id}`;
    const count = i.alert_count ?? i.alerts.length;
    const details = h(
      'details',
      {
        class: 'incident-details',
        open: this.expanded.has(id),
        ontoggle: (e: Event) => {
          if ((e.currentTarget as HTMLDetailsElement).open) this.expanded.add(id);
          else this.expanded.delete(id);
        },
      },
      h(
        'summary',
        {},
        badge(i.severity, 'severity'),
        h('span', { class: 'msg' }, i.title, i.flapping ? h('span', { class: 'tag' }, ' (flapping)') : null),
        h(
          'span',
          { class: 'src' },
          source,
          ` · opened ${ago(i.opened_at)} · `,
          h('span', { class: 'count' }, `${count} alert${count === 1 ? '' : 's'}`),
        ),
      ),
      h(
        'ul',
        { class: 'incident-alerts', 'aria-label': `Alerts of ${i.title}` },
        i.alerts.map((a) => this.alert(a, i.implied_alert_ids ?? [])),
      ),
    );
    return h(
      'li',
      { class: `incident sev-${i.severity}`, 'data-incident-id': id },
      details,
      this.ackButton(i),
    );
  }

  private alert(a: Alert, implied: string[]): HTMLElement {
    const id = String(a.alert_id);
    return h(
      'li',
      { class: `alert sev-${a.severity}`, 'data-alert-id': id },
      badge(a.severity, 'severity'),
      h('span', { class: 'type' }, a.type),
      h('span', { class: 'msg' }, a.message),
      h(
        'span',
        { class: 'src' },
        a.resolved ? 'resolved' : `raised ${ago(a.raised_at)}`,
        implied.includes(id) ? ' · implied, does not page' : '',
      ),
    );
  }

  private ackButton(i: Incident): HTMLElement {
    if (i.acknowledged) {
      const by = [...new Set(i.alerts.map((a) => a.acknowledged_by).filter(Boolean))].join(', ');
      const at = i.alerts.map((a) => a.acknowledged_at).find((t) => t);
      return h('span', { class: 'acked' }, `✓ acknowledged by ${by || 'someone'} ${ago(at)}`);
    }
    return h(
      'button',
      {
        type: 'button',
        class: 'ack',
        'data-incident-id': i.incident_id,
        onclick: async (e: Event) => {
          const b = e.currentTarget as HTMLButtonElement;
          b.disabled = true;
          b.textContent = 'Acknowledging…';
          const by = localStorage.getItem(kOperatorKey) || 'dashboard';
          try {
            await this.incidents.acknowledge(i.incident_id, by);
          } catch (err) {
            b.disabled = false;
            b.textContent = `Acknowledge (failed: ${(err as Error).message})`;
          }
        },
      },
      'Acknowledge',
    );
  }
}
