// Line charts (uPlot, bundled): one series over time, sized to its container.
import uPlot from 'uplot';
import { h } from './dom';

export interface Point {
  t: number; // seconds since the epoch
  v: number | null;
}

export function lineChart(
  title: string,
  points: Point[],
  opts: { min?: number; max?: number; unit?: string; from?: number; to?: number } = {},
): HTMLElement {
  const box = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  if (points.length === 0) {
    box.append(h('p', { class: 'empty' }, 'No history for this range yet.'));
    return box;
  }
  const xs = points.map((p) => p.t);
  const ys = points.map((p) => p.v);
  // Drawn after insertion so the width is known.
  requestAnimationFrame(() => {
    const width = Math.max(280, box.clientWidth - 8);
    new uPlot(
      {
        width,
        height: 200,
        scales: {
          // A fixed time range, so one point sits where it belongs instead of filling the axis.
          x:
            opts.from !== undefined
              ? { time: true, range: (): uPlot.Range.MinMax => [opts.from!, opts.to ?? Date.now() / 1000] }
              : { time: true },
          y: { range: [opts.min ?? 0, opts.max ?? 100] },
        },
        legend: { show: true },
        axes: [
          { stroke: '#c9d1d9', grid: { stroke: '#30363d' } },
          { stroke: '#c9d1d9', grid: { stroke: '#30363d' } },
        ],
        series: [
          {},
          {
            label: title,
            stroke: '#58a6ff',
            width: 2,
            points: { show: points.length < 60 },
            value: (_u, v) => (v === null ? '—' : `${v.toFixed(1)}${opts.unit ?? ''}`),
          },
        ],
      },
      [xs, ys],
      box,
    );
  });
  return box;
}

// History API points: {timestamp, health_score, ...} with ISO or epoch timestamps.
export function historyPoints(body: any): Point[] {
  const list: any[] = body?.history ?? [];
  return list
    .map((p) => {
      const t = typeof p.timestamp === 'number' ? p.timestamp : Date.parse(p.timestamp) / 1000;
      return { t: t > 1e12 ? t / 1000 : t, v: p.health_score ?? null };
    })
    .filter((p) => Number.isFinite(p.t))
    .sort((a, b) => a.t - b.t);
}
