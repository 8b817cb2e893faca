import { escapeHtml } from '../../http/escape';

/**
 * Bar charts as server-rendered SVG: no script, no library. Each chart is an image with a title and a
 * description that says its figures in words (role="img", aria-labelledby), and the page shows the same
 * figures in a table beside it. Sizes are in the viewBox, so the chart scales down to a 320 px screen.
 */
export interface Bar {
  label: string;
  value: number;
  of?: number; // drawn as a lighter bar behind: "used of funded"
}

const short = (s: string) => (s.length > 13 ? `${s.slice(0, 12)}…` : s); // the table beside the chart has the whole name
const esc = escapeHtml;

export function barChart(id: string, title: string, bars: Bar[], unit: string): string {
  const rowH = 28;
  const labelW = 100;
  const barW = 170;
  const width = labelW + barW + 56;
  const height = Math.max(1, bars.length) * rowH + 8;
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.of ?? 0)));
  const desc = bars.length ? bars.map((b) => `${b.label}: ${b.value}${b.of !== undefined ? ` of ${b.of}` : ''} ${unit}`).join('; ') + '.' : 'No figures yet.';
  const rows = bars
    .map((b, i) => {
      const y = i * rowH + 4;
      const w = Math.round((b.value / max) * barW);
      const back = b.of !== undefined ? `<rect x="${labelW}" y="${y + 4}" width="${Math.round((b.of / max) * barW)}" height="${rowH - 10}" class="chart-bar-of"/>` : '';
      return `<g>${back}<text x="${labelW - 8}" y="${y + rowH / 2 + 1}" text-anchor="end" dominant-baseline="middle" class="chart-label">${esc(short(b.label))}</text><rect x="${labelW}" y="${y + 4}" width="${w}" height="${rowH - 10}" class="chart-bar"/><text x="${labelW + Math.max(w, b.of !== undefined ? Math.round((b.of / max) * barW) : 0) + 6}" y="${y + rowH / 2 + 1}" dominant-baseline="middle" class="chart-value">${b.value}${b.of !== undefined ? ` of ${b.of}` : ''}</text></g>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" class="chart" focusable="false"><title id="${id}-title">${esc(title)}</title><desc id="${id}-desc">${esc(desc)}</desc>${rows}</svg>`;
}
