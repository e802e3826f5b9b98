// minilat serve: the single page for the teacher (projector) and the students.
// It talks to the server over one WebSocket (/ws); see docs: the protocol.
// Rules kept throughout: server text goes into the DOM only through textContent;
// missing fields are treated as empty; unknown message types are ignored.
'use strict';

// ---------------------------------------------------------------- helpers

const $ = (id) => document.getElementById(id);
const arr = (x) => (Array.isArray(x) ? x : []);
const num = (x, d = 0) => (typeof x === 'number' && Number.isFinite(x) ? x : d);
const str = (x) => (x === null || x === undefined ? '' : String(x));
const SVGNS = 'http://www.w3.org/2000/svg';

/** Creates an HTML element; children are nodes or strings (added as text). */
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  setAttrs(e, attrs);
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

/** Creates an SVG element with attributes. */
function svgEl(tag, attrs, text) {
  const e = document.createElementNS(SVGNS, tag);
  setAttrs(e, attrs);
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Sets attributes; `class` and `data-*` included; null/undefined skipped. */
function setAttrs(e, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    // Inline styles through the CSSOM: the page's Content-Security-Policy refuses
    // style attributes.
    if (k === 'style') e.style.cssText = String(v);
    else e.setAttribute(k, v === true ? '' : String(v));
  }
}

/** A number for people: few digits, no trailing noise. */
function fmt(x, digits = 2) {
  if (typeof x !== 'number' || !Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return String(Number(x.toFixed(digits)));
}

const pct = (x) => Math.round(Math.max(0, Math.min(1, num(x))) * 100) + '%';

// Coalition colours by serial (Okabe–Ito and Tol, no grey: grey means "none").
const PALETTE = ['#E69F00', '#56B4E9', '#009E73', '#D55E00', '#0072B2', '#CC79A7',
  '#F0E442', '#882255', '#44AA99', '#999933', '#332288', '#AA4499'];
const ISSUE_COLOURS = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#D55E00', '#56B4E9'];
const NONE_FILL = '#c9ccd1';
const coalitionColour = (serial) => PALETTE[Math.abs(num(serial)) % PALETTE.length];

// ---------------------------------------------------------------- page state

const S = {
  role: '',            // "teacher" | "viewer" (from hello)
  world: null,         // latest world message
  frame: null,         // latest frame message
  cls: null,           // latest class message (teacher)
  joined: null,        // {name, state, state_name} once joined
  lastJoin: null,      // the join request to repeat after a reconnect
  question: null,      // the open question message
  layout: [],          // per state: {x, y, r, a} (a: angle on the ring)
  pendingLog: [],      // log entries received but not drawn yet
  renderQueued: false,
  speedTouchedAt: 0,   // last time the teacher moved the speed slider
  logFollows: true,    // the log scrolls to the newest entry
  logAutoTop: 0,       // where the page last scrolled the log to
};

// ---------------------------------------------------------------- connection

let socket = null;
let retryMs = 500;

/** The WebSocket address, with the teacher key when the page has one. */
function wsUrl() {
  const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const key = new URLSearchParams(location.search).get('key');
  return `${proto}//${location.host}/ws` + (key ? `?key=${encodeURIComponent(key)}` : '');
}

/** Opens the socket; on close, retries with exponential backoff (0.5 s to 10 s). */
function connect() {
  setConn('connecting…', false);
  try { socket = new WebSocket(wsUrl()); } catch (e) { scheduleReconnect(); return; }
  socket.onopen = () => { retryMs = 500; setConn('connected', true); };
  socket.onmessage = (ev) => receive(ev.data);
  socket.onclose = () => { socket = null; scheduleReconnect(); };
  socket.onerror = () => { /* onclose follows */ };
}

function scheduleReconnect() {
  setConn(`disconnected: retrying in ${Math.round(retryMs / 100) / 10} s`, false);
  setTimeout(connect, retryMs);
  retryMs = Math.min(retryMs * 2, 10000);
}

function setConn(text, ok) {
  const c = $('conn');
  c.textContent = text;
  c.className = ok ? 'conn-on' : 'conn-off';
  document.body.dataset.connected = ok ? '1' : '0';
}

/** Sends one message; returns false when not connected. */
function send(msg) {
  if (!socket || socket.readyState !== WebSocket.OPEN) {
    showError('Not connected to the server: try again in a moment.');
    return false;
  }
  socket.send(JSON.stringify(msg));
  return true;
}

// ---------------------------------------------------------------- dispatch

const HANDLERS = {
  hello: onHello, world: onWorld, log: onLog, frame: onFrame, error: onError,
  class: onClass, joined: onJoined, question: onQuestion, closed: onClosed, debrief: onDebrief,
};

/** Parses and dispatches one message; never throws. */
function receive(data) {
  let msg;
  try { msg = JSON.parse(data); } catch (e) { return; }
  if (!msg || typeof msg !== 'object') return;
  const h = HANDLERS[msg.type];
  if (!h) return; // unknown types are ignored
  try { h(msg); } catch (e) { console.error('minilat page: handling', msg.type, e); }
}

// ---------------------------------------------------------------- hello / world

function onHello(m) {
  S.role = m.role === 'teacher' ? 'teacher' : 'viewer';
  document.body.dataset.role = S.role;
  const sel = $('scenario');
  sel.replaceChildren(...arr(m.scenarios).map((n) => el('option', { value: str(n) }, str(n))));
  $('footer').textContent = m.version ? `minilat ${str(m.version)}` : '';
  placeDebrief();
  if (S.role === 'teacher') {
    $('address').textContent = location.origin;
  } else if (S.lastJoin) {
    send(S.lastJoin); // rejoin after a reconnect
  }
  if (S.role !== 'teacher' && new URLSearchParams(location.search).get('key')) {
    showError('The key in the address was not accepted: you are connected as a viewer.');
  }
}

function onWorld(m) {
  const prev = S.world;
  S.world = m;
  if (!prev || str(prev.command) !== str(m.command) || prev.seed !== m.seed) { // a new run
    if (prev) logSeparator(`New run: ${str(m.scenario)}, seed ${str(m.seed)}, run ${str(m.run)}`);
    S.frame = null;
    document.body.dataset.tick = '0';
    $('debrief').hidden = true;
  }
  $('scenario-name').textContent = str(m.scenario);
  ensureOption($('scenario'), str(m.scenario));
  setIfIdle($('scenario'), str(m.scenario));
  setIfIdle($('seed'), str(m.seed));
  setIfIdle($('run'), str(m.run));
  $('command').textContent = m.command ? `Same run from the command line: ${str(m.command)}` : '';
  buildJoinStates(m);
  buildParams(m);
  buildNetwork(m);
  renderStatus();
  queueRender();
}

/** Adds `value` to a select when missing (a scenario loaded from a file, say). */
function ensureOption(sel, value) {
  if (value && ![...sel.options].some((o) => o.value === value)) sel.append(el('option', { value }, value));
}

/** Sets an input's value unless the user is typing in it. */
function setIfIdle(input, value) {
  if (document.activeElement !== input) input.value = value;
}

// ---------------------------------------------------------------- log / frame

function onLog(m) {
  $('log').replaceChildren();
  S.pendingLog = arr(m.entries).slice(-2000);
  queueRender();
}

function onFrame(m) {
  S.frame = m;
  S.pendingLog.push(...arr(m.log));
  document.body.dataset.tick = str(num(m.tick));
  renderStatus();
  queueRender();
}

/** Draws at most ~30 times a second, however fast frames arrive. */
function queueRender() {
  if (S.renderQueued) return;
  S.renderQueued = true;
  setTimeout(() => {
    S.renderQueued = false;
    const f = S.frame || {};
    renderLog();
    renderNetwork(f);
    renderProgress(f);
    renderDeadlock(f);
    renderSizes(f);
  }, 33);
}

/** The status line and the teacher's run toggle. */
function renderStatus() {
  const w = S.world || {};
  const f = S.frame || {};
  $('tick').textContent = str(num(f.tick));
  $('ticks').textContent = str(num(f.ticks, num(w.ticks)));
  $('status-seed').textContent = str(w.seed ?? '–');
  $('status-run').textContent = str(w.run ?? '–');
  const state = f.finished ? 'finished' : f.running ? 'running' : S.frame ? 'paused' : 'waiting';
  $('status-state').textContent = state;
  $('status-state').className = 'st-' + state;
  $('status-speed').textContent = `${fmt(f.speed, 2)} ticks/s`;
  const toggle = $('run-toggle');
  toggle.textContent = f.running ? 'Pause' : 'Run';
  toggle.disabled = !!f.finished;
  $('step').disabled = !!f.finished;
  if (typeof f.speed === 'number' && Date.now() - S.speedTouchedAt > 1500) {
    $('speed').value = String(speedToSlider(f.speed));
    $('speed-value').textContent = `${fmt(f.speed, 2)}/s`;
  }
}

// ---------------------------------------------------------------- event log

/** Appends the pending entries; follows the bottom unless the user scrolled up. */
function renderLog() {
  if (!S.pendingLog.length) return;
  const log = $('log');
  const frag = document.createDocumentFragment();
  for (const e of S.pendingLog.splice(0)) {
    const tone = /^[a-z]+$/.test(str(e && e.tone)) ? e.tone : 'plain';
    const tick = e && typeof e.tick === 'number' ? String(e.tick) : '';
    // The server's sentence starts "tick N: "; the tick has its own column.
    const said = str(e && e.text).replace(/^tick \d+: /, '');
    frag.append(el('div', { class: `entry tone-${tone}`, 'data-tick': tick },
      el('span', { class: 'lt' }, tick), ' ', said));
  }
  log.append(frag);
  while (log.childElementCount > 2000) log.firstElementChild.remove();
  followLog();
}

/** A line between runs (not an `.entry`: it is not one of the server's entries). */
function logSeparator(text) {
  $('log').append(el('div', { class: 'log-sep' }, text));
  followLog();
}

/** Scrolls the log to the newest entry while it is following. */
function followLog() {
  const log = $('log');
  if (!S.logFollows) return;
  log.scrollTop = log.scrollHeight;
  S.logAutoTop = log.scrollTop;
}

/** The log follows until the user scrolls up (above where the page last put it); the bottom resumes. */
function wireLog() {
  const log = $('log');
  log.addEventListener('scroll', () => {
    if (log.scrollHeight - log.scrollTop - log.clientHeight < 30) S.logFollows = true;
    else if (log.scrollTop < S.logAutoTop - 2) S.logFollows = false;
  });
  if (window.ResizeObserver) new ResizeObserver(followLog).observe(log);
}

// ---------------------------------------------------------------- network

/** Places the states on a circle (by index, deterministic) and draws them once. */
function buildNetwork(w) {
  const states = arr(w.states);
  const n = Math.max(states.length, 1);
  const C = 300, ring = 215; // viewBox 600 × 600
  const spacing = (2 * Math.PI * ring) / n;
  const rMax = Math.max(8, Math.min(46, spacing * 0.9));
  const rMin = Math.min(6, rMax * 0.6);
  const maxSize = Math.max(...states.map((s) => num(s && s.size)), 1e-9);
  S.layout = states.map((s, i) => {
    const a = -Math.PI / 2 + (2 * Math.PI * i) / n;
    const r = Math.max(rMin, rMax * Math.sqrt(num(s && s.size) / maxSize));
    return { x: C + ring * Math.cos(a), y: C + ring * Math.sin(a), r, a };
  });
  const svg = $('network');
  svg.replaceChildren(svgEl('g', { id: 'links' }), svgEl('g', { id: 'nodes' }));
  const nodes = svg.querySelector('#nodes');
  const labelled = pickLabels(states);
  states.forEach((s, i) => {
    const p = S.layout[i];
    const g = svgEl('g', { class: 'node' });
    const c = svgEl('circle', { cx: p.x.toFixed(1), cy: p.y.toFixed(1), r: p.r.toFixed(1),
      'data-state': i, tabindex: 0, 'aria-label': str(s && s.name) });
    c.addEventListener('pointerenter', (ev) => showTip(i, ev));
    c.addEventListener('pointermove', (ev) => moveTip(ev));
    c.addEventListener('pointerleave', hideTip);
    c.addEventListener('focus', () => showTip(i, null));
    c.addEventListener('blur', hideTip);
    g.append(c);
    if (labelled.has(i)) g.append(nodeLabel(s, p));
    nodes.append(g);
  });
}

/** Which states get a label: all when few; else the largest ones that do not collide. */
function pickLabels(states) {
  const order = states.map((_, i) => i).sort((a, b) => num(states[b] && states[b].size) - num(states[a] && states[a].size));
  if (states.length <= 24) return new Set(order);
  const chosen = [];
  for (const i of order) {
    const p = S.layout[i];
    if (chosen.length >= 20) break;
    if (chosen.every((j) => Math.hypot(S.layout[j].x - p.x, S.layout[j].y - p.y) > 44)) chosen.push(i);
  }
  return new Set(chosen);
}

/** The iso3 (or name) label, just outside the circle, away from the centre. */
function nodeLabel(s, p) {
  const d = p.r + 12, x = p.x + d * Math.cos(p.a), y = p.y + d * Math.sin(p.a);
  const anchor = Math.abs(Math.cos(p.a)) < 0.3 ? 'middle' : Math.cos(p.a) > 0 ? 'start' : 'end';
  const text = str(s && (s.iso3 || s.name));
  return svgEl('text', { x: x.toFixed(1), y: (y + 5).toFixed(1), 'text-anchor': anchor }, text);
}

/** States played by students: from the world and, for the teacher, the class. */
function playedStates() {
  const played = new Set();
  arr(S.world && S.world.states).forEach((s, i) => { if (arr(s && s.players).length) played.add(i); });
  for (const p of arr(S.cls && S.cls.players)) if (typeof p.state === 'number') played.add(p.state);
  if (S.joined && typeof S.joined.state === 'number') played.add(S.joined.state);
  return played;
}

/** Per frame: fills, outlines, coalition lines and the legend. */
function renderNetwork(f) {
  const svg = $('network');
  const links = svg.querySelector('#links');
  if (!links) return;
  const coalitions = arr(f.coalitions).slice().sort((a, b) => num(a.serial) - num(b.serial));
  const first = new Map(); // state -> colour of its first coalition
  const lines = [];
  coalitions.forEach((c, k) => {
    const colour = coalitionColour(c.serial);
    const leader = num(c.leader, -1);
    for (const m of arr(c.members)) {
      if (!first.has(m)) first.set(m, colour);
      if (m !== leader) lines.push(linkPath(leader, m, colour, k));
    }
    if (!first.has(leader) && S.layout[leader]) first.set(leader, colour);
  });
  links.replaceChildren(...lines.filter(Boolean));
  const played = playedStates();
  const mine = S.joined ? S.joined.state : -1;
  for (const c of svg.querySelectorAll('circle[data-state]')) {
    const i = Number(c.dataset.state);
    c.setAttribute('fill', first.get(i) || NONE_FILL);
    c.classList.toggle('played', played.has(i));
    c.classList.toggle('mine', i === mine);
  }
  renderLegend(coalitions);
}

/** A curved line from leader to member; the bend differs per coalition so lines do not overlap. */
function linkPath(a, b, colour, k) {
  const p = S.layout[a], q = S.layout[b];
  if (!p || !q) return null;
  const len = Math.hypot(q.x - p.x, q.y - p.y) || 1;
  const bend = ((k % 5) - 2) * 14; // control point off the midpoint, perpendicular
  const cx = (p.x + q.x) / 2 - ((q.y - p.y) / len) * bend;
  const cy = (p.y + q.y) / 2 + ((q.x - p.x) / len) * bend;
  const d = `M${p.x.toFixed(1)},${p.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${q.x.toFixed(1)},${q.y.toFixed(1)}`;
  return svgEl('path', { d, stroke: colour, class: 'link' });
}

function renderLegend(coalitions) {
  const items = coalitions.map((c) => el('li', null,
    el('span', { class: 'swatch', style: `background:${coalitionColour(c.serial)}` }),
    `${str(c.name) || 'coalition ' + num(c.serial)} (${arr(c.members).length})`));
  if (!items.length) items.push(el('li', { class: 'note' }, 'No coalitions yet.'));
  $('legend').replaceChildren(...items);
}

// Hover card: name, coalitions, welfare, players.
function showTip(i, ev) {
  const s = arr(S.world && S.world.states)[i] || {};
  const f = S.frame || {};
  const tip = $('tip');
  const lines = [el('strong', null, str(s.name) + (s.iso3 ? ` (${str(s.iso3)})` : ''))];
  const mine = arr(f.coalitions).filter((c) => arr(c.members).includes(i) || c.leader === i);
  if (mine.length) {
    for (const c of mine) lines.push(el('div', null, '• ' + str(c.name) + (c.leader === i ? ' (leads)' : '')));
  } else {
    lines.push(el('div', null, 'In no coalition'));
  }
  lines.push(el('div', null, `Welfare so far: ${fmt(arr(f.welfare)[i])}`));
  if (arr(s.players).length) lines.push(el('div', null, `Played by ${arr(s.players).map(str).join(', ')}`));
  tip.replaceChildren(...lines);
  tip.hidden = false;
  const r = ev || document.querySelector(`circle[data-state="${i}"]`).getBoundingClientRect();
  placeTip(ev ? ev.clientX : r.right, ev ? ev.clientY : r.bottom);
}

const moveTip = (ev) => placeTip(ev.clientX, ev.clientY);

function placeTip(x, y) {
  const tip = $('tip');
  const w = tip.offsetWidth;
  const left = Math.min(x + 14, window.innerWidth - w - 8);
  tip.style.left = `${Math.max(4, left)}px`;
  tip.style.top = `${y + 14}px`;
}

function hideTip() { $('tip').hidden = true; }

// ---------------------------------------------------------------- progress / deadlock

/** One bar per issue: progress as a share of target; "solved at tick N". */
function renderProgress(f) {
  const issues = arr(S.world && S.world.issues);
  const rows = issues.map((iss, i) => {
    const share = num(arr(f.progress)[i]);
    const solved = arr(f.solved)[i];
    const label = typeof solved === 'number' ? `solved at tick ${solved}` : `${pct(share)} of target`;
    return barRow(str(iss.name), share, ISSUE_COLOURS[i % ISSUE_COLOURS.length], label,
      { 'data-issue': i, class: typeof solved === 'number' ? 'bar-row solved' : 'bar-row' });
  });
  $('progress').replaceChildren(...rows);
}

/** One bar per body: failed share of votes, with "n votes, m adopted". */
function renderDeadlock(f) {
  const bodies = arr(S.world && S.world.bodies);
  const rows = bodies.map((b, i) => {
    const d = arr(f.bodies)[i] || {};
    const n = num(d.attempted), m = num(d.adopted);
    const share = typeof d.deadlock === 'number' ? d.deadlock : n > 0 ? (n - m) / n : null;
    const label = n ? `${pct(share)} failed · ${n} vote${n === 1 ? '' : 's'}, ${m} adopted` : 'no votes yet';
    return barRow(str(b.name), num(share), '#B8322A', label, { 'data-body': i, class: 'bar-row' }, str(b.rule));
  });
  $('deadlock').replaceChildren(...rows);
}

/** A labelled horizontal bar; `small` is muted text after the name (a body's rule). */
function barRow(name, share, colour, label, attrs, small) {
  const fill = el('div', { class: 'bar-fill', style: `width:${pct(share)};background:${colour}` });
  return el('div', attrs,
    el('div', { class: 'bar-head' }, el('span', { class: 'bar-name' }, name, small ? el('small', null, ' ' + small) : null), el('span', { class: 'bar-label' }, label)),
    el('div', { class: 'bar', role: 'img', 'aria-label': `${name}: ${label}` }, fill));
}

// ---------------------------------------------------------------- size chart

/** Bar chart of frame.sizes: x = peak size, y = mean progress, label = count. */
function renderSizes(f) {
  const svg = $('sizes');
  const W = 420, H = 200, L = 46, R = 10, T = 16, B = 40;
  const data = arr(f.sizes).filter((d) => d && typeof d.size === 'number')
    .sort((a, b) => a.size - b.size);
  const maxY = niceMax(Math.max(0, ...data.map((d) => num(d.mean))));
  const lead = maxY / Math.pow(10, Math.floor(Math.log10(maxY)) || 0);
  const nTicks = Math.abs(lead - 2) < 1e-9 ? 4 : 5; // steps of 0.2, 0.5 or 1 × 10^k
  const pw = W - L - R, ph = H - T - B;
  const parts = [];
  for (let k = 0; k <= nTicks; k++) { // grid lines and y ticks
    const v = (maxY * k) / nTicks;
    const y = T + ph - (ph * k) / nTicks;
    parts.push(svgEl('line', { x1: L, x2: W - R, y1: y, y2: y, class: 'grid' }));
    parts.push(svgEl('text', { x: L - 5, y: y + 4, 'text-anchor': 'end', class: 'tick' }, fmt(v, 2)));
  }
  const slot = pw / Math.max(data.length, 1);
  const every = Math.ceil(data.length / 16);
  data.forEach((d, k) => {
    const h = (ph * Math.max(0, num(d.mean))) / maxY;
    const x = L + k * slot + slot * 0.15;
    const bw = Math.max(1, slot * 0.7);
    const bar = svgEl('rect', { x: x.toFixed(1), y: (T + ph - h).toFixed(1), width: bw.toFixed(1),
      height: Math.max(0, h).toFixed(1), 'data-size': d.size, class: 'sbar' });
    bar.append(svgEl('title', null, `size ${d.size}: ${num(d.count)} coalitions, mean progress ${fmt(num(d.mean), 3)}`));
    parts.push(bar);
    if (k % every === 0) {
      parts.push(svgEl('text', { x: x + bw / 2, y: T + ph + 14, 'text-anchor': 'middle', class: 'tick' }, d.size));
      parts.push(svgEl('text', { x: x + bw / 2, y: T + ph - h - 3, 'text-anchor': 'middle', class: 'count' },
        num(d.count)));
    }
  });
  if (!data.length) parts.push(svgEl('text', { x: L + pw / 2, y: T + ph / 2, 'text-anchor': 'middle' }, 'No coalitions yet'));
  parts.push(svgEl('line', { x1: L, x2: W - R, y1: T + ph, y2: T + ph, class: 'axis' }));
  parts.push(svgEl('text', { x: L + pw / 2, y: H - 8, 'text-anchor': 'middle', class: 'axis-label' },
    'coalition size (peak members)'));
  parts.push(svgEl('text', { x: 12, y: T + ph / 2, 'text-anchor': 'middle', class: 'axis-label',
    transform: `rotate(-90 12 ${T + ph / 2})` }, 'mean progress produced'));
  svg.replaceChildren(...parts);
}

/** A round axis maximum at or above x (1, 2, 2.5, 5 × 10^k). */
function niceMax(x) {
  if (!(x > 0)) return 1;
  const p = Math.pow(10, Math.floor(Math.log10(x)));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

// ---------------------------------------------------------------- errors

function onError(m) { showError(str(m.message) || 'The server rejected the request.'); }

function showError(text) {
  $('error-text').textContent = text;
  $('error').hidden = false;
}

// ---------------------------------------------------------------- teacher controls

// Speed slider: 0..1000 mapped to 0.25..100 ticks per second on a log scale.
const SPEED_MIN = 0.25, SPEED_MAX = 100;
const sliderToSpeed = (v) => {
  const s = SPEED_MIN * Math.pow(SPEED_MAX / SPEED_MIN, num(Number(v)) / 1000);
  return Number((s < 10 ? s.toFixed(2) : s.toFixed(1)));
};
const speedToSlider = (s) =>
  Math.round((1000 * Math.log(Math.max(SPEED_MIN, Math.min(SPEED_MAX, s)) / SPEED_MIN)) / Math.log(SPEED_MAX / SPEED_MIN));

let speedTimer = null;

/** Sends the speed at most every 200 ms while the slider moves (the server caps message rates). */
function onSpeedInput(final) {
  const v = sliderToSpeed($('speed').value);
  S.speedTouchedAt = Date.now();
  $('speed-value').textContent = `${fmt(v, 2)}/s`;
  if (final) {
    clearTimeout(speedTimer);
    speedTimer = null;
    send({ type: 'speed', value: v });
  } else if (!speedTimer) {
    speedTimer = setTimeout(() => { speedTimer = null; send({ type: 'speed', value: sliderToSpeed($('speed').value) }); }, 200);
  }
}

function wireControls() {
  $('run-toggle').addEventListener('click', () =>
    send({ type: 'control', action: S.frame && S.frame.running ? 'pause' : 'play' }));
  $('step').addEventListener('click', () => send({ type: 'control', action: 'step' }));
  $('restart').addEventListener('click', () => send({ type: 'control', action: 'restart' }));
  $('speed').addEventListener('input', () => onSpeedInput(false));
  $('speed').addEventListener('change', () => onSpeedInput(true));
  $('apply').addEventListener('click', applyParams);
  $('reset-params').addEventListener('click', () => { if (S.world) buildParams(S.world); });
  $('time-limit').addEventListener('change', () => {
    const v = Math.round(Number($('time-limit').value));
    if (v >= 5 && v <= 600) send({ type: 'time_limit', seconds: v });
    else showError('The time to answer must be between 5 and 600 seconds.');
  });
  $('error-close').addEventListener('click', () => { $('error').hidden = true; });
  for (const id of ['scenario', 'seed', 'run', 'extra']) $(id).addEventListener('input', markDirty);
}

// ---------------------------------------------------------------- parameters

/** A parameter value as text for "path=value", using the step's decimals for floats. */
function paramText(p, v) {
  if (p.kind === 'bool') return v === true || v === 'true' ? 'true' : 'false';
  const x = Number(v);
  if (!Number.isFinite(x)) return str(v);
  if (p.kind === 'int') return String(Math.round(x));
  const step = str(p.step);
  const decimals = step.includes('.') ? step.split('.')[1].length : 0;
  return String(Number(x.toFixed(Math.max(decimals, 0))));
}

/** Builds the parameter sliders/checkboxes from world.params. */
function buildParams(w) {
  const rows = arr(w.params).map((p) => {
    const path = str(p.path);
    const id = 'param-' + path.replace(/[^A-Za-z0-9_-]/g, '_');
    let input;
    if (p.kind === 'bool') {
      input = el('input', { type: 'checkbox', id, 'data-path': path, 'data-kind': 'bool' });
      input.checked = p.value === true || p.value === 1 || p.value === 'true';
    } else {
      input = el('input', { type: 'range', id, 'data-path': path, 'data-kind': str(p.kind),
        min: num(p.min), max: num(p.max, 1), step: num(p.step, p.kind === 'int' ? 1 : 0.01) });
      input.value = String(num(p.value));
    }
    const out = el('output', { for: id }, p.kind === 'bool' ? '' : paramText(p, p.value));
    input.addEventListener('input', () => {
      input.dataset.touched = '1'; // untouched inputs keep the world's value (a range snaps to its step)
      if (p.kind !== 'bool') out.textContent = paramText(p, input.value);
      markDirty();
    });
    return el('div', { class: 'param' }, el('label', { for: id, title: path }, str(p.label) || path), input, out);
  });
  if (!rows.length) rows.push(el('p', { class: 'note' }, 'This scenario has no adjustable parameters.'));
  $('params').replaceChildren(...rows);
  $('extra').value = otherOverrides(w); // overrides in force that are not sliders
  markDirty();
}

/** world.set lines whose path has no slider or checkbox, one a line. */
function otherOverrides(w) {
  const paths = new Set(arr(w.params).map((p) => str(p.path)));
  return arr(w.set).map(str).filter((l) => !paths.has(l.split('=')[0].trim())).join('\n');
}

/** The current value of a parameter's input, as text. */
function inputText(p) {
  const input = document.querySelector(`#params [data-path="${CSS.escape(str(p.path))}"]`);
  if (!input || !input.dataset.touched) return paramText(p, p.value);
  return paramText(p, p.kind === 'bool' ? input.checked : input.value);
}

/** The "set" for apply: changed params, params already in world.set (kept in force), free lines. */
function collectSet() {
  const w = S.world || {};
  const inForce = new Set(arr(w.set).map((l) => str(l).split('=')[0].trim()));
  const set = [];
  for (const p of arr(w.params)) {
    const now = inputText(p);
    if (now !== paramText(p, p.value) || inForce.has(str(p.path))) set.push(`${str(p.path)}=${now}`);
  }
  const extra = $('extra').value.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  return set.concat(extra);
}

/** Highlights changed parameters and the Apply button when something would change. */
function markDirty() {
  const w = S.world;
  if (!w) return;
  let changed = 0;
  for (const p of arr(w.params)) {
    const input = document.querySelector(`#params [data-path="${CSS.escape(str(p.path))}"]`);
    const diff = inputText(p) !== paramText(p, p.value);
    if (input) input.closest('.param').classList.toggle('changed', diff);
    if (diff) changed++;
  }
  const extraNow = $('extra').value.split('\n').map((l) => l.trim()).filter(Boolean).join('\n');
  const other = $('scenario').value !== str(w.scenario) || $('seed').value !== str(w.seed) ||
    $('run').value !== str(w.run) || extraNow !== otherOverrides(w);
  const dirty = changed > 0 || other;
  $('apply').classList.toggle('dirty', dirty);
  $('apply-note').textContent = dirty ? 'Changes not applied yet' : '';
}

/** Sends apply: scenario, overrides, seed and run (the server starts it paused). */
function applyParams() {
  const seed = Number($('seed').value), run = Number($('run').value);
  if (!Number.isInteger(seed) || seed < 0 || !Number.isInteger(run) || run < 0) {
    showError('Seed and run must be whole numbers, 0 or more.');
    return;
  }
  if (send({ type: 'apply', scenario: $('scenario').value, set: collectSet(), seed, run })) {
    $('error').hidden = true;
  }
}

// ---------------------------------------------------------------- class (teacher)

function onClass(m) {
  S.cls = m;
  $('join-code').textContent = str(m.join_code) || '–';
  setIfIdle($('time-limit'), str(num(m.time_limit, 30)));
  renderPlayers(arr(m.players));
  renderPending(m.pending);
  renderChoices(arr(m.choices));
  queueRender(); // outlines of played states
}

function renderPlayers(players) {
  const rows = players.map((p) => el('tr', { class: p.connected ? '' : 'offline' },
    el('td', null, str(p.name)), el('td', null, str(p.state_name)),
    el('td', { class: 'n' }, str(num(p.answered))), el('td', { class: 'n' }, str(num(p.overruled))),
    el('td', { class: 'n' }, str(num(p.missed))),
    el('td', { class: 'n', title: p.connected ? 'connected' : 'not connected' }, p.connected ? '●' : '○')));
  if (!rows.length) rows.push(el('tr', null, el('td', { colspan: 6, class: 'note' }, 'Nobody has joined yet.')));
  $('players').tBodies[0].replaceChildren(...rows);
}

/** The open question: text, who answered, who is still awaited, countdown, "Decide now". */
function renderPending(p) {
  const box = $('pending');
  if (!p || typeof p !== 'object') {
    box.replaceChildren(el('p', { class: 'note' }, 'No open question.'));
    return;
  }
  const hurry = el('button', { type: 'button', id: 'hurry', class: 'primary' }, 'Decide now');
  hurry.addEventListener('click', () => send({ type: 'control', action: 'hurry' }));
  box.replaceChildren(el('div', { class: 'pending' },
    el('div', null, el('strong', null, `Tick ${num(p.tick)}: `), str(p.question)),
    el('div', null, 'Waiting for: ', arr(p.waiting).map(str).join(', ') || 'nobody'),
    el('div', null, 'Answered: ', arr(p.answered).map(str).join(', ') || 'nobody yet'),
    el('div', { class: 'row' }, countdown(num(p.remaining_ms)), hurry)));
}

/** "tick 12: Ana (France) rejected ... — the model would have accepted". */
function choiceText(c) {
  const who = `tick ${num(c.tick)}: ${str(c.player)} (${str(c.state_name)})`;
  if (c.chosen === null || c.chosen === undefined) {
    return `${who} did not answer: the model chose “${str(c.model)}”`;
  }
  const same = str(c.chosen) === str(c.model);
  return `${who} chose “${str(c.chosen)}”` +
    (same ? ', as the model would have' : `; the model would have chosen “${str(c.model)}”`);
}

function renderChoices(choices) {
  const items = choices.slice(-50).reverse().map((c) => el('li', {
    class: str(c.chosen) !== str(c.model) ? 'differs' : '', title: str(c.text) }, choiceText(c)));
  if (!items.length) items.push(el('li', { class: 'note' }, 'No decisions by players yet.'));
  $('choices').replaceChildren(...items);
}

// ---------------------------------------------------------------- countdowns

/** A countdown element; a shared timer updates every element of class "countdown". */
function countdown(remainingMs) {
  const e = el('span', { class: 'countdown', 'data-deadline': Date.now() + Math.max(0, remainingMs) });
  updateCountdown(e);
  return e;
}

function updateCountdown(e) {
  const left = Math.max(0, Number(e.dataset.deadline) - Date.now());
  e.textContent = left > 0 ? `${Math.ceil(left / 1000)} s left` : 'time is up';
  e.classList.toggle('urgent', left < 5000);
}

setInterval(() => document.querySelectorAll('.countdown').forEach(updateCountdown), 250);

// ---------------------------------------------------------------- student

function buildJoinStates(w) {
  const sel = $('join-state');
  const keep = sel.value;
  const opts = arr(w.states).map((s, i) => el('option', { value: i }, str(s && s.name)));
  sel.replaceChildren(el('option', { value: '' }, 'Any: the largest free state'), ...opts);
  sel.value = keep;
  const note = $('join-note');
  note.hidden = w.playable !== false;
  note.textContent = 'In this scenario you decide votes only (coalition moves need the utility rule).';
}

function onJoinSubmit(ev) {
  ev.preventDefault();
  const msg = { type: 'join', code: $('join-code-input').value.trim(), name: $('join-name').value.trim().slice(0, 40) };
  const st = $('join-state').value;
  if (st !== '') msg.state = Number(st);
  if (!msg.code || !msg.name) { showError('Enter the join code and your name.'); return; }
  S.lastJoin = msg;
  try { sessionStorage.setItem('minilat-join', JSON.stringify(msg)); } catch (e) { /* private mode */ }
  send(msg);
}

function onJoined(m) {
  S.joined = { name: str(m.name), state: m.state, state_name: str(m.state_name) };
  document.body.dataset.joined = '1';
  $('join-form').hidden = true;
  $('you').hidden = false;
  $('you-state').textContent = S.joined.state_name;
  $('you-name').textContent = `as ${S.joined.name}`;
  $('error').hidden = true;
  if (!S.question) renderIdleQuestion();
  queueRender();
}

function renderIdleQuestion() {
  const q = $('question');
  q.hidden = false;
  q.className = 'card idle';
  q.replaceChildren(el('p', { class: 'note' }, 'Waiting for your next decision. The world runs below.'));
}

/** A question: text, one big button per option, a countdown. */
function onQuestion(m) {
  S.question = m;
  const q = $('question');
  q.hidden = false;
  q.className = 'card open';
  q.dataset.id = str(m.id);
  const kind = m.kind === 'move' ? 'Coalition move' : m.kind === 'vote' ? 'Vote' : 'Decision';
  const buttons = arr(m.options).map((o, i) => {
    const b = el('button', { type: 'button', class: 'option', 'data-choice': i, 'aria-pressed': 'false' },
      el('span', { class: 'opt-label' }, str(o && o.label) || `Option ${i + 1}`),
      o && o.detail ? el('span', { class: 'opt-detail' }, str(o.detail)) : null);
    b.addEventListener('click', () => answer(i));
    return b;
  });
  q.replaceChildren(
    el('div', { class: 'q-head' }, el('span', null, `${kind} · tick ${num(m.tick)}`), countdown(num(m.remaining_ms))),
    el('p', { class: 'q-text' }, str(m.text)),
    el('div', { class: 'options' }, ...buttons),
    el('p', { class: 'q-foot note' }, 'If your team does not answer in time, the model decides.'));
  if (q.getBoundingClientRect().top < 0) q.scrollIntoView({ behavior: 'smooth' });
}

/** Sends the answer and marks the button (the answer can be changed until the question closes). */
function answer(i) {
  const m = S.question;
  if (!m) return;
  if (!send({ type: 'answer', id: m.id, choice: i })) return;
  for (const b of $('question').querySelectorAll('button.option')) {
    const on = Number(b.dataset.choice) === i;
    b.classList.toggle('chosen', on);
    b.setAttribute('aria-pressed', on ? 'true' : 'false');
  }
  $('question').querySelector('.q-foot').textContent = 'Answer sent. You can change it until time is up.';
}

/** The question closed: what was chosen, what the model chose, the outcome. */
function onClosed(m) {
  const q = $('question');
  if (S.question && m.id !== undefined && str(m.id) !== str(S.question.id)) return;
  const opts = arr(S.question && S.question.options);
  const label = (i) => (typeof i === 'number' ? str(opts[i] && opts[i].label) || `option ${i + 1}` : '');
  for (const b of q.querySelectorAll('button.option')) {
    b.disabled = true;
    b.classList.toggle('chosen', Number(b.dataset.choice) === m.chosen);
    b.classList.toggle('model', Number(b.dataset.choice) === m.model);
  }
  q.querySelector('.countdown')?.remove();
  let verdict;
  if (m.chosen === null || m.chosen === undefined) verdict = `No answer in time: the model decided (${label(m.model)}).`;
  else if (m.chosen === m.model) verdict = `Your team chose ${label(m.chosen)}, as the model would have.`;
  else verdict = `Your team chose ${label(m.chosen)}; the model would have chosen ${label(m.model)}.`;
  const foot = q.querySelector('.q-foot') || q.appendChild(el('p', { class: 'q-foot' }));
  foot.className = 'q-foot closed';
  foot.replaceChildren(el('strong', null, verdict), el('br'), str(m.outcome));
  q.className = 'card closed';
  S.question = null;
}

// ---------------------------------------------------------------- debrief

/** Puts #debrief in the class panel for the teacher, in the student column otherwise. */
function placeDebrief() {
  const d = $('debrief');
  (S.role === 'teacher' ? $('class') : $('student')).append(d);
}

function onDebrief(m) {
  const d = $('debrief');
  d.hidden = false;
  if (Array.isArray(m.rows)) {
    const rows = m.rows.map((r) => el('tr', null, el('td', null, `${str(r.player)} (${str(r.state_name)})`),
      el('td', { class: 'n' }, fmt(r.payoff)), el('td', { class: 'n' }, fmt(r.model_payoff)),
      el('td', { class: 'n' }, str(num(r.decisions))), el('td', { class: 'n' }, str(num(r.overruled))),
      el('td', { class: 'n' }, str(num(r.missed)))));
    const cols = [['Player (state)'], ['Payoff'], ['Model', "the model's agent in the same place"],
      ['Dec.', 'decisions taken'], ['Over.', 'answers unlike the model\'s choice'], ['Miss.', 'missed']];
    const head = el('tr', null, ...cols.map(([h, t], k) => el('th', { title: t, class: k > 0 ? 'n' : null }, h)));
    d.replaceChildren(el('h3', null, 'Debrief'), el('div', { class: 'scroll-x' }, el('table', { class: 'debrief-table' },
      el('thead', null, head), el('tbody', null, ...rows))));
    return;
  }
  const better = num(m.payoff) >= num(m.model_payoff);
  d.replaceChildren(
    el('h2', null, `Debrief: ${str(m.state_name)}`),
    el('div', { class: 'compare' },
      el('div', { class: better ? 'you good' : 'you' }, el('span', null, 'Your payoff'), el('strong', null, fmt(m.payoff))),
      el('div', { class: 'model' }, el('span', null, "The model's agent"), el('strong', null, fmt(m.model_payoff)))),
    el('p', null, `Rank ${num(m.rank)} of ${num(m.of)} states by payoff.`),
    el('p', null, `Decisions taken: ${num(m.decisions)} · overruled: ${num(m.overruled)} · missed: ${num(m.missed)}`),
    el('p', { class: 'debrief-text' }, str(m.text)));
  d.scrollIntoView({ behavior: 'smooth' });
}

// ---------------------------------------------------------------- start

function start() {
  wireControls();
  wireLog();
  $('join-form').addEventListener('submit', onJoinSubmit);
  try { // a reload keeps the student's name and code
    const j = JSON.parse(sessionStorage.getItem('minilat-join') || 'null');
    if (j) { $('join-code-input').value = str(j.code); $('join-name').value = str(j.name); }
  } catch (e) { /* ignore */ }
  const code = new URLSearchParams(location.search).get('code');
  if (code) $('join-code-input').value = code;
  renderSizes({});
  connect();
}

start();
