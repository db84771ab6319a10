// Pieces of the agent page: a data table, the heartbeat timeline, an execution's status.
import { DASH, h, toDate } from '../dom';

export function table(headers: string[], rows: (string | HTMLElement)[][], caption: string): HTMLElement {
  return h(
    'table',
    { class: 'data' },
    h('caption', {}, caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        headers.map((x) => h('th', { scope: 'col' }, x)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((r) =>
        h(
          'tr',
          {},
          r.map((c) => h('td', {}, c)),
        ),
      ),
    ),
  );
}

// Heartbeats of the last hour as ticks on a line (SVG); gaps show as empty stretches.
export function timeline(list: any[]): HTMLElement {
  const now = Date.now();
  const from = now - 3600_000;
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 1000 40');
  svg.setAttribute('class', 'timeline');
  svg.setAttribute('role', 'img');
  let n = 0;
  for (const b of list) {
    const d = toDate(b.timestamp ?? b.received_at ?? b.at);
    if (!d || d.getTime() < from) continue;
    ++n;
    const x = ((d.getTime() - from) / 3600_000) * 1000;
    const tick = document.createElementNS(ns, 'rect');
    tick.setAttribute('x', x.toFixed(1));
    tick.setAttribute('y', '8');
    tick.setAttribute('width', '2');
    tick.setAttribute('height', '24');
    svg.appendChild(tick);
  }
  svg.setAttribute('aria-label', `${n} heartbeats in the last hour`);
  return h('figure', { class: 'chart' }, h('figcaption', {}, `Heartbeats, last hour (${n})`), svg);
}

export function execStatus(status: string | undefined): HTMLElement {
  const failed = status !== undefined && !['success', 'completed', 'running', 'started'].includes(status);
  const ok = status === 'completed' || status === 'success';
  const cls = failed ? 'critical' : ok ? 'healthy' : 'unknown';
  return h('span', { class: `badge st-${cls}` }, `${failed ? '✕' : ok ? '✓' : '•'} ${status ?? DASH}`);
}
