// The effects page: units from CSV, the request built from the form, POST /effects (200 with the
// estimate, or 202 + Location to poll), the estimate with its CI, balance and overlap; past
// requests kept in localStorage.
const $ = id => document.getElementById(id);
const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
const HISTORY = 'terrafield.effects.history';
let table = null, calibration = null;

/** A small CSV reader: header row, commas, double-quoted fields. */
export function parseCsv(text) {
  const rows = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const cells = [];
    let cur = '', quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',' || ch === ';' || ch === '\t') { cells.push(cur.trim()); cur = ''; } else cur += ch;
    }
    cells.push(cur.trim());
    rows.push(cells);
  }
  if (rows.length < 2) throw new Error('needs a header row and at least one unit');
  const header = rows[0];
  const units = rows.slice(1).map((r, i) => {
    if (r.length !== header.length) throw new Error(`row ${i + 2} has ${r.length} fields, the header has ${header.length}`);
    return Object.fromEntries(header.map((h, j) => [h, r[j]]));
  });
  const numeric = header.filter(h => units.every(u => u[h] === '' || u[h] === 'NA' || Number.isFinite(+u[h])));
  return { header, units, numeric };
}

function options(select, names, keep, first) {
  const old = keep ? select.value : null;
  select.innerHTML = first || '';
  for (const n of names) select.add(new Option(n, n));
  if (old && names.includes(old)) select.value = old;
}

function guess(names, patterns) {
  for (const p of patterns) { const n = names.find(x => p.test(x)); if (n) return n; }
  return names[0];
}

function loadUnits(text) {
  try {
    table = parseCsv(text);
  } catch (e) {
    table = null;
    $('csvStatus').innerHTML = `<span class="error">CSV: ${esc(e.message)}</span>`;
    return;
  }
  const num = table.numeric;
  const binary = num.filter(h => table.units.every(u => u[h] === '' || u[h] === '0' || u[h] === '1'));
  options($('treatment'), binary.length ? binary : num, true);
  options($('outcome'), num, true);
  options($('cluster'), table.header, true, '<option value="">none</option>');
  if (!binary.includes($('treatment').value)) $('treatment').value = guess(binary.length ? binary : num, [/treat/i, /^t$/i, /program/i]);
  $('outcome').value = guess(num.filter(n => n !== $('treatment').value), [/outcome/i, /^y$/i, /wealth/i]) || num[0];
  renderCovariates();
  $('csvStatus').textContent = `${table.units.length} units, ${table.header.length} columns (${num.length} numeric).`;
}

function renderCovariates() {
  if (!table) return;
  const taken = new Set([$('treatment').value, $('outcome').value, $('cluster').value]);
  const box = $('covariates');
  const checked = new Set([...box.querySelectorAll('input:checked')].map(i => i.value));
  const fresh = !box.querySelector('input');
  // Identifier-like columns (id, unit, *_id) are offered but not ticked by default.
  const idLike = h => /^(id|unit|unit_id|.*_id)$/i.test(h);
  box.innerHTML = table.numeric.filter(h => !taken.has(h)).map(h =>
    `<label><input type="checkbox" name="covariate" value="${esc(h)}" ${(fresh && !idLike(h)) || checked.has(h) ? 'checked' : ''}> ${esc(h)}</label>`).join('') || 'No other numeric column.';
}

function loadCalibration(text) {
  try {
    calibration = parseCsv(text);
    options($('calPrediction'), calibration.numeric, true);
    options($('calLabel'), calibration.numeric, true);
    $('calPrediction').value = guess(calibration.numeric, [/pred/i]);
    $('calLabel').value = guess(calibration.numeric, [/label/i, /true/i, /observed/i]);
  } catch (e) { calibration = null; }
}

/** A simulated example: confounded treatment, true effect 1.5. */
function example() {
  let seed = 7;
  const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  const normal = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
  const lines = ['unit,treated,outcome,x1,x2'];
  for (let i = 1; i <= 300; i++) {
    const x1 = normal(), x2 = rnd();
    const p = 1 / (1 + Math.exp(-(0.9 * x1 - 0.4 + x2)));
    const t = rnd() < p ? 1 : 0;
    const y = 2 + 1.5 * t + x1 + 0.5 * x2 + 0.7 * normal();
    lines.push(`${i},${t},${y.toFixed(3)},${x1.toFixed(3)},${x2.toFixed(3)}`);
  }
  return lines.join('\n');
}

function request() {
  if (!table) throw new Error('units: paste or choose a CSV first');
  const num = v => (v === '' || v === 'NA' || v == null ? null : +v);
  const cluster = $('cluster').value;
  const codes = new Map();
  const used = new Set([$('treatment').value, $('outcome').value, ...[...document.querySelectorAll('input[name=covariate]:checked')].map(i => i.value)]);
  const units = table.units.map(u => {
    const o = {};
    for (const h of used) o[h] = num(u[h]);
    if (cluster) { if (!codes.has(u[cluster])) codes.set(u[cluster], codes.size); o[cluster] = codes.get(u[cluster]); }
    return o;
  });
  const body = {
    units, treatment: $('treatment').value, outcome: $('outcome').value,
    covariates: [...document.querySelectorAll('input[name=covariate]:checked')].map(i => i.value),
    estimand: $('estimand').value, estimator: $('estimator').value, correction: $('correction').value,
  };
  if (cluster) body.cluster = cluster;
  if (body.correction !== 'none') {
    if (!calibration) throw new Error('calibration: the correction needs a calibration CSV (prediction and label per place)');
    body.calibration = {
      predictions: calibration.units.map(u => +u[$('calPrediction').value]),
      labels: calibration.units.map(u => +u[$('calLabel').value]),
    };
  }
  return body;
}

const sleep = ms => new Promise(r => setTimeout(r, ms));

async function readProblem(r) {
  const text = await r.text();
  try { const p = JSON.parse(text); return p.detail || p.title || text; } catch (e) { return text || `HTTP ${r.status}`; }
}

/** POST /effects; 200/201 with the estimate, or 202 with Location polled until it has one. */
async function submit(body) {
  const headers = { 'Content-Type': 'application/json', Accept: 'application/json' };
  const key = $('apiKey').value.trim();
  if (key) { headers['X-API-Key'] = key; localStorage.setItem('terrafield.apiKey', key); }
  const r = await fetch('/effects', { method: 'POST', headers, body: JSON.stringify(body) });
  if (r.status === 401 || r.status === 403) throw new Error(`the server needs an API key (${await readProblem(r)})`);
  if (!r.ok) throw new Error(await readProblem(r));
  let location = r.headers.get('Location');
  let result = r.status === 204 ? null : await r.json().catch(() => null);
  if (result && result.estimate != null) return { result, location };
  if (!location && result) location = result.href || (result.links || []).find(l => l.rel === 'self' || l.rel === 'monitor')?.href || (result.id ? `/effects/${result.id}` : null);
  if (!location) throw new Error(`the server answered ${r.status} without an estimate or a Location`);
  const started = Date.now();
  for (let wait = 500; Date.now() - started < 300000; wait = Math.min(5000, wait * 1.5)) {
    $('submitStatus').textContent = `Computing… (${Math.round((Date.now() - started) / 1000)} s)`;
    await sleep(wait);
    const p = await fetch(location, { headers });
    if (p.status === 202) continue;
    if (!p.ok) throw new Error(await readProblem(p));
    const b = await p.json();
    const res = b.result || b;
    if (res.estimate != null) return { result: res, location };
    if (/fail|error/i.test(b.status || '')) throw new Error(b.detail || b.error || b.status);
  }
  throw new Error(`no estimate after 5 minutes; see ${location}`);
}

const f3 = x => (x == null || !Number.isFinite(x) ? '—' : Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(3));

function ciPlot(r) {
  const W = 560, H = 70, L = 20, R = 20;
  const lo = Math.min(r.ci_low, 0), hi = Math.max(r.ci_high, 0), pad = (hi - lo) * 0.15 || 1;
  const x = v => L + (v - (lo - pad)) * (W - L - R) / (hi - lo + 2 * pad);
  return `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" class="ci-plot"><title>Estimate with its ${Math.round(100 * r.level)} % confidence interval</title>
    <line x1="${L}" x2="${W - R}" y1="40" y2="40" stroke="#999"/>
    <line x1="${x(0)}" x2="${x(0)}" y1="15" y2="55" stroke="#555" stroke-dasharray="3 3"/><text x="${x(0)}" y="12" font-size="11" text-anchor="middle">0 (no effect)</text>
    <line x1="${x(r.ci_low)}" x2="${x(r.ci_high)}" y1="40" y2="40" stroke="#0b5cad" stroke-width="5"/>
    <circle cx="${x(r.estimate)}" cy="40" r="7" fill="#08306b"/>
    <text x="${x(r.ci_low)}" y="64" font-size="11" text-anchor="middle">${f3(r.ci_low)}</text>
    <text x="${x(r.ci_high)}" y="64" font-size="11" text-anchor="middle">${f3(r.ci_high)}</text>
    <text x="${x(r.estimate)}" y="28" font-size="12" font-weight="600" text-anchor="middle">${f3(r.estimate)}</text></svg>`;
}

function balanceTable(balance) {
  if (!balance || !balance.length) return '';
  const bar = v => `<span style="display:inline-block;height:8px;width:${Math.min(100, Math.abs(v) * 200)}px;background:${Math.abs(v) > 0.1 ? '#c0392b' : '#5a9bd0'}"></span>`;
  return `<h3>Covariate balance (standardised mean difference; above 0.1 is a warning)</h3>
    <table class="plain balance"><tr><th>covariate</th><th>before weighting</th><th></th><th>after</th><th></th></tr>
    ${balance.map(b => `<tr><td>${esc(b.covariate)}</td><td>${f3(b.smd_before)}</td><td style="text-align:left">${bar(b.smd_before)}</td><td>${f3(b.smd_after)}</td><td style="text-align:left">${bar(b.smd_after)}</td></tr>`).join('')}</table>`;
}

function overlapPlot(o) {
  if (!o) return '';
  const W = 560, H = 92, L = 90, R = 20, x = p => L + p * (W - L - R);
  const hist = o.histogram || o.bins;
  let bars = '';
  if (hist && Array.isArray(hist.treated) && Array.isArray(hist.control)) {
    const n = hist.treated.length, max = Math.max(...hist.treated, ...hist.control, 1), bw = (W - L - R) / n;
    hist.treated.forEach((c, i) => { bars += `<rect x="${L + i * bw}" y="${30 - 24 * c / max}" width="${bw - 1}" height="${24 * c / max}" fill="#c0392b" opacity=".7"/>`; });
    hist.control.forEach((c, i) => { bars += `<rect x="${L + i * bw}" y="64" width="${bw - 1}" height="${24 * c / max}" fill="#0b5cad" opacity=".7"/>`; });
  } else {
    bars = `<rect x="${x(o.treated_min)}" y="14" width="${Math.max(2, x(o.treated_max) - x(o.treated_min))}" height="16" fill="#c0392b" opacity=".75"/>
      <rect x="${x(o.control_min)}" y="46" width="${Math.max(2, x(o.control_max) - x(o.control_min))}" height="16" fill="#0b5cad" opacity=".75"/>`;
  }
  return `<h3>Overlap of propensity scores</h3>
    <svg viewBox="0 0 ${W} ${H}" width="100%" role="img" class="overlap"><title>Propensity score range of treated and control units</title>
    <text x="4" y="26" font-size="12">treated</text><text x="4" y="58" font-size="12">control</text>${bars}
    ${[0, 0.25, 0.5, 0.75, 1].map(p => `<line x1="${x(p)}" x2="${x(p)}" y1="8" y2="68" stroke="#ddd"/><text x="${x(p)}" y="84" font-size="11" text-anchor="middle">${p}</text>`).join('')}
    <line x1="${x(o.trim)}" x2="${x(o.trim)}" y1="8" y2="68" stroke="#555" stroke-dasharray="3 3"/><line x1="${x(1 - o.trim)}" x2="${x(1 - o.trim)}" y1="8" y2="68" stroke="#555" stroke-dasharray="3 3"/></svg>
    <div class="small">${o.clipped_count} units clipped to [${o.trim}, ${1 - o.trim}]; ${o.outside05_count} outside [0.05, 0.95].</div>`;
}

function showResult(r, req) {
  const d = r.diagnostics || {};
  const covers = r.ci_low <= 0 && r.ci_high >= 0;
  const warnings = (d.warnings || []).map(w => `<li class="warning">${esc(w)}</li>`).join('');
  const notes = (d.notes || []).map(w => `<li>${esc(w)}</li>`).join('');
  $('result').innerHTML = `<div class="result-box">
    <h2>Effect of ${esc(req.treatment)} on ${esc(req.outcome)}</h2>
    <div class="estimate" id="estimate">${esc((r.estimand || '').toUpperCase())} = ${f3(r.estimate)} <span class="small">(SE ${f3(r.se)}; ${Math.round(100 * r.level)} % CI ${f3(r.ci_low)} to ${f3(r.ci_high)})</span></div>
    <p>${covers ? 'The interval includes 0: no clear effect.' : `The interval excludes 0: a ${r.estimate > 0 ? 'positive' : 'negative'} effect.`}
      ${esc(r.estimator)} estimator, correction ${esc(r.correction)}, ${r.n} units of which ${r.n_treated} treated.</p>
    ${ciPlot(r)}
    ${balanceTable(d.balance)}
    ${overlapPlot(d.overlap)}
    ${d.sensitivity ? `<h3>Sensitivity</h3><p class="small">${esc(d.sensitivity.summary || '')} (E-value ${f3(d.sensitivity.e_value)})</p>` : ''}
    ${warnings || notes ? `<h3>Warnings and notes</h3><ul>${warnings}${notes}</ul>` : ''}
  </div>`;
}

function history() { try { return JSON.parse(localStorage.getItem(HISTORY)) || []; } catch (e) { return []; } }
function renderHistory() {
  const h = history();
  $('history').innerHTML = h.length ? h.map((e, i) => `<li><button type="button" data-i="${i}">${esc(new Date(e.at).toLocaleString())}: ${esc(e.req.treatment)} → ${esc(e.req.outcome)}, ${esc(e.req.estimator)}, n=${e.result.n}: ${f3(e.result.estimate)} [${f3(e.result.ci_low)}, ${f3(e.result.ci_high)}]</button>${e.location ? ` <a href="${esc(e.location)}">${esc(e.location)}</a>` : ''}</li>`).join('') : '<li>None yet.</li>';
}
$('history').addEventListener('click', e => {
  const b = e.target.closest('button[data-i]');
  if (b) { const h = history()[+b.dataset.i]; showResult(h.result, h.req); }
});

$('form').addEventListener('submit', async e => {
  e.preventDefault();
  let body;
  try { body = request(); } catch (err) { $('submitStatus').innerHTML = `<span class="error">${esc(err.message)}</span>`; return; }
  $('submit').disabled = true;
  $('submitStatus').textContent = 'Computing…';
  try {
    const { result, location } = await submit(body);
    const req = { treatment: body.treatment, outcome: body.outcome, covariates: body.covariates, estimator: body.estimator, estimand: body.estimand, correction: body.correction };
    showResult(result, req);
    const { units, calibration: _c, ...rest } = body;
    const h = [{ at: Date.now(), req: { ...req, ...rest }, result, location }, ...history()].slice(0, 20);
    localStorage.setItem(HISTORY, JSON.stringify(h));
    renderHistory();
    $('submitStatus').textContent = 'Done.';
  } catch (err) {
    $('submitStatus').innerHTML = `<span class="error">Not estimated: ${esc(err.message)}</span>`;
  } finally { $('submit').disabled = false; }
});

$('file').addEventListener('change', async () => { const f = $('file').files[0]; if (f) { $('csv').value = await f.text(); loadUnits($('csv').value); } });
$('csv').addEventListener('input', () => loadUnits($('csv').value));
$('example').addEventListener('click', () => { $('csv').value = example(); loadUnits($('csv').value); });
for (const id of ['treatment', 'outcome', 'cluster']) $(id).addEventListener('change', renderCovariates);
$('correction').addEventListener('change', () => { $('calibrationBox').hidden = $('correction').value === 'none'; });
$('calibrationCsv').addEventListener('input', () => loadCalibration($('calibrationCsv').value));
$('apiKey').value = localStorage.getItem('terrafield.apiKey') || '';
renderHistory();
