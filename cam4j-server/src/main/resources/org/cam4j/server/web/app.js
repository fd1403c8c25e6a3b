'use strict';
// cam4j page: plain JavaScript, no build step. Talks to the JSON API described at /openapi.json.
// The server sends each map once (colormap indices, see colormaps.js); colormap, opacity and
// view are applied here on canvases, so changing them sends no request.

const $ = (id) => document.getElementById(id);
const AUTO_RUN_DELAY_MS = 250; // arrowing through a list starts one run, not one per step
const FALLBACK_SLOW = ['scorecam', 'ablationcam', 'smoothgrad', 'integrated-gradients'];

const state = {
  photo: null,        // the chosen File
  inputMethods: [],   // methods that take no layer (from /api/models)
  photoUrl: null,
  photoImage: null,   // the decoded photo, drawn under the maps
  limits: null,       // from /api/health
  slow: new Set(FALLBACK_SLOW),
  last: null,         // the explanation shown
  layers: null,       // the layers view's explanation (allLayers)
  compare: null,      // the comparison shown
  run: null,          // the run in flight: { id, controller, job, started, progress, timer }
  seq: 0,
  explains: 0,
  compares: 0,
  dropped: 0,         // answers that arrived for a run already replaced or cancelled
  autoTimer: null,
};

class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super((body && body.error) || ('the server answered HTTP ' + status));
    this.status = status;
    this.suggestions = (body && body.suggestions) || [];
    this.retryAfter = retryAfter;
  }
}

class Superseded extends Error {}

async function readJson(response) {
  try {
    return await response.json();
  } catch (e) {
    return null;
  }
}

async function getJson(url) {
  const r = await fetch(url);
  const body = await readJson(r);
  if (!r.ok) throw new ApiError(r.status, body, r.headers.get('Retry-After'));
  return body;
}

function sleep(ms, signal) {
  return new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });
}

/** Throws unless `run` is still the run the page waits for. */
function check(run) {
  if (state.run !== run || run.controller.signal.aborted) throw new Superseded();
}

/** POSTs an explain form as a job and polls it until it finishes; the job id is kept to cancel. */
async function request(run, f) {
  f.append('async', 'true');
  const signal = run.controller.signal;
  let r = await fetch('/api/explain', { method: 'POST', body: f, signal });
  let body = await readJson(r);
  check(run);
  if (r.status === 202 && body && body.job) {
    run.job = body.job;
    const href = '/api/jobs/' + encodeURIComponent(body.job);
    for (let wait = 60; ; wait = Math.min(1000, wait * 1.5)) {
      await sleep(wait, signal);
      check(run);
      r = await fetch(href, { signal });
      body = await readJson(r);
      check(run);
      if (r.status !== 202) break;
      if (body && typeof body.progress === 'number') run.progress = body.progress;
    }
    run.job = null;
  }
  if (!r.ok) throw new ApiError(r.status, body, r.headers.get('Retry-After'));
  return body;
}

// ---- runs: one at a time; a new one (or Cancel) aborts the old and cancels its job ----

function begin(label) {
  cancelRun();
  hideError();
  const run = { id: ++state.seq, controller: new AbortController(), job: null,
    started: performance.now(), progress: null, label, timer: null };
  state.run = run;
  document.body.dataset.state = 'busy';
  $('spinner').hidden = false;
  $('cancel').hidden = false;
  setStatus(label + '...');
  run.timer = setInterval(() => showElapsed(run), 100);
  showElapsed(run);
  return run;
}

function showElapsed(run) {
  const seconds = ((performance.now() - run.started) / 1000).toFixed(1) + ' s';
  const pct = run.progress == null ? '' : ' · ' + Math.round(100 * run.progress) + '%';
  $('elapsed').textContent = seconds + pct;
}

function end(run) {
  clearInterval(run.timer);
  if (state.run === run) state.run = null;
  if (state.run) return;
  $('spinner').hidden = true;
  $('cancel').hidden = true;
  $('elapsed').textContent = '';
  document.body.dataset.state = 'idle';
}

/** Aborts the run in flight and asks the server to stop its job (404/405: nothing to stop). */
function cancelRun() {
  const run = state.run;
  if (!run) return false;
  state.run = null;
  run.controller.abort();
  if (run.job) {
    // keepalive: the DELETE still goes out when the page is being closed
    fetch('/api/jobs/' + encodeURIComponent(run.job), { method: 'DELETE', keepalive: true })
      .catch(() => {});
  }
  end(run);
  return true;
}

/** Ends a run that failed or was replaced; answers for replaced runs are only counted. */
function settle(run, e) {
  if (e instanceof Superseded || state.run !== run || run.controller.signal.aborted) {
    state.dropped += 1;
    document.body.dataset.dropped = String(state.dropped);
    clearInterval(run.timer);
    return;
  }
  showError(e);
  setStatus('failed');
  end(run);
}

function seconds(run) {
  return ((performance.now() - run.started) / 1000).toFixed(1) + ' s';
}

async function explain() {
  if (!state.photo) { setStatus('choose a photo first'); return; }
  const method = $('method').value;
  const run = begin('explaining with ' + method);
  // methods that explain the input pixels have no layers to show
  const withLayers = $('layers-toggle').checked && !state.inputMethods.includes(method);
  if (withLayers) $('layers-view').dataset.state = 'busy';
  else if ($('layers-toggle').checked) $('layers-view').hidden = true;
  try {
    const body = await request(run, form({ method }));
    check(run);
    show(body);
    if (withLayers) {
      setStatus('explaining every block output...');
      const layers = await request(run, form({ method, allLayers: 'true' }));
      check(run);
      showLayers(layers);
    }
    setStatus('done in ' + seconds(run));
    end(run);
  } catch (e) {
    settle(run, e);
  }
}

async function compare() {
  const methods = [...document.querySelectorAll('#compare-methods input:checked')].map((c) => c.value);
  if (!state.photo) { setStatus('choose a photo first'); return; }
  if (methods.length === 0) { setStatus('tick at least one method to compare'); return; }
  const run = begin('comparing ' + methods.join(', '));
  try {
    const body = await request(run, form({ methods: methods.join(',') }));
    check(run);
    showComparison(body);
    setStatus('compared in ' + seconds(run));
    end(run);
  } catch (e) {
    settle(run, e);
  }
}

/** Runs after a setting changed, unless the method is slow (then Run starts it). */
function autoRun() {
  if (!state.photo) return;
  const slow = state.slow.has($('method').value);
  $('slow-hint').hidden = !slow;
  clearTimeout(state.autoTimer);
  if (slow) {
    cancelRun();
    setStatus('press Run to explain with ' + $('method').value);
    return;
  }
  state.autoTimer = setTimeout(explain, AUTO_RUN_DELAY_MS);
}

// ---- set-up ----

function setStatus(text) { $('status').textContent = text; }

function option(select, value, text, selected) {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = text;
  if (selected) o.selected = true;
  select.appendChild(o);
}

async function init() {
  try {
    const [health, catalog] = await Promise.all([getJson('/api/health'), getJson('/api/models')]);
    state.limits = health.limits;
    if (catalog.slowMethods) state.slow = new Set(catalog.slowMethods);
    for (const m of catalog.models) option($('model'), m.id, m.id + ' (' + m.classes + ' classes)');
    state.inputMethods = catalog.inputMethods || [];
    for (const name of catalog.methods) {
      option($('method'), name, name + (state.slow.has(name) ? ' (slow: press Run)' : ''),
        name === catalog.defaultMethod);
    }
    for (const name of catalog.colormaps) {
      if (COLORMAPS[name]) option($('colormap'), name, name, name === 'jet');
    }
    const boxes = $('compare-methods');
    for (const name of catalog.methods) {
      const label = document.createElement('label');
      label.className = 'check';
      const box = document.createElement('input');
      box.type = 'checkbox';
      box.value = name;
      box.checked = ['gradcam', 'gradcam++', 'layercam'].includes(name);
      label.append(box, ' ' + name);
      boxes.appendChild(label);
    }
    await loadModel();
    wire();
    paintColorbar();
    document.body.dataset.state = 'idle';
    setStatus('ready: choose a photo');
  } catch (e) {
    showError(e);
  }
}

async function loadModel() {
  const id = encodeURIComponent($('model').value);
  const [layers, labels] = await Promise.all([
    getJson('/api/models/' + id + '/layers'), getJson('/api/models/' + id + '/labels')]);
  const select = $('layer');
  select.replaceChildren();
  for (const l of layers.layers) {
    const text = (l.default ? '★ ' : l.block ? '▸ ' : '   ') + l.name + '  [' + l.layout + ']'
      + (l.default ? '  (default)' : '');
    option(select, l.name, text, l.default);
  }
  const list = $('labels');
  list.replaceChildren();
  for (const l of labels.labels) {
    const o = document.createElement('option');
    o.value = l.index + ': ' + l.name;
    list.appendChild(o);
  }
  $('class').value = '';
}

function wire() {
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    if (e.dataTransfer.files.length) choosePhoto(e.dataTransfer.files[0]);
  });
  drop.addEventListener('keydown', (e) => {
    if (e.target === drop && (e.key === 'Enter' || e.key === ' ')) {
      e.preventDefault();
      $('file').click();
    }
  });
  drop.addEventListener('click', (e) => { if (e.target === drop || e.target.tagName === 'P') $('file').click(); });
  $('file').addEventListener('change', () => {
    if ($('file').files.length) choosePhoto($('file').files[0]);
  });
  $('model').addEventListener('change', async () => {
    try { await loadModel(); } catch (e) { showError(e); return; }
    autoRun();
  });
  for (const id of ['method', 'layer', 'grid', 'prefix-tokens']) $(id).addEventListener('change', autoRun);
  $('layer-layout').addEventListener('change', () => { syncLayoutInputs(); autoRun(); });
  $('class').addEventListener('change', autoRun);
  $('class-top').addEventListener('click', () => { $('class').value = ''; autoRun(); });
  $('run').addEventListener('click', () => { clearTimeout(state.autoTimer); explain(); });
  $('cancel').addEventListener('click', () => {
    if (cancelRun()) setStatus('cancelled');
  });
  $('compare').addEventListener('click', compare);
  window.addEventListener('pagehide', cancelRun); // a closed tab leaves no job running
  $('colormap').addEventListener('change', () => { paintColorbar(); repaint(); });
  $('alpha').addEventListener('input', () => {
    $('alpha-value').textContent = Number($('alpha').value).toFixed(2);
    repaint();
  });
  for (const r of document.querySelectorAll('input[name=view]')) r.addEventListener('change', repaint);
  $('layers-toggle').addEventListener('change', () => {
    if (!$('layers-toggle').checked) { $('layers-view').hidden = true; return; }
    if (state.last && !state.slow.has($('method').value)) explain();
    else if (state.last) setStatus('press Run to see every block output');
  });
  $('dl-overlay').addEventListener('click', () => $('view').toBlob((b) => download(b, view() + '.png')));
  $('dl-npy').addEventListener('click', () => {
    const layer = state.last.layers[0];
    download(base64Blob(state.last.raw[layer], 'application/octet-stream'), 'raw.npy');
  });
  $('dl-manifest').addEventListener('click', () => download(
    new Blob([JSON.stringify(state.last.manifest, null, 2) + '\n'], { type: 'application/json' }), 'manifest.json'));
}

async function choosePhoto(file) {
  hideError();
  if (state.limits && file.size > state.limits.maxUploadBytes) {
    showError(new Error('the photo is ' + (file.size / 1048576).toFixed(1) + ' MiB; the server takes at most '
      + (state.limits.maxUploadBytes / 1048576).toFixed(1) + ' MiB'));
    return;
  }
  cancelRun();
  state.photo = file;
  if (state.photoUrl) URL.revokeObjectURL(state.photoUrl);
  state.photoUrl = URL.createObjectURL(file);
  const image = new Image();
  image.src = state.photoUrl;
  try {
    await image.decode();
  } catch (e) {
    state.photoImage = null; // the server may still read it (it knows more formats)
  }
  if (state.photo !== file) return;
  state.photoImage = image.naturalWidth ? image : null;
  clearResults();
  $('class').value = '';
  if (state.slow.has($('method').value)) {
    $('slow-hint').hidden = false;
    setStatus('press Run to explain with ' + $('method').value);
    return;
  }
  explain();
}

function classField() {
  const v = $('class').value.trim();
  if (!v) return 'top';
  const m = /^(\d+):/.exec(v);
  return m ? m[1] : v;
}

/** The layer layout override as the server's fields; none when the layout is inferred. */
function layoutFields() {
  const fields = {};
  const kind = $('layer-layout').value;
  if (kind) fields.layerLayout = kind;
  // a grid and a prefix count describe tokens only
  if (kind === '' || kind === 'tokens') {
    const grid = $('grid').value.trim();
    const prefix = $('prefix-tokens').value.trim();
    if (grid) fields.grid = grid;
    if (prefix) fields.prefixTokens = prefix;
  }
  return fields;
}

function syncLayoutInputs() {
  const tokens = ['', 'tokens'].includes($('layer-layout').value);
  $('grid').disabled = !tokens;
  $('prefix-tokens').disabled = !tokens;
}

function form(extra) {
  const f = new FormData();
  f.append('image', state.photo, state.photo.name || 'photo');
  f.append('model', $('model').value);
  // methods that explain the input pixels take no layer
  const methods = (extra.methods || extra.method).split(',');
  if (methods.some((m) => !state.inputMethods.includes(m))) {
    f.append('layer', $('layer').value || 'auto');
    for (const [field, value] of Object.entries(layoutFields())) f.append(field, value);
  }
  f.append('class', classField());
  f.append('top', '5');
  for (const [k, v] of Object.entries(extra || {})) f.append(k, v);
  return f;
}

// ---- painting: maps are colour-table indices, coloured and blended here ----

function view() { return document.querySelector('input[name=view]:checked').value; }

function mapOf(holder) {
  if (!holder._bytes) {
    const bin = atob(holder.data);
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    holder._bytes = bytes;
  }
  return holder._bytes;
}

/**
 * Draws `map` ({width, height, data}) on `canvas` at the map's size: the colour table entry
 * (heatmap), the photo, or per channel round((1 - alpha) * photo + alpha * colour) (overlay, the
 * server's alpha blend).
 */
function paint(canvas, map, how) {
  canvas.width = map.width;
  canvas.height = map.height;
  const g = canvas.getContext('2d', { willReadFrequently: true });
  const lut = COLORMAPS[$('colormap').value];
  const alpha = Number($('alpha').value);
  const indices = mapOf(map);
  let photo = null;
  if (how !== 'heatmap' && state.photoImage) {
    g.drawImage(state.photoImage, 0, 0, map.width, map.height);
    photo = g.getImageData(0, 0, map.width, map.height).data;
  }
  if (how === 'photo' && photo) return;
  const out = g.createImageData(map.width, map.height);
  const px = out.data;
  for (let i = 0; i < indices.length; i++) {
    const e = 3 * indices[i];
    for (let c = 0; c < 3; c++) {
      px[4 * i + c] = photo && how === 'overlay'
        ? Math.round((1 - alpha) * photo[4 * i + c] + alpha * lut[e + c]) : lut[e + c];
    }
    px[4 * i + 3] = 255;
  }
  g.putImageData(out, 0, 0);
}

function repaint() {
  if (state.last) paint($('view'), state.last.map, view());
  if (state.layers) {
    const canvases = $('layer-tiles').querySelectorAll('canvas');
    state.layers.layerMaps.forEach((l, i) => paint(canvases[i], l.map, view()));
  }
  if (state.compare) {
    const canvases = $('compare-tiles').querySelectorAll('canvas');
    state.compare.comparison.forEach((e, i) => paint(canvases[i], e.map, view()));
  }
}

function paintColorbar() {
  const canvas = $('colorbar');
  const g = canvas.getContext('2d');
  const lut = COLORMAPS[$('colormap').value];
  const out = g.createImageData(256, canvas.height);
  for (let y = 0; y < canvas.height; y++) {
    for (let x = 0; x < 256; x++) {
      const o = 4 * (y * 256 + x);
      out.data[o] = lut[3 * x];
      out.data[o + 1] = lut[3 * x + 1];
      out.data[o + 2] = lut[3 * x + 2];
      out.data[o + 3] = 255;
    }
  }
  g.putImageData(out, 0, 0);
}

function describe(body) {
  return body.method + ' · ' + body.target.label + ' (class ' + body.target.index + ')';
}

function show(body) {
  state.last = body;
  $('empty').hidden = true;
  $('main-figure').hidden = false;
  paint($('view'), body.map, view());
  $('view').dataset.layer = body.layers.join(',');
  $('view').dataset.method = body.method;
  $('view').setAttribute('aria-label', 'map of ' + describe(body) + ' at ' + body.layers.join(', '));
  const layouts = (body.manifest && body.manifest.layerLayouts) || {};
  $('caption').textContent = describe(body) + ' at ' + body.layers
    .map((l) => layouts[l] ? l + ' [' + layouts[l] + ']' : l).join(', ');
  $('scale').textContent = 'map value: share of its peak'
    + (typeof body.rawMax === 'number' ? ' (1 = raw ' + body.rawMax.toPrecision(3) + ')' : '');
  showPredictions(body);
  $('downloads').hidden = false;
  if (!$('layers-toggle').checked) $('layers-view').hidden = true;
  state.explains += 1;
  document.body.dataset.explains = String(state.explains);
}

/** The class explained and the top-5 bars (choosing one explains that class). */
function showPredictions(body) {
  $('target').hidden = false;
  $('target-label').textContent = body.target.label;
  $('target-prob').textContent = '(class ' + body.target.index + ', p = ' + body.target.probability.toFixed(3) + ')';
  $('predictions-title').hidden = false;
  const list = $('predictions');
  list.replaceChildren();
  for (const p of body.predictions) {
    const li = document.createElement('li');
    li.dataset.index = p.index;
    const chosen = p.index === body.target.index;
    if (chosen) li.classList.add('explained');
    const b = document.createElement('button');
    b.type = 'button';
    b.title = 'explain this class';
    b.setAttribute('aria-pressed', String(chosen));
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = p.label;
    const prob = document.createElement('span');
    prob.className = 'prob';
    prob.textContent = (100 * p.probability).toFixed(1) + '%';
    const bar = document.createElement('span');
    bar.className = 'bar';
    const fill = document.createElement('span');
    fill.style.width = Math.max(0.5, 100 * p.probability).toFixed(1) + '%';
    bar.appendChild(fill);
    b.append(label, prob, bar);
    b.addEventListener('click', () => { $('class').value = p.index + ': ' + p.label; autoRun(); });
    li.appendChild(b);
    list.appendChild(li);
  }
}

/** Back to the empty state: nothing of the previous photo stays on screen. */
function clearResults() {
  state.last = null;
  state.layers = null;
  state.compare = null;
  for (const id of ['main-figure', 'target', 'predictions-title', 'downloads', 'layers-view', 'compare-view']) {
    $(id).hidden = true;
  }
  $('predictions').replaceChildren();
  $('empty').hidden = false;
}

function tile(container, map, caption) {
  const figure = document.createElement('figure');
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', caption);
  paint(canvas, map, view());
  const text = document.createElement('figcaption');
  text.textContent = caption;
  figure.append(canvas, text);
  container.appendChild(figure);
}

function showLayers(body) {
  state.layers = body;
  $('layers-title').textContent = 'Layers: ' + describe(body) + ', early to late';
  const tiles = $('layer-tiles');
  tiles.replaceChildren();
  for (const l of body.layerMaps) tile(tiles, l.map, l.layer + '  ' + l.mapWidth + 'x' + l.mapHeight);
  $('layers-view').hidden = false;
  $('layers-view').dataset.state = 'ready';
}

function showComparison(body) {
  state.compare = body;
  $('empty').hidden = true;
  if (!state.last) showPredictions(body.comparison[0]);
  const tiles = $('compare-tiles');
  tiles.replaceChildren();
  for (const e of body.comparison) tile(tiles, e.map, describe(e) + ' at ' + e.layers.join(', '));
  $('compare-view').hidden = false;
  state.compares += 1;
  document.body.dataset.compares = String(state.compares);
}

// ---- messages ----

/**
 * Folders of absolute file paths dropped from a message (only the file name is the user's
 * business); layer names such as MobilenetV2/Conv_1/Relu6 do not start a word with a slash.
 */
function withoutFolders(text) {
  return text.replace(/(^|[\s'"(])(?:[A-Za-z]:)?(?:[\\/][^\\/\s'"]+)+[\\/]([^\\/\s'"]+)/g, '$1$2');
}

function showError(e) {
  const box = $('error');
  box.replaceChildren();
  const text = document.createElement('div');
  text.textContent = withoutFolders(e.message) + (e.retryAfter ? ' (retry in ' + e.retryAfter + ' s)' : '');
  box.appendChild(text);
  for (const s of e.suggestions || []) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = s;
    b.title = 'use this';
    b.addEventListener('click', () => useSuggestion(s));
    box.appendChild(b);
  }
  box.hidden = false;
}

function hideError() { $('error').hidden = true; }

/** A suggestion names a layer, a method, a colormap or a class: put it where it fits. */
function useSuggestion(s) {
  for (const id of ['layer', 'method', 'colormap', 'model', 'layer-layout']) {
    if ([...$(id).options].some((o) => o.value === s)) {
      $(id).value = s;
      $(id).dispatchEvent(new Event('change'));
      return;
    }
  }
  $('class').value = s;
  autoRun();
}

function base64Blob(b64, type) {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Blob([bytes], { type });
}

function download(blob, suffix) {
  const stem = (state.photo && state.photo.name ? state.photo.name.replace(/\.[^.]*$/, '') : 'photo')
    .replace(/[^A-Za-z0-9._-]+/g, '_');
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = stem + '_' + state.last.method + '_' + suffix;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

init();
