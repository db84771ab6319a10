// The alerts panel: open alerts, most severe first, each with an Acknowledge button; an
// acknowledged alert shows who acknowledged it and when.
import { Alert, Alerts } from '../alerts';
import { ago, badge, h, replace } from '../dom';

const kOperatorKey = 'vitals.operator';

export class AlertsPanel {
  readonly el: HTMLElement;
  private list: HTMLElement;
  private unsubscribe: () => void;

  constructor(
    private readonly alerts: Alerts,
    private readonly options: { limit?: number; sourceId?: string; title?: string } = {},
  ) {
    this.list = h('ul', { class: 'alert-list', 'aria-live': 'polite' });
    const who = h('input', {
      id: 'operator-name',
      type: 'text',
      value: localStorage.getItem(kOperatorKey) ?? 'dashboard',
      'aria-label': 'Acknowledge as',
      oninput: (e: Event) => localStorage.setItem(kOperatorKey, (e.target as HTMLInputElement).value.trim()),
    });
    this.el = h(
      'section',
      { class: 'panel alerts-panel', 'aria-label': options.title ?? 'Alerts' },
      h(
        'div',
        { class: 'panel-head' },
        h('h2', {}, options.title ?? 'Alerts'),
        h('label', { class: 'who' }, 'Acknowledge as ', who),
      ),
      this.list,
    );
    this.unsubscribe = alerts.subscribe(() => this.render());
    this.render();
  }

  destroy(): void {
    this.unsubscribe();
  }

  private render(): void {
    let rows = this.alerts.sorted();
    if (this.options.sourceId) rows = rows.filter((a) => a.source_id === this.options.sourceId);
    const total = rows.length;
    if (this.options.limit) rows = rows.slice(0, this.options.limit);
    if (total === 0) return replace(this.list, h('li', { class: 'empty' }, 'No open alerts.'));
    replace(
      this.list,
      rows.map((a) => this.item(a)),
      total > rows.length
        ? h('li', { class: 'more' }, h('a', { href: '#/alerts' }, `${total - rows.length} more…`))
        : null,
    );
  }

  private item(a: Alert): HTMLElement {
    const id = String(a.alert_id);
    const ack = a.acknowledged
      ? h(
          'span',
          { class: 'acked' },
          `✓ acknowledged by ${a.acknowledged_by ?? 'someone'} ${ago(a.acknowledged_at)}`,
        )
      : h(
          'button',
          {
            type: 'button',
            class: 'ack',
            'data-alert-id': id,
            onclick: async (e: Event) => {
              const b = e.currentTarget as HTMLButtonElement;
              b.disabled = true;
              b.textContent = 'Acknowledging…';
              const by = localStorage.getItem(kOperatorKey) || 'dashboard';
              try {
                await this.alerts.acknowledge(id, by);
              } catch (err) {
                b.disabled = false;
                b.textContent = `Acknowledge (failed: ${(err as Error).message})`;
              }
            },
          },
          'Acknowledge',
        );
    const source =
      a.source_type === 'agent'
        ? h('a', { href: `#/agent/${encodeURIComponent(a.source_id)}` }, a.source_id)
        : `${a.source_type} ${a.source_id}`;
    return h(
      'li',
      { class: `alert sev-${a.severity}`, 'data-alert-id': id },
      badge(a.severity, 'severity'),
      h('span', { class: 'msg' }, a.message, a.flapping ? h('span', { class: 'tag' }, ' (flapping)') : null),
      h('span', { class: 'src' }, source, ' · ', a.type, ' · raised ', ago(a.raised_at)),
      ack,
    );
  }
}
