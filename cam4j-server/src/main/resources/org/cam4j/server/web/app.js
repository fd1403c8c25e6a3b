'use strict';
// cam4j page: plain JavaScript, no build step. Talks to the JSON API described at /openapi.json.

const $ = (id) => document.getElementById(id);
const state = {
  photo: null,        // the chosen File
  inputMethods: [],   // methods that take no layer (from /api/models)
  photoUrl: null,
  limits: null,       // from /api/health
  last: null,         // the last explanation shown
  seq: 0,             // newest request number; older answers are dropped
  explains: 0,
  alphaTimer: null,
};

class ApiError extends Error {
  constructor(status, body, retryAfter) {
    super((body && body.error) || ('the server answered HTTP ' + status));
    this.status = status;
    this.suggestions = (body && body.suggestions) || [];
    this.retryAfter = retryAfter;
  }
}

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

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs a form; follows a 202 job until it finishes. */
async function postForm(url, form) {
  const r = await fetch(url, { method: 'POST', body: form });
  const body = await readJson(r);
  if (r.status === 202 && body && body.href) return poll(body.href);
  if (!r.ok) throw new ApiError(r.status, body, r.headers.get('Retry-After'));
  return body;
}

async function poll(href) {
  for (let wait = 250; ; wait = Math.min(2000, wait * 1.5)) {
    await sleep(wait);
    const r = await fetch(href);
    const body = await readJson(r);
    if (r.status === 202) { setStatus('still computing...'); continue; }
    if (!r.ok) throw new ApiError(r.status, body, r.headers.get('Retry-After'));
    return body;
  }
}

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
    for (const m of catalog.models) option($('model'), m.id, m.id + ' (' + m.classes + ' classes)');
    state.inputMethods = catalog.inputMethods || [];
    for (const name of catalog.methods) option($('method'), name, name, name === catalog.defaultMethod);
    for (const name of catalog.colormaps) option($('colormap'), name, name, name === 'jet');
    await loadModel();
    wire();
    document.body.dataset.state = 'idle';
    setStatus('ready');
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
  $('file').addEventListener('change', () => {
    if ($('file').files.length) choosePhoto($('file').files[0]);
  });
  $('model').addEventListener('change', async () => {
    try { await loadModel(); } catch (e) { showError(e); return; }
    refresh();
  });
  for (const id of ['method', 'layer', 'colormap']) $(id).addEventListener('change', refresh);
  $('class').addEventListener('change', refresh);
  $('class-top').addEventListener('click', () => { $('class').value = ''; refresh(); });
  $('alpha').addEventListener('input', () => {
    $('alpha-value').textContent = Number($('alpha').value).toFixed(2);
    clearTimeout(state.alphaTimer);
    state.alphaTimer = setTimeout(refresh, 250);
  });
  $('layers-toggle').addEventListener('change', () => {
    if ($('layers-toggle').checked) explainLayers(); else $('layers-view').hidden = true;
  });
  $('dl-overlay').addEventListener('click', () => download(base64Blob(state.last.images.overlay, 'image/png'), 'overlay.png'));
  $('dl-npy').addEventListener('click', () => {
    const layer = state.last.layers[0];
    download(base64Blob(state.last.raw[layer], 'application/octet-stream'), 'raw.npy');
  });
  $('dl-manifest').addEventListener('click', () => download(
    new Blob([JSON.stringify(state.last.manifest, null, 2) + '\n'], { type: 'application/json' }), 'manifest.json'));
}

function choosePhoto(file) {
  hideError();
  if (state.limits && file.size > state.limits.maxUploadBytes) {
    showError(new Error('the photo is ' + (file.size / 1048576).toFixed(1) + ' MiB; the server takes at most '
      + (state.limits.maxUploadBytes / 1048576).toFixed(1) + ' MiB'));
    return;
  }
  state.photo = file;
  if (state.photoUrl) URL.revokeObjectURL(state.photoUrl);
  state.photoUrl = URL.createObjectURL(file);
  $('photo').src = state.photoUrl;
  $('class').value = '';
  refresh();
}

function classField() {
  const v = $('class').value.trim();
  if (!v) return 'top';
  const m = /^(\d+):/.exec(v);
  return m ? m[1] : v;
}

function form(extra) {
  const f = new FormData();
  f.append('image', state.photo, state.photo.name || 'photo');
  f.append('model', $('model').value);
  f.append('method', $('method').value);
  // methods that explain the input pixels take no layer
  if (!state.inputMethods.includes($('method').value) && !(extra && extra.allLayers)) {
    f.append('layer', $('layer').value || 'auto');
  }
  f.append('class', classField());
  f.append('colormap', $('colormap').value);
  f.append('alpha', $('alpha').value);
  f.append('top', '5');
  for (const [k, v] of Object.entries(extra || {})) f.append(k, v);
  return f;
}

function refresh() {
  if (!state.photo) return;
  explain();
  if ($('layers-toggle').checked) explainLayers();
}

async function explain() {
  const seq = ++state.seq;
  document.body.dataset.state = 'busy';
  setStatus('explaining...');
  try {
    const body = await postForm('/api/explain', form());
    if (seq !== state.seq) return;
    hideError();
    show(body);
    setStatus('done in ' + Math.round(Object.values(body.manifest.timingsMs).reduce((a, b) => a + b, 0)) + ' ms');
  } catch (e) {
    if (seq === state.seq) { showError(e); setStatus('failed'); }
  } finally {
    if (seq === state.seq) document.body.dataset.state = 'idle';
  }
}

async function explainLayers() {
  const view = $('layers-view');
  if (state.inputMethods.includes($('method').value)) { view.hidden = true; return; }
  if (!state.photo) return;
  view.hidden = false;
  view.dataset.state = 'busy';
  try {
    const body = await postForm('/api/explain', form({ allLayers: 'true' }));
    $('layers-strip').src = 'data:image/png;base64,' + body.images.layers;
    view.dataset.state = 'ready';
  } catch (e) {
    view.dataset.state = 'failed';
    showError(e);
  }
}

function show(body) {
  state.last = body;
  $('empty').hidden = true;
  $('figures').hidden = false;
  $('overlay').src = 'data:image/png;base64,' + body.images.overlay;
  $('overlay').dataset.layer = body.layers.join(',');
  $('caption').textContent = body.method + ' at ' + body.layers.join(', ');
  $('target').hidden = false;
  $('target-label').textContent = body.target.label;
  $('target-prob').textContent = '(class ' + body.target.index + ', p = ' + body.target.probability.toFixed(3) + ')';
  $('predictions-title').hidden = false;
  const list = $('predictions');
  list.replaceChildren();
  for (const p of body.predictions) {
    const li = document.createElement('li');
    li.dataset.index = p.index;
    if (p.index === body.target.index) li.classList.add('explained');
    const b = document.createElement('button');
    b.type = 'button';
    b.title = 'explain this class';
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
    b.addEventListener('click', () => { $('class').value = p.index + ': ' + p.label; refresh(); });
    li.appendChild(b);
    list.appendChild(li);
  }
  $('downloads').hidden = false;
  state.explains += 1;
  document.body.dataset.explains = String(state.explains);
}

function showError(e) {
  const box = $('error');
  box.replaceChildren();
  const text = document.createElement('div');
  text.textContent = e.message + (e.retryAfter ? ' (retry in ' + e.retryAfter + ' s)' : '');
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
  for (const id of ['layer', 'method', 'colormap', 'model']) {
    if ([...$(id).options].some((o) => o.value === s)) { $(id).value = s; refresh(); return; }
  }
  $('class').value = s;
  refresh();
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
