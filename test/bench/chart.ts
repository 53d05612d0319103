/**
 * The growth chart of `npm run bench`: an SVG with one panel per measure
 * (export time, peak memory of the export, start to first page, memory
 * after every page served), pages on a logarithmic x axis and the measure
 * on a logarithmic y axis, so that linear growth is a straight line at 45
 * degrees whatever the constant. Plain SVG text, no dependencies.
 */

export interface Series {
  label: string;
  /** Stroke colour. */
  colour: string;
  dashed?: boolean;
  points: { pages: number; value: number }[];
}

export interface Panel {
  title: string;
  unit: string;
  series: Series[];
}

const WIDTH = 440;
const HEIGHT = 300;
const MARGIN = { left: 58, right: 16, top: 34, bottom: 44 };

function escape(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

function niceTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= min / 1.0001 && v <= max * 1.0001) ticks.push(v);
    }
  }
  return ticks.length >= 2 ? ticks : [min, max];
}

function format(v: number): string {
  if (v >= 1000) return `${v / 1000}k`;
  return v >= 1 ? String(Math.round(v * 10) / 10) : v.toPrecision(1);
}

function panel(p: Panel, x0: number, y0: number, pagesDomain: number[]): string {
  const values = p.series.flatMap((s) => s.points.map((pt) => pt.value)).filter((v) => v > 0 && Number.isFinite(v));
  if (values.length === 0) return '';
  const lo = Math.min(...values) / 1.5;
  const hi = Math.max(...values) * 1.5;
  const [pMin, pMax] = [Math.min(...pagesDomain), Math.max(...pagesDomain)];
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = (pages: number) =>
    x0 + MARGIN.left + (plotW * (Math.log(pages) - Math.log(pMin))) / (Math.log(pMax) - Math.log(pMin) || 1);
  const y = (v: number) =>
    y0 + MARGIN.top + plotH - (plotH * (Math.log(v) - Math.log(lo))) / (Math.log(hi) - Math.log(lo));
  const out: string[] = [];
  out.push(
    `<text x="${x0 + MARGIN.left}" y="${y0 + 20}" font-weight="bold">${escape(p.title)} (${escape(p.unit)})</text>`,
  );
  for (const t of niceTicks(lo, hi)) {
    out.push(
      `<line x1="${x0 + MARGIN.left}" x2="${x0 + WIDTH - MARGIN.right}" ` +
        `y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" ` +
        `stroke="#ddd"/>`,
      `<text x="${x0 + MARGIN.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${format(t)}</text>`,
    );
  }
  for (const pages of pagesDomain) {
    out.push(
      `<line x1="${x(pages).toFixed(1)}" x2="${x(pages).toFixed(1)}" y1="${y0 + MARGIN.top}" ` +
        `y2="${y0 + HEIGHT - MARGIN.bottom}" stroke="#eee"/>`,
      `<text x="${x(pages).toFixed(1)}" y="${y0 + HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">` +
        `${format(pages)}</text>`,
    );
  }
  out.push(
    `<text x="${x0 + MARGIN.left + plotW / 2}" y="${y0 + HEIGHT - 8}" text-anchor="middle">pages (log scale)</text>`,
  );
  for (const s of p.series) {
    const pts = s.points.filter((pt) => pt.value > 0 && Number.isFinite(pt.value));
    if (pts.length === 0) continue;
    const d = pts.map((pt) => `${x(pt.pages).toFixed(1)},${y(pt.value).toFixed(1)}`).join(' ');
    out.push(
      `<polyline points="${d}" fill="none" stroke="${s.colour}" stroke-width="2"` +
        `${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      ...pts.map(
        (pt) => `<circle cx="${x(pt.pages).toFixed(1)}" cy="${y(pt.value).toFixed(1)}" r="3" fill="${s.colour}"/>`,
      ),
    );
  }
  return out.join('\n');
}

/** The chart: panels two to a row, one legend for all, a caption under the title. */
export function growthChart(title: string, caption: string, panels: Panel[]): string {
  const pagesDomain = [...new Set(panels.flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => pt.pages))))].sort(
    (a, b) => a - b,
  );
  const columns = 2;
  const rows = Math.ceil(panels.length / columns);
  const legendSeries = new Map<string, Series>();
  for (const p of panels) for (const s of p.series) legendSeries.set(s.label, s);
  const legendHeight = 20 * Math.ceil(legendSeries.size / 2) + 10;
  // The caption in lines of at most 130 characters (about the chart's width), broken between words.
  const captionLines = caption.split(' ').reduce<string[]>((lines, word) => {
    const last = lines[lines.length - 1];
    if (last !== undefined && `${last} ${word}`.length <= 130) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
    return lines;
  }, []);
  const top = 36 + 16 * captionLines.length;
  const width = WIDTH * columns;
  const height = top + HEIGHT * rows + legendHeight;
  const body = panels.map((p, i) =>
    panel(p, (i % columns) * WIDTH, top + Math.floor(i / columns) * HEIGHT, pagesDomain),
  );
  const legend = [...legendSeries.values()].map((s, i) => {
    const lx = 20 + (i % 2) * (width / 2);
    const ly = top + HEIGHT * rows + 14 + Math.floor(i / 2) * 20;
    return (
      `<line x1="${lx}" x2="${lx + 28}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.colour}" stroke-width="2"` +
      `${s.dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${lx + 36}" y="${ly}">${escape(s.label)}</text>`
    );
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="20" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`,
    ...captionLines.map((line, i) => `<text x="20" y="${40 + 16 * i}" fill="#444">${escape(line)}</text>`),
    ...body,
    ...legend,
    `</svg>`,
    '',
  ].join('\n');
}
