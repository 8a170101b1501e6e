// SVG charts of the station panel: the forecast fan (median, 50/90/95 % bands, threshold,
// observations) and P(exceedance) by hour. Times are shown in UTC with dates on the axis.

const NS = 'http://www.w3.org/2000/svg';
const DAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MON = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function dateLabel(ms) {
  const d = new Date(ms);
  return `${DAY[d.getUTCDay()]} ${d.getUTCDate()} ${MON[d.getUTCMonth()]}`;
}

export function timeLabel(ms) {
  const d = new Date(ms);
  return `${dateLabel(ms)} ${String(d.getUTCHours()).padStart(2, '0')}:00 UTC`;
}

/** A "nice" step (1, 2, 2.5 or 5 × 10^k) for about n ticks up to top. */
export function niceStep(top, n = 5) {
  const raw = top / n, p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (raw <= m * p) return m * p;
  return 10 * p;
}

/** The p-quantile (0..1) of the finite values. */
function pct(values, p) {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  return v.length ? v[Math.floor(p * (v.length - 1))] : 0;
}

/**
 * The y-axis top: the plotted bands decide, not an outlier. It covers the median, the threshold
 * and the observations ("core") and the 90 % band's upper edge in 9 of 10 hours, but never more
 * than 3 × core: hours whose bands reach higher are clipped, and the chart says so.
 */
export function yTop(s, threshold, observations) {
  const core = Math.max(...s.q50.filter(Number.isFinite), threshold || 0, ...observations.map(o => o.value), 1);
  const top = Math.min(Math.max(pct(s.q95, 0.9), core), 3 * core) * 1.08;
  const step = niceStep(top);
  return Math.ceil(top / step) * step;
}

/**
 * The fan chart as an SVG string.
 * s: {t: [ms], q025, q05, q25, q50, q75, q95, q975: [number]}; obs: [{t: ms, value}]
 * cats: category table (bands drawn as a strip on the right), threshold, unit.
 */
export function fanChart(s, { threshold, unit, observations = [], cats = null, width = 392, height = 250 }) {
  const L = 46, R = 14, T = 10, B = 42;
  const n = s.t.length, t0 = s.t[0], t1 = s.t[n - 1];
  const span = Math.max(1, t1 - t0);
  const top = yTop(s, threshold, observations.filter(o => o.t >= t0 - 3600e3 && o.t <= t1));
  const x = ms => L + (ms - t0) * (width - L - R) / span;
  const y = v => Math.max(T, height - B - Math.min(v, top) * (height - B - T) / top);
  const pts = k => s[k].map((v, i) => `${x(s.t[i]).toFixed(1)},${y(v).toFixed(1)}`);
  const band = (lo, hi, fill, label) =>
    `<polygon fill="${fill}" aria-label="${label}" points="${pts(hi).concat(pts(lo).reverse()).join(' ')}"/>`;
  const out = [];
  out.push(`<svg xmlns="${NS}" viewBox="0 0 ${width} ${height}" role="img" class="fan" data-top="${top}" data-median-max="${Math.max(...s.q50.filter(Number.isFinite))}" data-q95-max="${Math.max(...s.q95.filter(Number.isFinite))}" data-threshold="${threshold}" data-first="${new Date(t0).toISOString()}" data-last="${new Date(t1).toISOString()}">`);
  out.push(`<title>Forecast fan: median and 50, 90 and 95 % intervals, ${unit}</title>`);
  // Category strip on the right edge of the plot.
  if (cats) {
    let lower = 0;
    for (const c of cats.categories) {
      const hi = c.upper == null ? top : Math.min(c.upper, top);
      if (hi > lower) out.push(`<rect x="${width - R}" width="6" y="${y(hi)}" height="${y(lower) - y(hi)}" fill="${c.colour}"><title>${c.label}</title></rect>`);
      lower = c.upper == null ? top : c.upper;
      if (lower >= top) break;
    }
  }
  // Horizontal grid and y labels.
  const step = niceStep(top);
  for (let v = 0; v <= top + 1e-9; v += step) {
    out.push(`<line x1="${L}" x2="${width - R}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e7eb"/>`);
    out.push(`<text x="${L - 4}" y="${y(v) + 4}" font-size="11" text-anchor="end" class="ytick">${+v.toFixed(2)}</text>`);
  }
  out.push(`<text x="12" y="${(height - B + T) / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${(height - B + T) / 2})">${unit}</text>`);
  // Day boundaries (00 UTC) as lines, 12 UTC as faint lines, each date centred under its day.
  for (let ms = Math.ceil(t0 / 43200e3) * 43200e3; ms <= t1; ms += 43200e3) {
    const midnight = new Date(ms).getUTCHours() === 0;
    out.push(`<line x1="${x(ms)}" x2="${x(ms)}" y1="${T}" y2="${height - B + (midnight ? 6 : 0)}" stroke="${midnight ? '#b8c0c8' : '#eceff2'}"/>`);
  }
  out.push(dayLabels(t0, t1, x, height - B + 16, 'xtick'));
  out.push(`<text x="${(L + width - R) / 2}" y="${height - 6}" font-size="11" text-anchor="middle" fill="#56606b">time (UTC) — next ${Math.round(span / 3600e3) + 1} h</text>`);
  out.push(band('q025', 'q975', '#d6e6f5', '95 % interval'));
  out.push(band('q05', 'q95', '#9ecae1', '90 % interval'));
  if (s.q25 && s.q75) out.push(band('q25', 'q75', '#5a9bd0', '50 % interval'));
  out.push(`<polyline fill="none" stroke="#08306b" stroke-width="2" points="${pts('q50').join(' ')}"/>`);
  const clipped95 = s.q975.filter(v => v > top).length, clipped90 = s.q95.filter(v => v > top).length;
  if (clipped95) out.push(`<text x="${width - R - 4}" y="${T + 11}" font-size="10.5" text-anchor="end" fill="#333" class="clipnote">${clipped90 ? `90 % band above ${top} in ${clipped90} h` : `95 % band above ${top} in ${clipped95} h`} (clipped)</text>`);
  if (threshold != null) {
    out.push(`<line x1="${L}" x2="${width - R}" y1="${y(threshold)}" y2="${y(threshold)}" stroke="#c00" stroke-width="1.5" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${L + 4}" y="${y(threshold) - 4}" font-size="11" fill="#c00">threshold ${threshold}</text>`);
  }
  for (const o of observations) {
    if (o.t < t0 - 3600e3 || o.t > t1) continue;
    out.push(`<circle class="obs" cx="${x(o.t)}" cy="${y(o.value)}" r="3.5" fill="#111" stroke="#fff"><title>${timeLabel(o.t)}: observed ${o.value} ${unit}</title></circle>`);
  }
  out.push(`<line x1="${L}" x2="${L}" y1="${T}" y2="${height - B}" stroke="#333"/><line x1="${L}" x2="${width - R}" y1="${height - B}" y2="${height - B}" stroke="#333"/>`);
  out.push('</svg>');
  return out.join('');
}

/** One date label per day, centred on the part of the day inside [t0, t1] when it fits. */
function dayLabels(t0, t1, x, yy, cls) {
  const out = [];
  for (let day = Math.floor(t0 / 86400e3) * 86400e3; day <= t1; day += 86400e3) {
    const a = Math.max(day, t0), b = Math.min(day + 86400e3, t1);
    if (x(b) - x(a) < 58) continue;
    out.push(`<text x="${(x(a) + x(b)) / 2}" y="${yy}" font-size="11" text-anchor="middle" class="${cls}">${dateLabel(day)}</text>`);
  }
  return out.join('');
}

/** P(value > threshold) by hour as bars, the alert probability dashed. */
export function exceedanceChart(t, p, { minProbability = 0.5, width = 392, height = 92 }) {
  const L = 46, R = 14, T = 8, B = 22, n = t.length;
  const bw = (width - L - R) / n;
  const y = v => height - B - v * (height - B - T);
  const out = [`<svg xmlns="${NS}" viewBox="0 0 ${width} ${height}" role="img" class="pexceed"><title>Probability of exceeding the threshold, by hour</title>`];
  for (const v of [0, 0.5, 1]) {
    out.push(`<line x1="${L}" x2="${width - R}" y1="${y(v)}" y2="${y(v)}" stroke="#e3e7eb"/><text x="${L - 4}" y="${y(v) + 4}" font-size="11" text-anchor="end">${v}</text>`);
  }
  p.forEach((v, i) => {
    if (!Number.isFinite(v)) return;
    out.push(`<rect x="${L + i * bw}" y="${y(v)}" width="${Math.max(1, bw - 0.5)}" height="${y(0) - y(v)}" fill="${v >= minProbability ? '#c0392b' : '#e8a09a'}"><title>${timeLabel(t[i])}: ${(100 * v).toFixed(0)} %</title></rect>`);
  });
  out.push(`<line x1="${L}" x2="${width - R}" y1="${y(minProbability)}" y2="${y(minProbability)}" stroke="#333" stroke-dasharray="3 3"/>`);
  const xt = ms => L + (ms - t[0]) / 3600e3 * bw;
  for (let ms = Math.ceil(t[0] / 86400e3) * 86400e3; ms <= t[n - 1]; ms += 86400e3) {
    out.push(`<line x1="${xt(ms)}" x2="${xt(ms)}" y1="${T}" y2="${height - B + 4}" stroke="#b8c0c8"/>`);
  }
  out.push(dayLabels(t[0], t[n - 1] + 3600e3, xt, height - 6, 'ptick'));
  out.push(`<text x="10" y="${(height - B) / 2 + 4}" font-size="11">P</text></svg>`);
  return out.join('');
}
