// The integrations grid: status (error is the worst state, drawn as such), latency, error rate,
// when it was last used and checked, its issues and the agents that depend on it.
import { Api } from '../api';
import { DASH, ago, badge, h, ms, pct, replace, toDate } from '../dom';

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
      list.map((i) => integrationCard(i)),
    );
  }
}

// The newest of an integration's checks (each {check_id, up, latency_ms, detail, timestamp}).
function lastCheck(i: any): any | null {
  const checks: any[] = Array.isArray(i.checks) ? i.checks : [];
  let best: any = null;
  for (const c of checks) {
    const t = toDate(c.timestamp)?.getTime() ?? -Infinity;
    if (!best || t > (toDate(best.timestamp)?.getTime() ?? -Infinity)) best = c;
  }
  return best;
}

function integrationCard(i: any): HTMLElement {
  const status = i.status ?? 'unknown';
  const check = lastCheck(i);
  const issues: string[] = Array.isArray(i.issues) ? i.issues : [];
  const dependents: string[] = Array.isArray(i.dependent_agents) ? i.dependent_agents : [];
  const agentLinks = (ids: string[]) =>
    ids.flatMap((id, n) => [n ? ', ' : '', h('a', { href: `#/agent/${encodeURIComponent(id)}` }, id)]);
  return h(
    'div',
    { class: `card integration st-card-${status}`, 'data-integration-id': i.integration_id },
    h('div', { class: 'card-label' }, i.integration_name ?? i.integration_id ?? DASH),
    badge(status),
    h(
      'div',
      { class: 'card-detail' },
      `latency ${ms(i.latency_ms ?? null)} · errors ${pct(i.error_rate ?? null)}`,
    ),
    h(
      'div',
      { class: 'card-detail used' },
      `used ${ago(i.last_used ?? null)}`,
      check
        ? ` · checked ${ago(check.timestamp)} (${check.check_id}: ${check.up ? 'up' : 'down'})`
        : ' · no checks',
    ),
    issues.length
      ? h(
          'ul',
          { class: 'issues', 'aria-label': 'Issues' },
          issues.map((x) => h('li', {}, x)),
        )
      : null,
    h(
      'div',
      { class: 'card-detail depends' },
      dependents.length ? ['depended on by ', agentLinks(dependents)] : 'no agent depends on it',
    ),
  );
}
