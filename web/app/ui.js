// Pieces shared by the views: problem boxes, the three lights, ticket rows, names beside ids.

import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { api, cached, prime, download, ApiError } from './api.js';
import { dateTime } from './format.js';

/** A readable problem: [role=alert].problem with the title, the detail and each bad field. */
export function problemBox(err) {
  const status = err instanceof ApiError ? err.status : -1;
  let title;
  if (status === 0) title = t('problem.network');
  else if (status > 0) title = t(`problem.${status}`) !== `problem.${status}` ? t(`problem.${status}`) : (err.title || t('problem.generic'));
  else title = t('problem.generic');
  const detail = status === 0 ? '' : (err.detail || (status < 0 ? String(err.message || '') : ''));
  return h('div', { class: 'problem', role: 'alert' },
    h('p', { class: 'problem-title' }, title),
    detail && detail !== title ? h('p', { class: 'problem-detail' }, detail) : null,
    err.errors && err.errors.length
      ? h('ul', { class: 'problem-errors' },
        err.errors.map((e) => h('li', null, h('code', null, e.field), t('colon'), e.message)))
      : null);
}

/** Put a problem (or nothing) into a slot element. */
export function showProblem(slot, err) {
  if (err) replace(slot, problemBox(err));
  else slot.replaceChildren();
}

export function notice(text) {
  return h('p', { class: 'notice', role: 'status' }, text);
}

export const LIGHTS = ['red', 'orange', 'yellow'];

/** A light badge readable without colour: "● 红灯" with the meaning as a tooltip. */
export function light(warning) {
  if (!warning) return h('span', { class: 'light light-none' }, t('light.none'));
  return h('span', { class: `light light-${warning}`, title: t(`light.${warning}.meaning`) },
    h('span', { class: 'light-dot', 'aria-hidden': 'true' }),
    t(`light.${warning}`));
}

/** Red/orange/yellow counts as small labelled chips. */
export function lightCounts(w, { showZero = false } = {}) {
  const chips = LIGHTS.filter((c) => showZero || (w && w[c] > 0)).map((c) =>
    h('span', { class: `chip chip-${c}`, title: t(`light.${c}.meaning`) },
      h('span', { class: 'light-dot', 'aria-hidden': 'true' }),
      `${t(`light.${c}`)} ${Number(w?.[c] || 0).toLocaleString('zh-CN')}`));
  return h('span', { class: 'chips' }, chips);
}

export function worstLight(w) {
  if (!w) return null;
  return LIGHTS.find((c) => w[c] > 0) || null;
}

export function statusLabel(status) {
  return h('span', { class: `status status-${status}` }, t(`status.${status}`));
}

/** The 督办 badge of a ticket with an open supervision order. */
export function supervisedTag() {
  return h('span', { class: 'tag tag-supervised', title: t('supervised.meaning') }, t('supervised'));
}

/**
 * The level of a region by its GB/T 2260 code: xx0000 a province, xxyy00 a city, else a
 * county (a supervisor's or a cadre's region is never a heading such as 419000).
 */
export function regionLevel(code) {
  if (!code) return null;
  if (code.endsWith('0000')) return 'province';
  return code.endsWith('00') ? 'city' : 'county';
}

/** Whether region `outer` holds region `inner` (itself included), by their codes. */
export function holds(outer, inner) {
  const level = regionLevel(outer);
  const digits = level === 'province' ? 2 : level === 'city' ? 4 : 6;
  return !!inner && outer.slice(0, digits) === inner.slice(0, digits);
}

export const LEVELS = ['province', 'city', 'county'];

/** A region's name, looked up once (its code until then). */
export function regionLabel(code) {
  return lazyName(() => cached(`region:${code}`, async () => (await api(`/regions/${code}`)).name), code);
}

export const OPEN_STATUSES = ['submitted', 'assigned', 'in_progress', 'awaiting_enterprise'];

/** The clock due next for an open ticket: [clockName, iso] or null. */
export function nextClock(tk) {
  if (tk.status === 'assigned' || tk.status === 'submitted') return ['accept', tk.response_due_at];
  if (tk.status === 'in_progress') {
    if (tk.feedback_due_at && tk.feedback_due_at < tk.due_at) return ['feedback', tk.feedback_due_at];
    return ['resolve', tk.due_at];
  }
  return null;
}

// Names beside ids. The API gives ids; these look the names up once and cache them.
export function categoryNames() {
  return cached('categories', async () => {
    const page = await api('/categories?limit=200');
    return new Map(page.items.map((c) => [c.code, c]));
  });
}

// One list call names most of what a user sees (a cadre's paired enterprises, an enterprise's
// own, a county's; a supervisor's cadres), so the rows need few look-ups one by one.
let preloaded = null;
function preload() {
  if (!preloaded) {
    const calls = [api('/enterprises?limit=200').then((page) => {
      for (const e of page.items) prime(`ent:${e.id}`, e.name);
    })];
    if (viewer && (viewer.role === 'supervisor' || viewer.role === 'admin')) {
      calls.push(api(`/users${viewer.region_code ? `?role=cadre&region=${viewer.region_code}&limit=200` : '?role=cadre&limit=200'}`)
        .then((page) => { for (const u of page.items) prime(`user:${u.id}`, personName(u)); }));
    }
    preloaded = Promise.all(calls.map((c) => c.catch(() => {})));
  }
  return preloaded;
}

function personName(u) {
  return `${u.display_name || u.username}${u.department && u.role === 'cadre' ? ` · ${u.department}` : ''}`;
}

export function enterpriseName(id) {
  return preload().then(() => cached(`ent:${id}`, async () => (await api(`/enterprises/${id}`)).name));
}

let viewer = null;
/** Who is looking: enterprise staff cannot read users, but may read their enterprise's cadres. */
export function setViewer(me) {
  viewer = me;
  preloaded = null;
}

function pairedCadres() {
  return cached(`paired:${viewer.enterprise_id}`, async () => {
    const list = await api(`/enterprises/${viewer.enterprise_id}/cadres`);
    return new Map(list.items.map((c) => [c.user_id, c]));
  });
}

export function userName(id) {
  return preload().then(() => cached(`user:${id}`, async () => {
    if (viewer && viewer.role === 'enterprise') {
      if (id === viewer.id) return viewer.display_name || viewer.username;
      const c = (await pairedCadres().catch(() => new Map())).get(id);
      if (c) return `${c.display_name || ''}${c.department ? ` · ${c.department}` : ''}`;
      return null;
    }
    return personName(await api(`/users/${id}`));
  }));
}

/** A span that shows a fallback now and the looked-up name when it arrives. */
export function lazyName(promiseFn, fallback) {
  const span = h('span', { class: 'lazy-name' }, fallback);
  promiseFn().then((name) => { if (name) span.textContent = name; }).catch(() => {});
  return span;
}

export function entLabel(id) {
  return lazyName(() => enterpriseName(id), t('ent.n', { id }));
}

export function userLabel(id) {
  if (id === null || id === undefined) return h('span', { class: 'muted' }, t('ticket.unassigned'));
  return lazyName(() => userName(id), t('user.n', { id }));
}

export function categoryLabel(code) {
  return lazyName(async () => (await categoryNames()).get(code)?.name, code);
}

/** One ticket as a row of a list: li.ticket-row[data-id] with its light, link, status and next clock. */
export function ticketRow(tk, { showEnterprise = true } = {}) {
  const clock = nextClock(tk);
  return h('li', { class: `ticket-row${tk.warning ? ` row-${tk.warning}` : ''}`, 'data-id': tk.id },
    h('div', { class: 'ticket-row-light' }, OPEN_STATUSES.includes(tk.status) ? light(tk.warning) : null),
    h('div', { class: 'ticket-row-main' },
      h('a', { href: `#/ticket/${tk.id}`, class: 'ticket-link' }, tk.title),
      h('div', { class: 'ticket-row-meta' },
        h('span', { class: 'muted' }, `#${tk.id}`),
        showEnterprise ? entLabel(tk.enterprise_id) : null,
        categoryLabel(tk.category),
        tk.priority === 'urgent' ? h('span', { class: 'tag tag-urgent' }, t('priority.urgent')) : null,
        tk.supervised ? supervisedTag() : null)),
    h('div', { class: 'ticket-row-side' },
      statusLabel(tk.status),
      h('span', { class: 'due' },
        tk.status === 'awaiting_enterprise'
          ? t('clock.waiting')
          : clock ? t('clock.due', { clock: t(`clock.${clock[0]}`), time: dateTime(clock[1]) }) : dateTime(tk.closed_at || tk.resolved_at || tk.updated_at))));
}

/**
 * A paged ticket list: ol.ticket-list with li.ticket-row, a "load more" button while the API
 * has a next_cursor. `path(cursor)` builds the request path.
 */
export function ticketList(path, { empty, showEnterprise = true } = {}) {
  const list = h('ol', { class: 'ticket-list' });
  const more = h('div', { class: 'more' });
  const slot = h('div');
  const wrap = h('div', { class: 'ticket-list-wrap' }, slot, list, more);
  pager({
    path, slot, more,
    draw: (items) => { for (const tk of items) list.append(ticketRow(tk, { showEnterprise })); },
    onEmpty: () => list.replaceWith(h('p', { class: 'empty' }, empty || t('queue.empty'))),
  });
  return wrap;
}

/**
 * Loads pages of `path(cursor)`: `draw(items)` shows each, `onEmpty()` runs when nothing was
 * drawn and no page is left, a "load more" button goes in `more` while the API has a next_cursor, and a problem
 * goes in `slot`.
 */
export function pager({ path, draw, onEmpty, slot, more }) {
  async function load(cursor) {
    try {
      const page = await api(path(cursor));
      draw(page.items);
      if (!cursor && page.items.length === 0) onEmpty();
      more.replaceChildren();
      if (page.next_cursor) {
        more.append(h('button', {
          type: 'button', class: 'btn btn-secondary',
          onclick: (e) => { e.currentTarget.disabled = true; load(page.next_cursor); },
        }, t('common.more')));
      }
    } catch (err) {
      showProblem(slot, err);
    }
  }
  load(null);
}

/**
 * A CSV download: a.csv-download (plus `attrs`) that fetches `path` with the token and saves it
 * as `filename`, and a slot beside it for a problem.
 */
export function csvLink(label, path, filename, attrs = {}) {
  const slot = h('span', { class: 'problem-slot' });
  const a = h('a', {
    ...attrs, href: `/api/v1${path}`, class: `csv-download${attrs.class ? ` ${attrs.class}` : ''}`, download: filename,
    onclick: async (e) => {
      e.preventDefault();
      showProblem(slot, null);
      try { await download(path, filename); } catch (err) { showProblem(slot, err); }
    },
  }, label);
  return [a, slot];
}

/** A labelled form field. */
let fieldSeq = 0;
export function field(label, control, hint) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  let hintEl = null;
  if (hint) {
    hintEl = h('p', { class: 'hint', id: `${id}-hint` }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
  }
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

/** Disable a form's controls while a request runs. */
export async function busy(form, fn) {
  const controls = [...form.querySelectorAll('button, input, select, textarea')];
  const wasDisabled = controls.map((c) => c.disabled);
  controls.forEach((c) => { c.disabled = true; });
  try {
    return await fn();
  } finally {
    controls.forEach((c, i) => { c.disabled = wasDisabled[i]; });
  }
}

// Pieces of the management pages (users, enterprises, clients, categories, calendar, imports).

/** A labelled checkbox: div.check with the input first. */
export function checkField(label, control) {
  const id = control.id || `f${++fieldSeq}`;
  control.id = id;
  return h('div', { class: 'check' }, control, h('label', { for: id }, label));
}

/** A table of data: div.table-wrap > table.data with a caption, a header row and the given tbody. */
export function dataTable(caption, columns, tbody, { wide = false } = {}) {
  // A wide table scrolls sideways on a phone: the scrolling box takes the focus so a keyboard can scroll it.
  return h('div', { class: 'table-wrap', tabindex: wide ? 0 : null, role: wide ? 'group' : null, 'aria-label': wide ? (caption || null) : null },
    h('table', { class: `data${wide ? ' wide' : ''}` },
      caption ? h('caption', null, caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h('th', { scope: 'col' }, c)))),
      tbody));
}

/**
 * A paged table body: rows appended per page, a "load more" button while the API has a
 * next_cursor. `path(cursor)` builds the request; `row(item)` draws one tr.
 */
export function pagedTable(caption, columns, path, row, { wide = false, empty } = {}) {
  const body = h('tbody');
  const slot = h('div', { class: 'problem-slot' });
  const more = h('div', { class: 'more' });
  const table = dataTable(caption, columns, body, { wide });
  const wrap = h('div', null, slot, table, more);
  pager({
    path, slot, more,
    draw: (items) => { for (const item of items) body.append(row(item)); },
    onEmpty: () => table.replaceWith(h('p', { class: 'empty' }, empty || t('common.none'))),
  });
  return wrap;
}

/** Yes / no as text (never colour alone). */
export function activeLabel(active) {
  return h('span', { class: `status ${active ? 'status-active' : 'status-inactive'}` }, t(active ? 'common.active' : 'common.inactive'));
}

/** A trimmed text value, or null when empty (the API keeps absent optional fields). */
export function val(input) {
  const v = input.value.trim();
  return v === '' ? null : v;
}
