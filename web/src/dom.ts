// A tiny DOM helper and the formatters every view shares. Views build elements with h() and
// replace their contents wholesale; the hot path (the agents table) reuses rows instead.

type Attrs = Record<string, string | number | boolean | null | undefined | EventListener>;
export type Child = Node | string | number | null | undefined | false | Child[];

export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value as EventListener);
    } else if (key === 'class') {
      el.className = String(value);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
}

export function replace(el: Element, ...children: Child[]): void {
  el.textContent = '';
  append(el, children);
}

export const DASH = '—';

export function pct(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? DASH : `${(v * 100).toFixed(digits)}%`;
}

export function num(v: number | null | undefined, digits = 0): string {
  return v === null || v === undefined || Number.isNaN(v) ? DASH : v.toFixed(digits);
}

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return DASH;
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(0)} ms`;
}

// Timestamps arrive as ISO-8601 strings or epoch numbers (seconds or milliseconds).
export function toDate(t: string | number | null | undefined): Date | null {
  if (t === null || t === undefined || t === '') return null;
  if (typeof t === 'number') return new Date(t < 1e12 ? t * 1000 : t);
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function ago(t: string | number | null | undefined, now = Date.now()): string {
  const d = toDate(t);
  if (!d) return DASH;
  const s = Math.max(0, Math.round((now - d.getTime()) / 1000));
  if (s < 60) return `${s}s ago`;
  if (s < 3600) return `${Math.floor(s / 60)}m ago`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ago`;
  return `${Math.floor(s / 86400)}d ago`;
}

export function time(t: string | number | null | undefined): string {
  const d = toDate(t);
  return d ? d.toLocaleString() : DASH;
}

// Status is always shown as an icon plus a word, never by colour alone.
const kIcons: Record<string, string> = {
  healthy: '✓',
  degraded: '▲',
  critical: '✕',
  failed: '✕',
  error: '✕',
  unknown: '?',
  connected: '✓',
  disconnected: '✕',
  up: '✓',
  ok: '✓',
  passing: '✓',
  down: '✕',
  failing: '✕',
  critical_sev: '✕',
  warning: '▲',
  info: 'ℹ',
};

export function badge(status: string | null | undefined, kind = ''): HTMLElement {
  const s = status || 'unknown';
  const icon = kIcons[kind === 'severity' && s === 'critical' ? 'critical_sev' : s] ?? '•';
  return h('span', { class: `badge st-${s}` }, h('span', { 'aria-hidden': 'true' }, icon), ` ${s}`);
}

export const kTrendArrows: Record<string, string> = {
  improving: '↗ improving',
  declining: '↘ declining',
  stable: '→ stable',
};
