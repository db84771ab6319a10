// Line charts drawn as SVG: one series over a fixed time range, on a y scale given by the caller
// (a history's health_score is 0–1, CPU and memory are percents). The axis labels and the line
// share one coordinate system (the viewBox, one unit per pixel of the figure's width), so a value
// sits exactly where its axis says.
import { h, time } from './dom';

export interface Point {
  t: number; // seconds since the epoch
  v: number | null;
}

export interface ChartOptions {
  min?: number; // y range; default 0–1, the API's score scale
  max?: number;
  format?: (v: number) => string; // y labels and point titles; default two decimals
  from?: number; // x range in epoch seconds; default the points' own span
  to?: number;
  empty?: string; // shown when there is no point
}

const kNs = 'http://www.w3.org/2000/svg';
const kHeight = 200;
const kLeft = 48;
const kRight = 12;
const kTop = 10;
const kBottom = 24;
const kYTicks = 4; // intervals: five labels

function svg(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const el = document.createElementNS(kNs, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

// A round upper bound for a y axis that starts at 0 (e.g. queue depth): 1, 2, 5 × 10^n.
export function niceMax(values: number[], floor = 1): number {
  const top = Math.max(floor, ...values);
  const step = 10 ** Math.floor(Math.log10(top));
  for (const m of [1, 2, 5, 10]) if (m * step >= top) return m * step;
  return 10 * step;
}

export function lineChart(title: string, points: Point[], opts: ChartOptions = {}): HTMLElement {
  const box = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  const shown = points.filter((p) => p.v !== null && Number.isFinite(p.v));
  if (shown.length === 0) {
    box.append(h('p', { class: 'empty' }, opts.empty ?? 'No history for this range yet.'));
    return box;
  }
  const min = opts.min ?? 0;
  const max = opts.max ?? 1;
  const format = opts.format ?? ((v: number) => v.toFixed(2));
  const from = opts.from ?? points[0].t;
  const to = Math.max(opts.to ?? Math.max(Date.now() / 1000, points[points.length - 1].t), from + 1);
  // Drawn once inserted, so the width is known (text stays at its real size).
  requestAnimationFrame(() => {
    const width = Math.max(320, Math.floor(box.clientWidth));
    box.append(draw(title, points, { min, max, format, from, to, width }));
  });
  return box;
}

function draw(
  title: string,
  points: Point[],
  o: { min: number; max: number; format: (v: number) => string; from: number; to: number; width: number },
): SVGElement {
  const { min, max, format, from, to, width } = o;
  const shown = points.filter((p) => p.v !== null && Number.isFinite(p.v));
  const x = (t: number) => kLeft + ((t - from) / (to - from)) * (width - kLeft - kRight);
  const y = (v: number) => {
    const clamped = Math.min(max, Math.max(min, v));
    return kTop + (1 - (clamped - min) / (max - min)) * (kHeight - kTop - kBottom);
  };
  const chart = svg('svg', {
    viewBox: `0 0 ${width} ${kHeight}`,
    width: width,
    height: kHeight,
    class: 'line-chart',
    role: 'img',
    'aria-label': `${title}: ${shown.length} points, latest ${format(shown[shown.length - 1].v!)}`,
  });
  for (let i = 0; i <= kYTicks; ++i) {
    const v = min + ((max - min) * i) / kYTicks;
    const at = y(v);
    chart.append(
      svg('line', { class: 'grid-line', x1: kLeft, x2: width - kRight, y1: at, y2: at }),
      svg('text', { class: 'y-tick', x: kLeft - 6, y: at, 'data-value': v }, format(v)),
    );
  }
  const anchors = ['start', 'middle', 'end'];
  [from, (from + to) / 2, to].forEach((t, i) => {
    const label = new Date(t * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    chart.append(svg('text', { class: 'x-tick', x: x(t), y: kHeight - 6, 'text-anchor': anchors[i] }, label));
  });
  // Gaps (null values) break the line instead of being drawn as zero.
  let run: string[] = [];
  const flush = () => {
    if (run.length) chart.append(svg('polyline', { class: 'line', points: run.join(' ') }));
    run = [];
  };
  for (const p of points) {
    if (p.v === null || !Number.isFinite(p.v)) flush();
    else run.push(`${x(p.t).toFixed(2)},${y(p.v).toFixed(2)}`);
  }
  flush();
  if (shown.length < 60) {
    for (const p of shown) {
      const dot = svg('circle', { class: 'point', cx: x(p.t), cy: y(p.v!), r: 3, 'data-value': p.v! });
      dot.append(svg('title', {}, `${time(p.t)}: ${format(p.v!)}`));
      chart.append(dot);
    }
  }
  return chart;
}

function epochSeconds(ts: unknown): number {
  const t = typeof ts === 'number' ? ts : Date.parse(String(ts)) / 1000;
  return t > 1e12 ? t / 1000 : t;
}

// History API points ({timestamp, health_score, metrics: {...}}, ISO or epoch timestamps) as one
// series: `field` is read from the point itself or from its metrics.
export function historyPoints(body: any, field = 'health_score'): Point[] {
  const list: any[] = body?.history ?? [];
  return list
    .map((p) => {
      const v = p?.[field] ?? p?.metrics?.[field];
      return { t: epochSeconds(p?.timestamp), v: typeof v === 'number' ? v : null };
    })
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
}
