// Air-quality categories as served by GET /dashboard/categories (the forecasting module's
// io.terrafield.forecasting.categories tables): one scheme per agency, one table per pollutant.

let schemes = [];

export async function loadCategories() {
  const r = await fetch('/dashboard/categories');
  if (!r.ok) throw new Error(`categories: HTTP ${r.status}`);
  schemes = (await r.json()).schemes;
  return schemes;
}

export function scheme(id) {
  return schemes.find(s => s.id === id) || schemes[0];
}

/** The table of a scheme for a pollutant, or null when the scheme has none (e.g. EEA for CO). */
export function table(schemeId, pollutant) {
  const s = scheme(schemeId);
  return (s && s.pollutants[pollutant]) || null;
}

/** The category {label, colour, index} of a value in µg/m³, or a grey "no category". */
export function classify(t, value) {
  if (!t || value == null || !Number.isFinite(value)) return { label: 'no category', colour: '#bbbbbb', index: -1 };
  const cats = t.categories;
  for (let i = 0; i < cats.length; i++) {
    if (cats[i].upper == null || value <= cats[i].upper) return { ...cats[i], index: i };
  }
  return { ...cats[cats.length - 1], index: cats.length - 1 };
}

/** Black or white text for a background colour. */
export function ink(hex) {
  const n = parseInt(hex.slice(1), 16), r = n >> 16, g = (n >> 8) & 255, b = n & 255;
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? '#000' : '#fff';
}

function fmt(v) { return v >= 100 ? Math.round(v) : Math.round(v * 10) / 10; }

/** The legend HTML of a table: title, unit, one row per category with its range. */
export function legendHtml(t, schemeId, pollutantTitle) {
  const s = scheme(schemeId);
  if (!t) return `<div class="title">${s.title}</div><div class="small">${s.title} has no categories for ${pollutantTitle}; stations are grey.</div>`;
  let lower = 0;
  const rows = t.categories.map(c => {
    const range = c.upper == null ? `> ${fmt(lower)}` : `${fmt(lower)}–${fmt(c.upper)}`;
    lower = c.upper;
    return `<li><span class="swatch" style="background:${c.colour}"></span>${c.label} <span class="small">${range}</span></li>`;
  }).join('');
  const published = t.publishedUnit !== t.unit ? ` (published in ${t.publishedUnit}, converted at 25 °C)` : '';
  return `<div class="title">${t.title}</div><div class="small">${pollutantTitle} in ${t.unit}${published}</div>
    <ul>${rows}</ul>${t.note ? `<div class="small">${t.note}</div>` : ''}`;
}
