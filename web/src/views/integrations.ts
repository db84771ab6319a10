// The integrations grid: status, latency and error rate per integration.
import { Api } from '../api';
import { DASH, ago, badge, h, ms, pct, replace } from '../dom';

export class IntegrationsView {
  readonly el: HTMLElement;
  private grid = h('div', { class: 'grid', 'aria-live': 'polite' });

  constructor(private readonly api: Api) {
    this.el = h(
      'section',
      { class: 'integrations', 'aria-labelledby': 'int-title' },
      h('h2', { id: 'int-title' }, 'Integrations'),
      this.grid,
    );
    this.refresh();
  }

  destroy(): void {}

  async refresh(): Promise<void> {
    let list: any[] = [];
    try {
      const body = await this.api.get<any>('/api/health/integrations');
      list = Array.isArray(body) ? body : (body?.integrations ?? []);
    } catch (e) {
      replace(this.grid, h('p', { class: 'empty' }, `Integrations unavailable: ${(e as Error).message}`));
      return;
    }
    if (list.length === 0) {
      replace(this.grid, h('p', { class: 'empty' }, 'No integrations are monitored.'));
      return;
    }
    replace(
      this.grid,
      list.map((i) =>
        h(
          'div',
          { class: 'card integration' },
          h('div', { class: 'card-label' }, i.integration_name ?? i.name ?? i.integration_id ?? i.id ?? DASH),
          badge(i.status ?? i.health ?? i.state ?? 'unknown'),
          h(
            'div',
            { class: 'card-detail' },
            `latency ${ms(i.latency_ms ?? i.response_time_ms ?? i.round_trip_ms ?? null)} · errors ${pct(i.error_rate ?? null)}`,
          ),
          h(
            'div',
            { class: 'card-detail' },
            `checked ${ago(i.last_check ?? i.last_checked ?? i.checked_at ?? null)}`,
          ),
          i.last_error ? h('div', { class: 'card-detail error-text' }, i.last_error) : null,
        ),
      ),
    );
  }
}
