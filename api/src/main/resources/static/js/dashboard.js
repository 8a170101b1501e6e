// The live map: stations coloured by the selected agency's categories, the station panel (forecast
// fan, observations, P(exceedance), verification), alerts grouped by station, the forecast field
// layer, and one plain-language status line.
import { loadCategories, scheme, table, classify, ink, legendHtml } from './categories.js';
import { fanChart, exceedanceChart, timeLabel } from './fanchart.js';

const $ = id => document.getElementById(id);
const esc = s => String(s).replace(/[&<>"]/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]));
// Headless browsers (screenshots, Selenium) get polling instead of the never-ending alert stream.
const HEADLESS = navigator.webdriver || /Headless/.test(navigator.userAgent);

const state = {
  param: null, schemeId: localStorage.getItem('terrafield.scheme') || 'cn-hj-633',
  collections: new Map(), stations: [], markers: new Map(), observations: new Map(),
  selected: null, forecast: null, forecastFetched: 0, ready: null, readiness: '',
  progress: [], alerts: new Map(), freshAlerts: new Set(), verification: undefined,
};

// ---------- map and offline base map ----------
const map = L.map('map', { preferCanvas: false, zoomSnap: 0.5 }).setView([40.05, 116.4], 9);
map.createPane('base').style.zIndex = 200;
map.createPane('labels').style.zIndex = 450;
map.createPane('labels').style.pointerEvents = 'none';
map.attributionControl.setPrefix(false);
map.attributionControl.addAttribution('Natural Earth (public domain) · GeoNames (CC BY 4.0) · Leaflet');
L.control.scale({ imperial: false }).addTo(map);
const cells = L.layerGroup().addTo(map);
const stationLayer = L.layerGroup().addTo(map);
const majorPlaces = L.layerGroup(), minorPlaces = L.layerGroup();

async function loadBasemap() {
  const [world, region] = await Promise.all(['/basemap/world.geojson', '/basemap/region.geojson']
    .map(u => fetch(u).then(r => (r.ok ? r.json() : null)).catch(() => null)));
  if (world) L.geoJSON(world, { pane: 'base', interactive: false, style: { color: '#a3adb6', weight: 1, fillColor: '#f4f1ea', fillOpacity: 1 } }).addTo(map);
  if (!region) return;
  for (const f of region.features) {
    if (f.geometry.type !== 'Point') {
      L.geoJSON(f, { pane: 'base', interactive: false, style: { color: '#7d8a96', weight: 1.5 } }).addTo(map);
      continue;
    }
    const p = f.properties, [lon, lat] = f.geometry.coordinates;
    const major = p.capital || p.population >= 1e6;
    const label = L.marker([lat, lon], {
      pane: 'labels', interactive: false, keyboard: false,
      icon: L.divIcon({ className: '', iconSize: null, html: `<span class="place-label${major ? ' major' : ''}">${p.capital ? '★ ' : '· '}${esc(p.name)}</span>` }),
    });
    (major ? majorPlaces : minorPlaces).addLayer(label);
  }
  showPlaces();
}
function showPlaces() {
  const z = map.getZoom();
  if (z >= 4) majorPlaces.addTo(map); else majorPlaces.remove();
  if (z >= 8) minorPlaces.addTo(map); else minorPlaces.remove();
}
map.on('zoomend', showPlaces);

// ---------- categories and legend ----------
function currentTable() { return table(state.schemeId, state.param); }
function paramTitle() { const c = state.collections.get(state.param); return c ? c.title : state.param; }
function unit() { const c = state.collections.get(state.param); return (c && c.unit) || 'µg/m³'; }

function renderLegend() {
  $('legend').innerHTML = legendHtml(currentTable(), state.schemeId, paramTitle());
  $('schemeSource').textContent = scheme(state.schemeId).source;
}

// ---------- stations ----------
function icon(name, value) {
  const c = classify(currentTable(), value);
  const sel = state.selected === name ? ' selected' : '';
  return L.divIcon({
    className: '', iconSize: [22, 22], iconAnchor: [11, 11],
    html: `<div class="station-icon${sel}" data-station="${esc(name)}" data-category="${esc(c.label)}" style="background:${c.colour}"></div>`,
  });
}

function setIconIfChanged(m, name, value) {
  const key = `${classify(currentTable(), value).label}|${state.selected === name}`;
  if (m.tfKey !== key) { m.setIcon(icon(name, value)); m.tfKey = key; }
}

function remember(param, name, time, value) {
  const key = `${param}|${name}`;
  if (!state.observations.has(key)) state.observations.set(key, new Map());
  const m = state.observations.get(key), t = Date.parse(time);
  const fresh = !m.has(t);
  m.set(t, value);
  if (m.size > 400) m.delete(m.keys().next().value);
  return fresh;
}
function observationsOf(name) {
  const m = state.observations.get(`${state.param}|${name}`);
  return m ? [...m].map(([t, value]) => ({ t, value })).sort((a, b) => a.t - b.t) : [];
}

let firstFit = true;
async function refresh() {
  const param = state.param;
  let fc;
  try {
    const r = await fetch(`/collections/${param}/locations`);
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    fc = await r.json();
  } catch (e) {
    setStatus(`Cannot reach the Terrafield server (${e.message}); retrying every few seconds.`, 'error');
    return;
  }
  if (param !== state.param) return;
  state.stations = fc.features;
  let latest = 0, freshForSelected = false;
  const seen = new Set();
  for (const f of fc.features) {
    const p = f.properties, [lon, lat] = f.geometry.coordinates;
    seen.add(p.name);
    if (p.time) {
      latest = Math.max(latest, Date.parse(p.time));
      if (remember(param, p.name, p.time, p.value) && p.name === state.selected) freshForSelected = true;
    }
    const c = classify(currentTable(), p.value);
    const tip = `<b>${esc(p.name)}</b><br>${p.value == null ? '—' : p.value.toFixed(1)} ${esc(p.unit || unit())} · ${esc(c.label)}<br>${p.time ? timeLabel(Date.parse(p.time)) : ''}`;
    let m = state.markers.get(p.name);
    if (!m) {
      m = L.marker([lat, lon], { icon: icon(p.name, p.value), title: p.name, alt: p.name, keyboard: true, riseOnHover: true })
        .on('click', () => openStation(p.name)) // Leaflet also fires click on Enter
        .addTo(stationLayer);
      m.tfKey = `${c.label}|${state.selected === p.name}`;
      state.markers.set(p.name, m);
      m.bindTooltip(tip);
    } else {
      setIconIfChanged(m, p.name, p.value);
      m.setTooltipContent(tip);
    }
    m.feature = f;
  }
  for (const [name, m] of state.markers) if (!seen.has(name)) { stationLayer.removeLayer(m); state.markers.delete(name); }
  renderStationList();
  if (latest) state.progress.push([Date.now(), latest]);
  while (state.progress.length > 20) state.progress.shift();
  if (firstFit && fc.features.length) {
    firstFit = false;
    map.fitBounds(L.latLngBounds(fc.features.map(f => [f.geometry.coordinates[1], f.geometry.coordinates[0]])).pad(0.35));
    const wanted = new URLSearchParams(location.hash.slice(1)).get('station');
    if (wanted && state.markers.has(wanted)) openStation(wanted, true);
  }
  state.latest = latest;
  renderStatus();
  if (state.selected && (freshForSelected || Date.now() - state.forecastFetched > 30000)) renderStation(false);
}

function renderStationList() {
  const box = $('stations');
  const names = state.stations.map(f => f.properties).sort((a, b) => a.name.localeCompare(b.name));
  const existing = new Map([...box.querySelectorAll('button[data-station]')].map(b => [b.dataset.station, b]));
  names.forEach((p, i) => {
    let b = existing.get(p.name);
    if (!b) {
      b = document.createElement('button');
      b.type = 'button';
      b.dataset.station = p.name;
      b.innerHTML = `<span class="swatch"></span>${esc(p.name)}`;
    }
    if (box.children[i] !== b) box.insertBefore(b, box.children[i] || null);
    existing.delete(p.name);
    const c = classify(currentTable(), p.value);
    b.firstChild.style.background = c.colour;
    b.title = `${p.name}: ${c.label}`;
    b.setAttribute('aria-pressed', String(state.selected === p.name));
  });
  for (const b of existing.values()) b.remove();
}
$('stations').addEventListener('click', e => {
  const b = e.target.closest('button[data-station]');
  if (b) openStation(b.dataset.station);
});

// ---------- status line (one, plain language) ----------
function setStatus(text, kind = '') {
  const s = $('status');
  s.textContent = text;
  s.className = kind;
}

/** Data hours replayed per wall-clock second, from the last refreshes (null if unknown). */
function dataRate() {
  const p = state.progress;
  if (p.length < 3) return null;
  const [w0, d0] = p[0], [w1, d1] = p[p.length - 1];
  return w1 > w0 && d1 > d0 ? (d1 - d0) / 3600e3 / ((w1 - w0) / 1000) : null;
}

function duration(seconds) {
  if (seconds < 90) return `${Math.max(5, Math.round(seconds / 5) * 5)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

/** The server's "forecast not ready" reason in plain words, with an estimate of the wait. */
export function plainNotReady(detail, rate) {
  const d = (detail || '').replace(/^forecast not ready:\s*/i, '');
  const m = d.match(/has ([\d.]+) days of hourly history.*?([\d.]+) days are needed/i);
  if (m) {
    const have = +m[1], need = +m[2];
    const wait = rate ? ` — about ${duration((need - have) * 24 / rate)} at the current replay speed` : '';
    return `Collecting readings: forecasts start once ${need} days of hourly data are stored (${have} days so far${wait}).`;
  }
  if (/not forecast/i.test(d)) {
    const v = d.match(/variables=\[([^\]]*)\]/);
    return `No forecast for ${paramTitle()}${v ? ` (forecasts are made for: ${v[1]})` : ''}.`;
  }
  if (/disabled/i.test(d)) return 'Forecasting is switched off on this server.';
  if (/no .* observations are stored/i.test(d)) {
    return state.latest ? 'Collecting readings: forecasts start once enough hourly history is stored and a model is fitted on it.' : 'Waiting for the first readings to be stored; forecasts follow once the history is in and a model is fitted.';
  }
  if (/fit/i.test(d)) return `Training the forecast model on the stored readings (${d.replace(/\s*\([^)]*terrafield[^)]*\)/g, '')}).`;
  return `Forecasts are being prepared: ${d.replace(/\s*\([^)]*terrafield[^)]*\)/g, '')}`;
}

function renderStatus() {
  if (!state.stations.length) { setStatus('Waiting for the first readings from the stations…', 'waiting'); return; }
  const base = `${state.stations.length} stations · latest reading ${state.latest ? `${timeLabel(state.latest)} ${new Date(state.latest).getUTCFullYear()}` : '—'}`;
  const v = state.verification && state.verification.param === state.param && state.verification.body;
  const st = v && v.status;
  if (st && st.phase && st.phase !== 'serving' && st.message) {
    setStatus(`${st.message} (${base})`, st.phase === 'failed' ? 'error' : 'waiting');
    return;
  }
  if (state.ready === true) setStatus(`${base} · forecast from ${state.issued ? timeLabel(state.issued) : ''}`.trim());
  else if (state.ready === false) setStatus(`${plainNotReady(state.readiness, dataRate())} (${base})`, 'waiting');
  else setStatus(`${base} · checking the forecast…`);
}

async function probeForecast() {
  const f = state.stations[0];
  if (!f) return;
  const [lon, lat] = f.geometry.coordinates;
  try {
    const r = await fetch(`/collections/${state.param}/position?coords=POINT(${lon} ${lat})`);
    const c = await r.json().catch(() => ({}));
    if (r.ok) { state.ready = true; state.issued = Date.parse(c['terrafield:issueTime']) || null; }
    else { state.ready = false; state.readiness = c.detail || `HTTP ${r.status}`; }
  } catch (e) { state.ready = false; state.readiness = e.message; }
  renderStatus();
}

// ---------- station panel ----------
function openStation(name, fromLink = false) {
  const prev = state.selected;
  state.selected = name;
  state.forecast = null;
  history.replaceState(null, '', `#station=${encodeURIComponent(name)}`);
  for (const n of [prev, name]) {
    const m = n && state.markers.get(n);
    if (m && m.feature) setIconIfChanged(m, n, m.feature.properties.value);
  }
  renderStationList();
  renderStation(true);
  if (!fromLink && matchMedia('(max-width: 700px)').matches) $('station').scrollIntoView({ block: 'start' });
}

async function renderStation(loadingMessage) {
  const name = state.selected, param = state.param, box = $('station');
  const m = state.markers.get(name);
  if (!m) return;
  const f = m.feature, p = f.properties, [lon, lat] = f.geometry.coordinates;
  const t = currentTable(), cat = classify(t, p.value);
  const now = `<div id="stationNow">Now: <b>${p.value == null ? '—' : p.value.toFixed(0)} ${esc(unit())}</b>
    <span class="cat-chip" style="background:${cat.colour};color:${ink(cat.colour)}">${esc(cat.label)}</span>
    <span class="small">${p.time ? timeLabel(Date.parse(p.time)) : ''}</span></div>`;
  const head = `<div class="header"><h2 id="stationName">${esc(name)}</h2><button type="button" id="closeStation" aria-label="Close the station panel">✕</button></div>${now}`;
  if (loadingMessage || box.dataset.station !== name) {
    box.dataset.station = name;
    box.innerHTML = `${head}<div id="stationBody"><p class="small">Loading the forecast…</p></div>`;
    $('closeStation').onclick = closeStation;
  }
  if (!state.forecast || Date.now() - state.forecastFetched > 30000 || state.forecast.param !== param) {
    state.forecastFetched = Date.now();
    try {
      const r = await fetch(`/collections/${param}/position?coords=POINT(${lon} ${lat})`);
      const c = await r.json().catch(() => ({}));
      state.forecast = r.ok ? { param, c } : { param, error: c.detail || `HTTP ${r.status}` };
      if (r.ok) { state.ready = true; state.issued = Date.parse(c['terrafield:issueTime']) || state.issued; }
      else if (r.status === 503) { state.ready = false; state.readiness = c.detail || ''; }
      renderStatus();
    } catch (e) { state.forecast = { param, error: e.message }; }
    loadVerification();
    if (state.forecast.c) await loadHistory(param, name, state.forecast.c);
  }
  if (state.selected !== name || box.dataset.station !== name) return;
  const obs = observationsOf(name);
  const fc = state.forecast;
  let body;
  if (!fc || fc.error) {
    const why = state.ready === false ? 'The forecast appears here once it is ready (see the status line above).' : `No forecast: ${esc(fc ? fc.error : '')}`;
    body = `<p class="small">${why}</p><p class="small">${obs.length} readings of this station seen since the page was opened.</p>`;
  } else {
    body = forecastHtml(fc.c, param, obs, t);
  }
  // Only the reading and the charts are replaced: the heading and the close button keep focus.
  $('stationNow').outerHTML = now;
  $('stationBody').innerHTML = body + verificationHtml(name);
}

function closeStation() {
  const n = state.selected, box = $('station');
  state.selected = null;
  delete box.dataset.station;
  box.innerHTML = '<p class="small">Click a station for its 72-hour forecast.</p>';
  const mm = state.markers.get(n);
  if (mm) setIconIfChanged(mm, n, mm.feature.properties.value);
  renderStationList();
  history.replaceState(null, '', '#');
}

function forecastHtml(c, param, obs, t) {
  const v = k => (c.ranges[`${param}_${k}`] || { values: [] }).values;
  const times = c.domain.axes.t.values.map(Date.parse);
  const s = { t: times, q025: v('q025'), q05: v('q05'), q25: v('q25').length ? v('q25') : null, q50: v('q50'), q75: v('q75').length ? v('q75') : null, q95: v('q95'), q975: v('q975') };
  const thr = c['terrafield:threshold'];
  const u = ((c.parameters[`${param}_q50`] || {}).unit || {}).symbol || unit();
  const width = Math.max(320, Math.min(560, $('panel').clientWidth - 30));
  const pe = v('p_exceed');
  const peak = pe.reduce((b, x, i) => (x > pe[b] ? i : b), 0);
  const source = c['terrafield:source'] === 'station' ? 'station forecast' : `field forecast at this point (${c['terrafield:distanceKm'] ?? '?'} km from a station)`;
  return `<div class="chart-note">${esc(paramTitle())} forecast from ${timeLabel(Date.parse(c['terrafield:issueTime'] || c.domain.axes.t.values[0]))}, ${esc(source)}</div>
    ${fanChart(s, { threshold: thr, unit: u, observations: obs, cats: t, width, height: Math.round(width * 0.62) })}
    <div class="chart-note">Line: median · bands: 50 %, 90 % and 95 % intervals · dots: observed · dashed: threshold ${thr} ${esc(u)} · right edge: ${t ? esc(scheme(state.schemeId).title) : ''} categories</div>
    <h3 style="font-size:14px;margin:8px 0 0">Chance of more than ${thr} ${esc(u)}, by hour</h3>
    ${exceedanceChart(times, pe, { width, height: 96 })}
    <div class="chart-note">Highest: ${(100 * (pe[peak] || 0)).toFixed(0)} % at ${timeLabel(times[peak])}.</div>
    <div class="small">${calibration(c)}</div>`;
}

function calibration(c) {
  const f = c['terrafield:intervalFactors'] || {};
  const keys = Object.keys(f);
  if (!keys.length) return '';
  return `Interval widths scaled by the rolling calibration: ${keys.map(k => `×${(+f[k]).toFixed(2)} at ${esc(k)}`).join(', ')}.`;
}

// Past observations of a station over the forecast's window, when the server offers an EDR
// location query (GET /collections/{id}/locations/{station}?datetime=a/b, CoverageJSON or GeoJSON);
// without it the page shows the readings it has polled since it was opened.
let historyMissing = false;
async function loadHistory(param, name, c) {
  if (historyMissing) return;
  const t = c.domain.axes.t.values;
  const from = new Date(Date.parse(t[0]) - 24 * 3600e3).toISOString(), to = t[t.length - 1];
  try {
    const r = await fetch(`/collections/${param}/locations/${encodeURIComponent(name)}?datetime=${from}/${to}`);
    if (!r.ok) { historyMissing = r.status === 404 || r.status === 405; return; }
    const b = await r.json();
    if (b.type === 'Coverage' && b.ranges) {
      const times = b.domain.axes.t.values, range = b.ranges[param] || Object.values(b.ranges)[0];
      times.forEach((tt, i) => { const v = range.values[i]; if (v != null) remember(param, name, tt, v); });
    } else if (Array.isArray(b.features)) {
      for (const f of b.features) if (f.properties && f.properties.time && f.properties.value != null) remember(param, name, f.properties.time, f.properties.value);
    }
  } catch (e) { historyMissing = true; }
}

// ---------- verification (GET /collections/{id}/verification, when the server has it) ----------
async function loadVerification() {
  const param = state.param;
  try {
    const r = await fetch(`/collections/${param}/verification`);
    state.verification = r.ok ? { param, body: await r.json() } : null;
  } catch (e) { state.verification = null; }
}

function rowsOf(body, station) {
  // Accept {stations:{NAME:…}}, {by_station:{NAME:…}}, [{station:NAME,…}], or overall bands.
  for (const k of ['stations', 'by_station', 'byStation']) {
    if (body[k] && !Array.isArray(body[k]) && body[k][station]) return { scope: station, data: body[k][station] };
    if (Array.isArray(body[k])) { const rows = body[k].filter(r => r.station === station); if (rows.length) return { scope: station, data: rows }; }
  }
  if (Array.isArray(body)) { const rows = body.filter(r => r.station === station); return { scope: rows.length ? station : 'all stations', data: rows.length ? rows : body }; }
  return { scope: 'all stations', data: body.bands || body.by_horizon || body.byHorizon || body };
}

function tableHtml(data) {
  const rows = Array.isArray(data) ? data.map(r => [r.band ?? r.horizon ?? r.name ?? '', r]) : Object.entries(data).filter(([, r]) => r && typeof r === 'object');
  if (!rows.length) return '';
  const cols = [...new Set(rows.flatMap(([, r]) => Object.keys(r).filter(k => typeof r[k] === 'number')))].slice(0, 7);
  const f = x => (typeof x === 'number' ? (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(Math.abs(x) < 1 ? 3 : 1)) : '');
  return `<table class="plain"><tr><th>horizon</th>${cols.map(c => `<th>${esc(c)}</th>`).join('')}</tr>${rows.map(([k, r]) => `<tr><td>${esc(k)}</td>${cols.map(c => `<td>${f(r[c])}</td>`).join('')}</tr>`).join('')}</table>`;
}

function servedBandsHtml(bands) {
  const pc = x => (x == null ? '—' : `${Math.round(100 * x)} %`), n1 = x => (x == null ? '—' : x.toFixed(1));
  const rows = bands.filter(b => b.n > 0 && b.served).map(b => {
    const better = b.persistence && b.served.crps < b.persistence.crps;
    return `<tr><td>${esc(b.label)}</td><td>${b.n}</td><td>${n1(b.served.crps)} <span class="small">(${n1(b.persistence && b.persistence.crps)})</span>${better ? ' ✓' : ''}</td><td>${n1(b.served.mae)}</td><td>${pc(b.served.picp90)}</td><td>${pc(b.served.picp95)}</td></tr>`;
  });
  if (!rows.length) return '<p class="small">No served forecast has been verified yet.</p>';
  return `<table class="plain verification"><tr><th>lead</th><th>n</th><th>CRPS (persistence)</th><th>MAE</th><th>in 90 %</th><th>in 95 %</th></tr>${rows.join('')}</table>
    <div class="small">Scores of the forecasts served so far at all stations, against the observations that arrived later (${esc(unit())}; lower CRPS is better, ✓ = better than persistence; the 90 %/95 % intervals should contain about 90 %/95 %).</div>`;
}

function verificationHtml(station) {
  const v = state.verification;
  if (!v || v.param !== state.param || !v.body) return '';
  if (Array.isArray(v.body.bands) && v.body.bands.some(b => 'served' in b)) {
    return `<h3 style="font-size:14px;margin:10px 0 2px">How past forecasts did</h3>${servedBandsHtml(v.body.bands)}`;
  }
  const { scope, data } = rowsOf(v.body, station);
  const t = tableHtml(data);
  return t ? `<h3 style="font-size:14px;margin:10px 0 2px">How past forecasts did (${esc(scope)})</h3>${t}` : '';
}

// ---------- forecast field layer ----------
function domainBbox() {
  const v = state.verification && state.verification.param === state.param && state.verification.body;
  if (v && v.domain && Array.isArray(v.domain.bbox)) return v.domain.bbox;
  const c = state.collections.get(state.param);
  const b = c && c.extent && c.extent.spatial && c.extent.spatial.bbox && c.extent.spatial.bbox[0];
  return Array.isArray(b) && b.length >= 4 ? b : null;
}

let fieldTimes = null, fieldBusy = 0;
async function showField() {
  const on = $('field').checked, hour = +$('hour').value, status = $('fieldStatus'), param = state.param;
  $('hour').disabled = !on;
  const ticket = ++fieldBusy;
  if (!on) { cells.clearLayers(); status.textContent = ''; return; }
  const b = map.getBounds(), d = domainBbox();
  let box = [Math.max(-180, b.getWest()), Math.max(-90, b.getSouth()), Math.min(180, b.getEast()), Math.min(90, b.getNorth())];
  if (d) box = [Math.max(box[0], d[0]), Math.max(box[1], d[1]), Math.min(box[2], d[2]), Math.min(box[3], d[3])];
  if (box[0] >= box[2] || box[1] >= box[3]) { cells.clearLayers(); status.textContent = 'The visible map is outside the forecast domain.'; return; }
  const bbox = box.map(v => v.toFixed(4)).join(',');
  status.textContent = 'Loading the forecast field…';
  try {
    if (!fieldTimes || fieldTimes.param !== param || Date.now() - fieldTimes.at > 60000) {
      const r = await fetch(`/collections/${param}/cube?bbox=${bbox}&resolution-x=1&resolution-y=1`);
      const tc = await r.json();
      if (!r.ok) { status.textContent = state.ready === false ? 'The field appears once forecasts are ready (see the status line).' : (tc.detail || r.status); cells.clearLayers(); return; }
      fieldTimes = { param, at: Date.now(), t: tc.domain.axes.t.values, issue: tc['terrafield:issueTime'] };
    }
    // Ask the issue whose hours were listed (its EDR instance): a newer issue stored meanwhile
    // starts later and would not cover the chosen hour.
    const t = fieldTimes.t[Math.min(hour, fieldTimes.t.length) - 1];
    const path = fieldTimes.issue ? `instances/${encodeURIComponent(fieldTimes.issue)}/cube` : 'cube';
    const r = await fetch(`/collections/${param}/${path}?bbox=${bbox}&resolution-x=24&resolution-y=18&datetime=${t}`);
    const c = await r.json();
    if (ticket !== fieldBusy) return;
    if (!r.ok) { status.textContent = c.detail || r.status; return; }
    cells.clearLayers();
    const xs = c.domain.axes.x.values, ys = c.domain.axes.y.values;
    const dx = (xs[1] - xs[0]) / 2 || 0.01, dy = (ys[1] - ys[0]) / 2 || 0.01, v = k => c.ranges[`${param}_${k}`].values;
    const q05 = v('q05'), q50 = v('q50'), q95 = v('q95'), pe = v('p_exceed'), tb = currentTable();
    let shown = 0;
    ys.forEach((y, j) => xs.forEach((x, i) => {
      const k = j * xs.length + i;
      if (q50[k] == null || !Number.isFinite(q50[k])) return;
      shown++;
      const cat = classify(tb, q50[k]);
      L.rectangle([[y - dy, x - dx], [y + dy, x + dx]], { stroke: false, fillColor: cat.colour, fillOpacity: 0.35, className: 'field-cell' })
        .bindTooltip(`${timeLabel(Date.parse(t))}: median ${q50[k].toFixed(0)} ${esc(unit())} (${esc(cat.label)}), 90 % ${q05[k].toFixed(0)}–${q95[k].toFixed(0)}, P(> ${c['terrafield:threshold']}) ${(pe[k] ?? 0).toFixed(2)}`)
        .addTo(cells);
    }));
    status.textContent = `+${hour} h: ${timeLabel(Date.parse(t))} · ${shown} cells inside the forecast domain (field only, no station update)`;
  } catch (e) { status.textContent = `Field not available: ${e.message}`; }
}
$('field').addEventListener('change', showField);
$('hour').addEventListener('input', () => { $('fieldStatus').textContent = `+${$('hour').value} h`; });
$('hour').addEventListener('change', showField);
map.on('moveend', () => { if ($('field').checked) showField(); });

// ---------- alerts grouped by station ----------
function addAlert(a, fresh) {
  if (!a || !a.station) return;
  const id = a.id || `${a.station}|${a.issue_time}|${a.valid_time}`;
  if (!state.alerts.has(id)) state.alerts.set(id, { ...a, id });
  if (fresh) state.freshAlerts.add(id);
}

let alertsShown = '';
function renderAlerts() {
  const signature = `${state.param}|${state.schemeId}|${state.alerts.size}|${state.freshAlerts.size}`;
  if (signature === alertsShown) return;
  alertsShown = signature;
  const groups = new Map();
  for (const a of state.alerts.values()) {
    if (a.variable && a.variable !== state.param) continue;
    if (!groups.has(a.station)) groups.set(a.station, []);
    groups.get(a.station).push(a);
  }
  const when = a => Date.parse(a.issue_time || a.time) || 0;
  const isCell = a => a.target_kind === 'cell' || /^cell_/.test(a.station || '');
  // stations first (what an agency acts on), then grid cells; newest first within each
  const list = [...groups].map(([s, as]) => [s, as.sort((x, y) => when(y) - when(x))])
    .sort((x, y) => (isCell(x[1][0]) - isCell(y[1][0])) || (when(y[1][0]) - when(x[1][0])));
  const ul = $('alerts');
  if (!list.length) { ul.innerHTML = '<li class="small">No exceedance alerts in the last 24 hours.</li>'; return; }
  const tb = currentTable();
  ul.innerHTML = list.map(([station, as]) => {
    const a = as[0], cat = classify(tb, a.median);
    const start = Date.parse(a.valid_time);
    const state_ = a.state || a.status || a.episode || '';
    const pct = x => (100 * x).toFixed(0);
    const items = as.slice(0, 6).map(x => `<li class="${state.freshAlerts.has(x.id) ? 'new' : ''}">issued ${timeLabel(Date.parse(x.issue_time || x.time))}: ${pct(x.probability)} % chance above ${x.threshold} at ${timeLabel(Date.parse(x.valid_time))}</li>`).join('');
    const cell = isCell(a);
    const name = cell && a.lon != null && a.lat != null
      ? `grid cell ${Number(a.lon).toFixed(2)}° E, ${Number(a.lat).toFixed(2)}° N` : station;
    const title = cell ? `<span>${esc(name)}</span>`
      : `<button type="button" class="station-link" data-station="${esc(station)}">${esc(station)}</button>`;
    const lead = a.horizon_h != null ? ` (lead ${a.horizon_h} h)` : '';
    const peakNote = a.peak_probability != null && a.peak_probability > a.probability ? `; episode peak ${pct(a.peak_probability)} %` : '';
    return `<li class="${as.some(x => state.freshAlerts.has(x.id)) ? 'new' : ''}">${title}
      <span class="cat-chip" style="background:${cat.colour};color:${ink(cat.colour)}">${esc(cat.label)}</span> ${state_ ? `<span class="small">${esc(state_)}</span>` : ''}
      <div class="small">P(${esc(a.variable || '')} &gt; ${a.threshold} ${esc(a.unit || '')}) ${pct(a.probability)} % at ${timeLabel(start)}${lead}${peakNote}; median there ${a.median != null ? a.median.toFixed(0) : '—'}${a.q95 != null ? `, 95 % quantile ${a.q95.toFixed(0)}` : ''}</div>
      ${as.length > 1 ? `<details><summary class="small">${as.length} alerts for this station</summary><ol>${items}</ol></details>` : ''}</li>`;
  }).join('');
}
$('alerts').addEventListener('click', e => { const b = e.target.closest('button[data-station]'); if (b) openStation(b.dataset.station); });

async function pollAlerts() {
  try {
    const r = await fetch('/alerts?limit=200');
    if (!r.ok) return;
    const fc = await r.json();
    const before = state.alerts.size;
    for (const f of fc.features) addAlert(f.properties, before > 0 && !state.alerts.has(f.properties.id));
    renderAlerts();
  } catch (e) { /* the status line reports connectivity */ }
}

function startAlertStream() {
  // Started after load and idle, never in headless browsers: an open stream would keep a
  // headless screenshot (virtual time) from finishing.
  if (HEADLESS || !window.EventSource) { setInterval(pollAlerts, 15000); return; }
  const es = new EventSource('/alerts/stream');
  es.addEventListener('alert', e => {
    try { const ce = JSON.parse(e.data); addAlert({ ...ce.data, station: ce.data.station ?? ce.data.target, id: ce.id, issue_time: ce.data.issue_time ?? ce.time }, true); renderAlerts(); } catch (err) { /* ignore a bad event */ }
  });
  document.addEventListener('visibilitychange', () => { if (document.hidden) es.close(); else if (es.readyState === 2) startAlertStream(); }, { once: true });
}

// A link to #station=NAME opens that station without reloading the page.
addEventListener('hashchange', () => {
  const wanted = new URLSearchParams(location.hash.slice(1)).get('station');
  if (wanted && wanted !== state.selected && state.markers.has(wanted)) openStation(wanted, true);
});

// ---------- start ----------
async function start() {
  loadBasemap();
  const sch = $('scheme');
  for (const s of (await loadSchemes())) sch.add(new Option(s.title, s.id));
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.get('scheme')) state.schemeId = hash.get('scheme');
  sch.value = scheme(state.schemeId).id;
  state.schemeId = sch.value;
  const cols = await fetch('/collections').then(r => r.json());
  const sel = $('parameter');
  for (const col of cols.collections) {
    const unitSymbol = (Object.values(col.parameter_names || {})[0] || {}).unit;
    state.collections.set(col.id, { title: col.title, extent: col.extent, unit: (unitSymbol && unitSymbol.symbol) || 'µg/m³' });
    sel.add(new Option(col.title, col.id));
  }
  state.param = sel.value;
  sel.onchange = () => { state.param = sel.value; state.ready = null; state.forecast = null; fieldTimes = null; renderLegend(); refresh().then(probeForecast); renderAlerts(); if ($('field').checked) showField(); if (state.selected) renderStation(true); };
  sch.onchange = () => { state.schemeId = sch.value; localStorage.setItem('terrafield.scheme', sch.value); renderLegend(); refresh(); renderAlerts(); if ($('field').checked) showField(); };
  renderLegend();
  await refresh();
  probeForecast();
  setInterval(refresh, 3000);
  setInterval(() => { if (state.ready !== true || !state.selected) probeForecast(); }, 10000);
  setInterval(() => loadVerification().then(renderStatus), 10000);
  loadVerification().then(renderStatus);
  await pollAlerts();
  const later = () => setTimeout(startAlertStream, 1000);
  if (document.readyState === 'complete') later(); else addEventListener('load', later);
}
async function loadSchemes() {
  try { return await loadCategories(); } catch (e) { setStatus(`Categories not available: ${e.message}`, 'error'); return []; }
}

start();
