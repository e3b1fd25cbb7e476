// Charts: uPlot (from npm, embedded at build; the shell loads it as the global uPlot) for lines, small HTML bars for
// histograms and heatmaps, which stay readable as text for screen readers.
import { h, num } from './ui.js';

const palette = ['#0969da', '#cf222e', '#1a7f37', '#8250df', '#bc4c00', '#116329'];

/** A line chart over numeric x (versions, times in seconds); `series` = [{label, values}] aligned with `x`. */
export function lineChart({ title, x, series, xLabel, width = 720, height = 260, time = false, integers = false }) {
  const figure = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  const target = h('div', { role: 'img', 'aria-label': `${title}: ${series.map(s => `${s.label} ${s.values.map(v => num(v)).join(', ')}`).join('; ')}` });
  figure.append(target);
  if (typeof uPlot === 'undefined') {
    figure.append(h('p', { class: 'muted' }, 'uPlot did not load; the table shows the values.'));
    return figure;
  }
  // uPlot measures its target: draw once it is in the document.
  queueMicrotask(() => requestAnimationFrame(() => new uPlot({
    width, height,
    scales: { x: { time } },
    // Versions are whole numbers: no ticks between them.
    axes: [{ label: xLabel, incrs: integers ? [1, 2, 5, 10, 20, 50, 100, 200, 500] : undefined }, {}],
    series: [{ label: xLabel }, ...series.map((s, i) => ({ label: s.label, stroke: palette[i % palette.length], width: 2, points: { show: true, size: 6 } }))],
  }, [x, ...series.map(s => s.values)], target)));
  return figure;
}

/** A histogram's counts as bars, with the edges in the accessible name. */
export function histogram(edges, counts) {
  const max = Math.max(1, ...counts);
  const label = counts.map((c, i) => `${num(edges[i], 3)}–${num(edges[i + 1], 3)}: ${c}`).join('; ');
  return h('div', { class: 'hist', role: 'img', 'aria-label': `Histogram: ${label}`, title: label },
    counts.map(c => h('span', { style: `height:${Math.round(100 * c / max)}%` })));
}

/** Top values of a categorical column as bars. */
export function topValues(top) {
  const max = Math.max(1, ...top.map(t => t.count));
  return h('div', {}, top.slice(0, 5).map(t => h('div', {}, h('span', { class: 'meter', style: `width:${Math.max(2, Math.round(60 * t.count / max))}px` }), `${t.value} (${num(t.count)})`)));
}

/** A heat colour for score/threshold: white (0) to red (≥ 1, drifted). */
export function heat(ratio) {
  const r = Math.max(0, Math.min(1, ratio ?? 0));
  return `background:rgba(207,34,46,${(0.08 + 0.72 * r).toFixed(2)});color:${r > 0.6 ? '#fff' : 'inherit'}`;
}
