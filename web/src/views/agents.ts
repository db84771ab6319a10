// The agents table: search, filters and sortable columns over the whole fleet, rendered as a
// virtual list — only the rows in view exist in the DOM (a fixed pool, reused while scrolling),
// so 10,000 agents cost what 40 do. Row contents refresh every frame the fleet changes; the
// (filter, sort) order is recomputed at most every kResortMs so a stream of updates does not
// re-sort 10,000 rows sixty times a second.
import { AgentRow, Fleet } from '../fleet';
import { SortKey, cmp, compare, kColumns } from './agent_order';
import { DASH, ago, h, ms, num, pct, kTrendArrows } from '../dom';

const kRowHeight = 36;
const kOverscan = 8;
const kResortMs = 200;

interface PoolRow {
  el: HTMLElement;
  cells: HTMLElement[];
  bar: HTMLElement;
  shown: string; // "<agent id>|<fleet version>" last drawn, to skip unchanged rows
}

export class AgentsView {
  readonly el: HTMLElement;
  private viewport!: HTMLElement;
  private grid!: HTMLElement;
  private spacer!: HTMLElement;
  private countEl!: HTMLElement;
  private pool: PoolRow[] = [];
  private order: AgentRow[] = [];
  private sortKey: SortKey = 'health';
  private descending = true;
  private search = '';
  private healthFilter = '';
  private statusFilter = '';
  private active = 0;
  private sortedAt = 0;
  private resortTimer = 0;
  private frame = 0;
  private unsubscribe: () => void;
  private headers = new Map<SortKey, HTMLElement>();

  constructor(
    private readonly fleet: Fleet,
    private readonly open: (agentId: string) => void,
  ) {
    this.el = this.build();
    this.unsubscribe = fleet.subscribe(() => this.onFleet());
    this.resort();
  }

  destroy(): void {
    this.unsubscribe();
    cancelAnimationFrame(this.frame);
    clearTimeout(this.resortTimer);
  }

  private build(): HTMLElement {
    const search = h('input', {
      type: 'search',
      placeholder: 'Search agents by name or id',
      'aria-label': 'Search agents',
      id: 'agent-search',
      oninput: (e: Event) => {
        this.search = (e.target as HTMLInputElement).value.trim().toLowerCase();
        this.resort();
      },
    });
    const select = (label: string, id: string, values: string[], set: (v: string) => void) =>
      h(
        'label',
        { class: 'filter' },
        `${label} `,
        h(
          'select',
          { id, onchange: (e: Event) => (set((e.target as HTMLSelectElement).value), this.resort()) },
          h('option', { value: '' }, 'all'),
          values.map((v) => h('option', { value: v }, v)),
        ),
      );
    this.countEl = h('span', { class: 'count', 'aria-live': 'polite' });
    const head = h(
      'div',
      { class: 'vrow vhead', role: 'row', 'aria-rowindex': 1 },
      kColumns.map((c) => {
        const button = h(
          'button',
          { type: 'button', onclick: () => this.sortBy(c.key) },
          c.label,
          h('span', { class: 'sort-mark', 'aria-hidden': 'true' }),
        );
        const cell = h('div', { class: `vcell ${c.cls}`, role: 'columnheader' }, button);
        this.headers.set(c.key, cell);
        return cell;
      }),
    );
    this.spacer = h('div', { class: 'vspacer' });
    this.viewport = h(
      'div',
      { class: 'viewport', role: 'rowgroup', onscroll: () => this.schedule() },
      this.spacer,
    );
    // The grid takes the focus; the active row is announced through aria-activedescendant.
    this.grid = h(
      'div',
      {
        class: 'vtable',
        role: 'grid',
        tabindex: 0,
        'aria-label': 'Agents (arrow keys move, Enter opens)',
        onkeydown: (e: Event) => this.onKey(e as KeyboardEvent),
      },
      h('div', { role: 'rowgroup' }, head),
      this.viewport,
    );
    this.markSort();
    return h(
      'section',
      { class: 'agents-view', 'aria-labelledby': 'agents-title' },
      h('h2', { id: 'agents-title' }, 'Agents ', this.countEl),
      h(
        'div',
        { class: 'toolbar' },
        search,
        select(
          'Health',
          'filter-health',
          ['critical', 'degraded', 'healthy', 'unknown'],
          (v) => (this.healthFilter = v),
        ),
        select(
          'Activity',
          'filter-status',
          ['active', 'idle', 'error', 'paused'],
          (v) => (this.statusFilter = v),
        ),
      ),
      this.grid,
    );
  }

  private sortBy(key: SortKey): void {
    this.descending = this.sortKey === key ? !this.descending : key === 'health';
    this.sortKey = key;
    this.markSort();
    this.resort();
  }

  private markSort(): void {
    for (const [key, cell] of this.headers) {
      const on = key === this.sortKey;
      cell.setAttribute('aria-sort', on ? (this.descending ? 'descending' : 'ascending') : 'none');
      cell.querySelector('.sort-mark')!.textContent = on ? (this.descending ? ' ▼' : ' ▲') : '';
    }
  }

  private onFleet(): void {
    const wait = this.sortedAt + kResortMs - performance.now();
    if (wait <= 0) this.resort();
    else {
      if (!this.resortTimer) this.resortTimer = window.setTimeout(() => this.resort(), wait);
      this.schedule();
    }
  }

  private resort(): void {
    clearTimeout(this.resortTimer);
    this.resortTimer = 0;
    this.sortedAt = performance.now();
    const q = this.search;
    const rows: AgentRow[] = [];
    for (const r of this.fleet.rows.values()) {
      if (this.healthFilter && r.health !== this.healthFilter) continue;
      if (this.statusFilter && r.status !== this.statusFilter) continue;
      if (q && !r.agent_id.toLowerCase().includes(q) && !r.agent_name.toLowerCase().includes(q)) continue;
      rows.push(r);
    }
    const key = this.sortKey;
    const sign = this.descending ? -1 : 1;
    rows.sort((a, b) => sign * compare(key, a, b) || cmp(a.agent_id, b.agent_id));
    this.order = rows;
    this.active = Math.min(this.active, Math.max(0, rows.length - 1));
    this.spacer.style.height = `${rows.length * kRowHeight}px`;
    this.grid.setAttribute('aria-rowcount', String(rows.length + 1)); // + the header row
    this.countEl.textContent = `(${rows.length} of ${this.fleet.rows.size})`;
    for (const p of this.pool) p.shown = '';
    this.schedule();
  }

  private schedule(): void {
    if (!this.frame) this.frame = requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(this.viewport.scrollTop / kRowHeight) - kOverscan);
    const count = Math.min(this.order.length - first, Math.ceil(height / kRowHeight) + 2 * kOverscan);
    while (this.pool.length < count) this.pool.push(this.makeRow());
    for (let i = 0; i < this.pool.length; ++i) {
      const p = this.pool[i];
      const index = first + i;
      if (i >= count) {
        p.el.hidden = true;
        continue;
      }
      p.el.hidden = false;
      this.fill(p, this.order[index], index);
    }
  }

  private makeRow(): PoolRow {
    const bar = h('span', { class: 'bar-fill' });
    const cells = kColumns.map((c) => h('div', { class: `vcell ${c.cls}`, role: 'gridcell' }));
    const el = h('div', { class: 'vrow', role: 'row' }, cells);
    el.addEventListener('click', () => {
      const id = el.dataset.agentId;
      if (id) this.open(id);
    });
    this.viewport.appendChild(el);
    return { el, cells, bar, shown: '' };
  }

  private fill(p: PoolRow, r: AgentRow, index: number): void {
    const isActive = index === this.active;
    const key = `${r.agent_id}|${this.fleet.version}|${isActive}`;
    p.el.style.transform = `translateY(${index * kRowHeight}px)`;
    if (p.shown === key) return;
    p.shown = key;
    const el = p.el;
    el.dataset.agentId = r.agent_id;
    el.dataset.health = r.health;
    el.id = `agent-row-${index}`;
    el.setAttribute('aria-rowindex', String(index + 2));
    el.classList.toggle('active', isActive);
    el.classList.toggle('flash', !!r.changed_at && Date.now() - r.changed_at < 3000);
    if (isActive) this.grid.setAttribute('aria-activedescendant', el.id);
    const [name, health, score, status, success, p95, last, trend] = p.cells;
    setText(name, r.agent_name === r.agent_id ? r.agent_id : `${r.agent_name} · ${r.agent_id}`);
    name.title = r.agent_id;
    health.className = `vcell c-health st-${r.health}`;
    setText(health, `${kIcon[r.health] ?? '?'} ${r.health}`);
    const s = r.score;
    if (!score.firstChild) score.append(h('span', { class: 'bar' }, p.bar), h('span', { class: 'bar-num' }));
    p.bar.style.width = `${s ?? 0}%`;
    p.bar.className = `bar-fill st-${r.health}`;
    setText(score.lastChild as HTMLElement, s === null ? DASH : num(s));
    setText(status, `${kActivityIcon[r.status] ?? ''} ${r.status}`);
    status.className = `vcell c-status act-${r.status}`;
    setText(success, pct(r.success_rate_5min));
    setText(p95, ms(r.latency_p95_ms));
    setText(last, ago(r.last_active));
    setText(trend, kTrendArrows[r.health_trend] ?? r.health_trend);
  }

  private onKey(e: KeyboardEvent): void {
    if (e.target !== this.grid) return; // keys meant for the sort buttons
    const page = Math.max(1, Math.floor(this.viewport.clientHeight / kRowHeight) - 1);
    const moves: Record<string, number> = {
      ArrowDown: 1,
      ArrowUp: -1,
      PageDown: page,
      PageUp: -page,
      Home: -Infinity,
      End: Infinity,
    };
    if (e.key === 'Enter') {
      const r = this.order[this.active];
      if (r) this.open(r.agent_id);
      return;
    }
    if (!(e.key in moves)) return;
    e.preventDefault();
    const n = this.order.length;
    this.active = Math.max(0, Math.min(n - 1, this.active + moves[e.key]));
    const top = this.active * kRowHeight;
    const vp = this.viewport;
    if (top < vp.scrollTop) vp.scrollTop = top;
    else if (top + kRowHeight > vp.scrollTop + vp.clientHeight)
      vp.scrollTop = top + kRowHeight - vp.clientHeight;
    for (const p of this.pool) p.shown = '';
    this.schedule();
  }
}

const kIcon: Record<string, string> = { healthy: '✓', degraded: '▲', critical: '✕', unknown: '?' };
const kActivityIcon: Record<string, string> = { active: '▶', idle: '◦', error: '!', paused: '❚❚' };

function setText(el: HTMLElement, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}
