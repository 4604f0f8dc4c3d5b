// #/map?region=CODE&from=YYYY-MM&to=YYYY-MM — the supervisors' battle map (作战图):
// KPI tiles, a schematic grid of the child areas coloured by their worst light, the ranking
// (of the child areas, or of the categories: group_by=category), the monthly trend
// (hand-drawn SVG), CSV downloads, red and orange demands, and the queue of extension requests
// to decide; a link to the region's workload (工作量).

import { h, svg, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs, cached } from '../api.js';
import { link, go } from '../router.js';
import { num, pct, dec, dateTime, month, isMonth, daysPast } from '../format.js';
import {
  problemBox, showProblem, light, lightCounts, worstLight, entLabel, userLabel, categoryLabel,
  ticketList, pager, field, busy, notice, OPEN_STATUSES, lazyName, supervisedTag, csvLink,
} from '../ui.js';

function monthsBetween(from, to) {
  const [fy, fm] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  return (ty - fy) * 12 + (tm - fm) + 1;
}

function shiftMonth(m, delta) {
  let [y, mo] = m.split('-').map(Number);
  mo += delta;
  while (mo < 1) { mo += 12; y -= 1; }
  while (mo > 12) { mo -= 12; y += 1; }
  return `${y}-${String(mo).padStart(2, '0')}`;
}

export function mapView({ me, route }) {
  const q = route.query;
  const region = /^\d{6}$/.test(q.get('region') || '') ? q.get('region')
    : (me.role === 'supervisor' ? me.region_code : '');
  let from = isMonth(q.get('from')) ? q.get('from') : month(-11);
  let to = isMonth(q.get('to')) ? q.get('to') : month(0);
  if (from > to) [from, to] = [to, from];
  const here = (code) => link('/map', { region: code, from, to });
  const scope = region ? { region } : {};

  const title = h('h1', null, t('app.name'));
  const crumbs = h('nav', { class: 'breadcrumb', 'aria-label': t('map.breadcrumb') });
  const periodSlot = h('div', { class: 'problem-slot' });
  const kpis = h('div', { class: 'kpis', 'aria-live': 'polite' });
  const areas = h('div', { class: 'areas' }, h('p', { class: 'loading' }, t('app.loading')));
  const ranking = h('div', { class: 'ranking' });
  const trend = h('div', { class: 'trend' });
  const downloads = h('div', { class: 'downloads' });
  const red = h('div');
  const orange = h('div');
  const extensions = h('div');
  const areasHeading = h('h2', null, t('map.areas'));
  const areasHint = h('p', { class: 'hint' }, t('map.areas.hint'));
  const rankingSwitch = h('div', { class: 'toggle-group', id: 'ranking-switch', role: 'group', 'aria-label': t('map.group') });
  const rankingPanel = h('section', { class: 'panel', id: 'ranking' }, h('h2', null, t('map.ranking')), rankingSwitch, ranking);
  const areasRow = h('div', { class: 'grid-2 grid-even' },
    h('section', { class: 'panel' }, areasHeading, areasHint, areas), rankingPanel);

  const fromInput = h('input', { type: 'month', id: 'period-from', name: 'from', value: from, required: true });
  const toInput = h('input', { type: 'month', id: 'period-to', name: 'to', value: to, required: true });
  const periodForm = h('form', {
    class: 'period', onsubmit: (e) => { e.preventDefault(); applyPeriod(); },
  },
  h('fieldset', null,
    h('legend', null, t('map.period')),
    field(t('map.from'), fromInput),
    field(t('map.to'), toInput),
    h('button', { type: 'submit', class: 'btn btn-secondary' }, t('common.apply'))),
  periodSlot);
  function applyPeriod() {
    const f = fromInput.value;
    const tt = toInput.value;
    if (!isMonth(f) || !isMonth(tt)) return;
    if (f > tt) {
      replace(periodSlot, h('div', { class: 'problem', role: 'alert' }, h('p', { class: 'problem-title' }, t('map.period.bad'))));
      return;
    }
    go(link('/map', { region, from: f, to: tt }));
  }
  fromInput.addEventListener('change', applyPeriod);
  toInput.addEventListener('change', applyPeriod);

  const view = h('section', { class: 'map-view' },
    h('div', { class: 'page-head' },
      h('div', null, crumbs, title,
        h('p', { class: 'page-links' }, h('a', { id: 'workload-link', href: link('/workload', { region, from, to }) }, t('map.workload')))),
      periodForm),
    h('section', { class: 'panel', 'aria-labelledby': 'kpi-h' },
      h('h2', { id: 'kpi-h', class: 'visually-hidden' }, t('map.period')), kpis),
    areasRow,
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel' }, h('h2', null, t('map.trend')), trend),
      h('section', { class: 'panel' }, h('h2', null, t('map.downloads')), downloads)),
    h('section', { class: 'panel' }, h('h2', null, t('map.red')), red),
    h('section', { class: 'panel' }, h('h2', null, t('map.orange')), orange),
    h('section', { class: 'panel' }, h('h2', null, t('map.extensions')), extensions),
    h('section', { class: 'panel' }, h('h2', null, t('map.dispatch')),
      ticketList((cursor) => `/tickets${qs({ ...scope, status: 'submitted', sort: 'due', limit: 10, cursor })}`,
        { empty: t('map.dispatch.none') })));

  // The region's figures and its children.
  api(`/stats${qs({ ...scope, from, to })}`).then((report) => {
    const name = report.region.code === '000000' ? t('map.country') : report.region.name;
    title.textContent = t('map.title', { region: name });
    document.title = `${title.textContent} · ${t('app.name')}`;
    drawKpis(kpis, report.totals, null);
    const prevTo = shiftMonth(from, -1);
    const prevFrom = shiftMonth(from, -monthsBetween(from, to));
    api(`/stats${qs({ ...scope, from: prevFrom, to: prevTo })}`)
      .then((prev) => drawKpis(kpis, report.totals, prev.totals)).catch(() => {});
    // The ranking's rows: the child areas, or the categories (the same totals split by category,
    // loaded at the first switch); the map itself stays by area.
    let shown = null;
    let categories = null;
    const show = (group) => {
      shown = group;
      for (const b of rankingSwitch.children) b.setAttribute('aria-pressed', String(b.dataset.groupBy === group));
      if (group === 'region') {
        replace(ranking, rankingTable(report.children, 'region', here));
        return;
      }
      replace(ranking, h('p', { class: 'loading' }, t('app.loading')));
      categories ||= api(`/stats${qs({ ...scope, from, to, group_by: 'category' })}`);
      categories.then((r) => { if (shown === 'category') replace(ranking, rankingTable(r.children, 'category', here)); })
        .catch((err) => { if (shown === 'category') replace(ranking, problemBox(err)); });
    };
    if (report.children.length === 0 || report.region.level === 'county') {
      // A county is the deepest level: its view lists its open demands instead of areas, and
      // ranks its categories below them.
      areasHeading.textContent = t('map.county.tickets');
      areasHint.textContent = t('queue.count');
      areasRow.classList.add('single');
      areasRow.after(rankingPanel);
      rankingSwitch.remove();
      replace(areas, ticketList(
        (cursor) => `/tickets${qs({ region: report.region.code, status: OPEN_STATUSES.join(','), sort: 'due', limit: 50, cursor })}`,
        {}));
      show('category');
    } else {
      replace(areas, areaGrid(report.children, here));
      replace(rankingSwitch, ['region', 'category'].map((group) => h('button', {
        type: 'button', class: 'btn btn-toggle', 'data-group-by': group, onclick: () => show(group),
      }, t(`map.group.${group}`))));
      show('region');
    }
    if (!region || report.region.code === '000000') drawCrumbs(crumbs, [], me, here);
  }).catch((err) => {
    replace(kpis, problemBox(err));
    areas.replaceChildren();
  });

  if (region) {
    api(`/regions/${region}`).then((r) => drawCrumbs(crumbs, [...r.ancestors, r], me, here))
      .catch(() => drawCrumbs(crumbs, [], me, here));
  }

  api(`/stats/trend${qs({ ...scope, from, to })}`)
    .then((tr) => replace(trend, trendChart(tr.months)))
    .catch((err) => replace(trend, problemBox(err)));

  const code = region || 'all';
  replace(downloads, h('ul', { class: 'download-list' },
    h('li', null, csvLink(t('map.csv.stats'), `/stats${qs({ ...scope, from, to })}`, `stats-${code}-${from}-${to}.csv`)),
    h('li', null, csvLink(t('map.csv.categories'), `/stats${qs({ ...scope, from, to, group_by: 'category' })}`, `stats-by-category-${code}-${from}-${to}.csv`)),
    h('li', null, csvLink(t('map.csv.trend'), `/stats/trend${qs({ ...scope, from, to })}`, `trend-${code}-${from}-${to}.csv`)),
    h('li', null, csvLink(t('map.csv.monthly', { month: month(-1) }), `/stats/monthly${qs({ ...scope, month: month(-1) })}`, `monthly-${code}-${month(-1)}.csv`))));

  replace(red, warningTable('red', scope));
  replace(orange, warningTable('orange', scope));
  replace(extensions, extensionQueue(scope));

  return view;
}

function drawCrumbs(nav, chain, me, here) {
  const items = [];
  if (me.role === 'admin') chain = [{ code: '', name: t('map.country') }, ...chain];
  if (chain.length === 0) chain = [{ code: '', name: t('map.country') }];
  // A supervisor cannot open regions above their own: those crumbs are plain text.
  const ownAt = me.role === 'admin' ? 0 : chain.findIndex((r) => r.code === me.region_code);
  chain.forEach((r, i) => {
    const last = i === chain.length - 1;
    let el;
    if (last) el = h('span', { 'aria-current': 'page', class: 'crumb-current' }, r.name);
    else if (ownAt >= 0 && i >= ownAt) el = h('a', { href: here(r.code), 'data-region': r.code || '000000' }, r.name);
    else el = h('span', { class: 'crumb-out' }, r.name);
    items.push(h('li', null, el));
  });
  replace(nav, h('ol', null, items));
}

function delta(cur, prev, kind) {
  if (prev === null || prev === undefined || cur === null || cur === undefined) return null;
  if (kind === 'count') {
    if (prev === 0) return null;
    const d = (cur - prev) / prev;
    return `${d >= 0 ? '+' : ''}${dec(d * 100)}%`;
  }
  if (kind === 'rate') {
    const d = (cur - prev) * 100;
    return `${d >= 0 ? '+' : ''}${dec(d)}`;
  }
  const d = cur - prev;
  return `${d >= 0 ? '+' : ''}${dec(d)}`;
}

function drawKpis(el, f, prev) {
  const valid = f.filed - f.withdrawn;
  const tile = (key, value, sub, kind) => {
    const vs = prev ? delta(f[key], prev[key], kind) : null;
    return h('div', { class: 'kpi', 'data-kpi': key },
      h('p', { class: 'kpi-label' }, t(`kpi.${key}`)),
      h('p', { class: 'kpi-value' }, value),
      sub ? h('p', { class: 'kpi-sub' }, sub) : null,
      vs ? h('p', { class: 'kpi-vs' }, t('kpi.vs', { delta: vs })) : null);
  };
  replace(el,
    tile('filed', num(f.filed), null, 'count'),
    tile('completion_rate', pct(f.completion_rate), t('kpi.closed.of', { closed: num(f.closed), valid: num(valid) }), 'rate'),
    tile('on_time_rate', pct(f.on_time_rate), null, 'rate'),
    tile('accepted_on_time_rate', pct(f.accepted_on_time_rate), null, 'rate'),
    tile('satisfaction_avg', dec(f.satisfaction_avg), t('kpi.satisfaction.of'), 'score'),
    h('div', { class: `kpi kpi-open worst-${worstLight(f.warnings) || 'none'}`, 'data-kpi': 'open' },
      h('p', { class: 'kpi-label' }, t('kpi.open')),
      h('p', { class: 'kpi-value' }, num(f.open)),
      h('p', { class: 'kpi-sub' }, lightCounts(f.warnings, { showZero: true })),
      h('p', { class: 'kpi-sub' }, t('kpi.resolved', { n: num(f.resolved) }))));
}

function areaGrid(children, here) {
  const rows = [...children].sort((a, b) => a.region.code.localeCompare(b.region.code));
  return h('div', { class: 'area-grid' }, rows.map((row) => {
    const worst = worstLight(row.warnings);
    return h('button', {
      type: 'button', class: `area-tile worst-${worst || 'none'}`, 'data-region': row.region.code,
      title: `${row.region.name} · ${t('map.area.completion', { r: pct(row.completion_rate) })}`,
      onclick: () => go(here(row.region.code)),
    },
    h('span', { class: 'area-name' }, row.region.name),
    h('span', { class: 'area-rate' }, t('map.area.completion', { r: pct(row.completion_rate) })),
    worst ? lightCounts(row.warnings) : h('span', { class: 'chips' }, h('span', { class: 'chip chip-none' }, t('map.area.clear'))),
    h('span', { class: 'area-meta' }, `${t('map.area.filed', { n: num(row.filed) })} · ${t('map.area.open', { n: num(row.open) })}`));
  }));
}

/**
 * The child rows ranked by completion rate or satisfaction: `kind` 'region' (each links its
 * own map; the last fifth flagged 末位) or 'category'.
 */
function rankingTable(children, kind, here) {
  if (children.length === 0) return h('p', { class: 'empty' }, t('common.none'));
  let by = 'completion_rate';
  const body = h('tbody');
  const caption = h('caption', null, t(kind === 'region' ? 'map.ranking.caption' : 'map.ranking.caption.category'));
  const buttons = ['completion_rate', 'satisfaction_avg'].map((key) => h('button', {
    type: 'button', class: 'btn btn-toggle', 'aria-pressed': key === by ? 'true' : 'false',
    onclick: (e) => {
      by = key;
      for (const b of buttons) b.setAttribute('aria-pressed', b === e.currentTarget ? 'true' : 'false');
      fill();
    },
  }, t(`col.${key}`)));
  function fill() {
    const rows = [...children].sort((a, b) => {
      const x = a[by]; const y = b[by];
      if (x === null && y === null) return b.filed - a.filed;
      if (x === null) return 1;
      if (y === null) return -1;
      return y - x || b.filed - a.filed;
    });
    const flagged = kind === 'region' && rows.length >= 5 ? Math.max(1, Math.floor(rows.length / 5)) : 0;
    replace(body, rows.map((row, i) => {
      const laggard = i >= rows.length - flagged && row[by] !== null;
      return h('tr', {
        class: `ranking-row${laggard ? ' laggard' : ''}`,
        'data-region': row.region?.code, 'data-category': row.category?.code,
      },
        h('td', { class: 'num' }, i + 1),
        h('th', { scope: 'row' }, kind === 'region' ? h('a', { href: here(row.region.code) }, row.region.name) : row.category.name,
          laggard ? h('span', { class: 'tag tag-laggard' }, '末位') : null),
        h('td', { class: 'num' }, num(row.filed)),
        h('td', { class: 'num' }, pct(row.completion_rate)),
        h('td', { class: 'num' }, pct(row.on_time_rate)),
        h('td', { class: 'num' }, dec(row.satisfaction_avg)),
        h('td', null, lightCounts(row.warnings)));
    }));
  }
  fill();
  return h('div', null,
    h('div', { class: 'toggle-group', role: 'group', 'aria-label': t('map.ranking') }, buttons),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data' }, caption,
        h('thead', null, h('tr', null,
          h('th', { scope: 'col', class: 'num' }, t('col.rank')),
          h('th', { scope: 'col' }, t(kind === 'region' ? 'col.region' : 'col.category')),
          h('th', { scope: 'col', class: 'num' }, t('col.filed')),
          h('th', { scope: 'col', class: 'num' }, t('col.completion_rate')),
          h('th', { scope: 'col', class: 'num' }, t('col.on_time_rate')),
          h('th', { scope: 'col', class: 'num' }, t('col.satisfaction_avg')),
          h('th', { scope: 'col' }, t('col.lights')))),
        body)));
}

/** The monthly trend: filed and closed as two lines, hand-drawn in SVG. */
function trendChart(months) {
  if (!months.length) return h('p', { class: 'empty' }, t('common.none'));
  const W = 640; const H = 240; const L = 48; const R = 16; const T = 16; const B = 36;
  const max = Math.max(4, ...months.map((m) => Math.max(m.filed, m.closed)));
  // Four grid steps of a round size (1, 2, 2.5 or 5 times a power of ten).
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((k) => k * mag).find((v) => v >= raw && Number.isInteger(v)) || Math.ceil(raw);
  const top = step * 4;
  const x = (i) => L + (months.length === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (months.length - 1));
  const y = (v) => T + (H - T - B) * (1 - v / top);
  const chart = svg('svg', {
    viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': t('map.trend.aria'),
  }, svg('title', null, t('map.trend.aria')));
  for (let k = 0; k <= 4; k++) {
    const v = (top * k) / 4;
    chart.append(svg('line', { x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid-line' }));
    chart.append(svg('text', { x: L - 6, y: y(v) + 4, class: 'axis-label', 'text-anchor': 'end' }, num(Math.round(v))));
  }
  const every = Math.ceil(months.length / 12);
  months.forEach((m, i) => {
    if (i % every === 0 || i === months.length - 1) {
      chart.append(svg('text', { x: x(i), y: H - B + 18, class: 'axis-label', 'text-anchor': 'middle' },
        months.length > 12 || m.month.endsWith('-01') || i === 0 ? m.month : m.month.slice(5)));
    }
  });
  for (const key of ['filed', 'closed']) {
    const d = months.map((m, i) => `${i ? 'L' : 'M'}${x(i).toFixed(1)},${y(m[key]).toFixed(1)}`).join(' ');
    chart.append(svg('path', { d, class: `series series-${key}` }));
    months.forEach((m, i) => {
      chart.append(svg('circle', { cx: x(i), cy: y(m[key]), r: 3.5, class: `dot dot-${key}` },
        svg('title', null, `${m.month} · ${t('map.trend.filed')} ${num(m.filed)} · ${t('map.trend.closed')} ${num(m.closed)} · ${t('kpi.completion_rate')} ${pct(m.completion_rate)}`)));
    });
  }
  return h('figure', { class: 'chart-figure' }, chart,
    h('figcaption', { class: 'legend' },
      h('span', { class: 'legend-item legend-filed' }, t('map.trend.filed')),
      h('span', { class: 'legend-item legend-closed' }, t('map.trend.closed'))));
}

/** The region's red (or orange) open demands, oldest due first, 10 at a time (each row names its enterprise and assignee). */
function warningTable(colour, scope) {
  const body = h('tbody');
  const more = h('div', { class: 'more' });
  const slot = h('div');
  const table = h('table', { class: 'data wide' },
    h('caption', { class: 'visually-hidden' }, t(`map.${colour}`)),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, t('col.light')),
      h('th', { scope: 'col' }, t('col.title')),
      h('th', { scope: 'col' }, t('col.enterprise')),
      h('th', { scope: 'col' }, t('col.category')),
      h('th', { scope: 'col', class: 'num' }, t('col.overdue')),
      h('th', { scope: 'col' }, t('col.due')),
      h('th', { scope: 'col' }, t('col.assignee')),
      h('th', { scope: 'col' }, t('col.level')))),
    body);
  const wrap = h('div', null, slot, h('div', { class: 'table-wrap' }, table), more);
  pager({
    path: (cursor) => `/tickets${qs({ ...scope, warning: colour, sort: 'due', limit: 10, cursor })}`,
    slot, more,
    draw: (items) => {
      for (const tk of items) {
        const late = daysPast(tk.due_at);
        body.append(h('tr', { class: `row-${colour}`, 'data-id': tk.id },
          h('td', null, light(tk.warning || colour)),
          h('td', null, h('a', { href: `#/ticket/${tk.id}` }, tk.title), h('span', { class: 'muted' }, ` #${tk.id}`), tk.supervised ? supervisedTag() : null),
          h('td', null, entLabel(tk.enterprise_id)),
          h('td', null, categoryLabel(tk.category)),
          h('td', { class: 'num' }, late !== null && late > 0 ? num(late) : '<1'),
          h('td', { class: 'nowrap' }, dateTime(tk.due_at)),
          h('td', null, userLabel(tk.assignee_id)),
          h('td', null, t(`level.${tk.level}`))));
      }
    },
    onEmpty: () => wrap.replaceChildren(h('p', { class: 'empty' }, t('common.none'))),
  });
  return wrap;
}

export function ticketTitle(id) {
  return lazyName(() => cached(`ticket-title:${id}`, async () => (await api(`/tickets/${id}`)).title), `#${id}`);
}

/** Extension requests waiting for this supervisor: approve, or reject with a comment. */
export function extensionQueue(scope) {
  const wrap = h('div', null, h('p', { class: 'loading' }, t('app.loading')));
  api(`/extensions${qs({ status: 'pending', ...scope, limit: 20 })}`).then((page) => {
    if (page.items.length === 0) {
      replace(wrap, h('p', { class: 'empty' }, t('map.extensions.none')));
      return;
    }
    const body = h('tbody', null, page.items.map(extensionRow));
    replace(wrap, h('div', { class: 'table-wrap' }, h('table', { class: 'data wide' },
      h('caption', { class: 'visually-hidden' }, t('map.extensions')),
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, t('col.ticket')),
        h('th', { scope: 'col', class: 'num' }, t('col.days')),
        h('th', { scope: 'col' }, t('col.reason')),
        h('th', { scope: 'col' }, t('col.assignee')),
        h('th', { scope: 'col' }, t('col.requested_at')),
        h('th', { scope: 'col' }, t('col.actions')))),
      body)));
  }).catch((err) => replace(wrap, problemBox(err)));
  return wrap;
}

/** Approve / reject buttons for a pending extension; `onDone(status)` after a decision. */
export function extensionActions(ext, onDone) {
  const actions = h('div', { class: 'ext-actions' });
  const base = `/tickets/${ext.ticket_id}/extensions/${ext.id}`;
  const done = (status) => {
    replace(actions, notice(t(status === 'approved' ? 'ext.approved' : 'ext.rejected')));
    if (onDone) onDone(status);
  };
  function buttons() {
    const slot = h('div', { class: 'problem-slot' });
    replace(actions,
      h('div', { class: 'btn-row' },
        h('button', {
          type: 'button', class: 'btn btn-primary', 'data-action': 'approve-extension', 'data-id': ext.id,
          onclick: async () => {
            try {
              await busy(actions, () => api(`${base}/approve`, { method: 'POST', body: {} }));
              done('approved');
            } catch (err) { showProblem(slot, err); }
          },
        }, t('ext.approve')),
        h('button', {
          type: 'button', class: 'btn btn-danger', 'data-action': 'reject-extension', 'data-id': ext.id,
          onclick: rejectForm,
        }, t('ext.reject'))),
      slot);
  }
  function rejectForm() {
    const slot = h('div', { class: 'problem-slot' });
    const comment = h('textarea', { name: 'comment', rows: 2, required: true });
    const form = h('form', {
      class: 'reject-form stack',
      onsubmit: async (e) => {
        e.preventDefault();
        if (!comment.value.trim()) { comment.focus(); return; }
        try {
          await busy(form, () => api(`${base}/reject`, { method: 'POST', body: { comment: comment.value.trim() } }));
          done('rejected');
        } catch (err) { showProblem(slot, err); }
      },
    },
    field(t('ext.reject.comment'), comment),
    slot,
    h('div', { class: 'btn-row' },
      h('button', { type: 'submit', class: 'btn btn-danger' }, t('ext.reject.submit')),
      h('button', { type: 'button', class: 'btn btn-secondary', onclick: buttons }, t('common.cancel'))));
    replace(actions, form);
    comment.focus();
  }
  buttons();
  return actions;
}

export function extensionRow(ext) {
  return h('tr', { 'data-id': ext.id },
    h('td', null, h('a', { href: `#/ticket/${ext.ticket_id}` }, ticketTitle(ext.ticket_id))),
    h('td', { class: 'num' }, num(ext.working_days)),
    h('td', { class: 'reason' }, ext.reason),
    h('td', null, userLabel(ext.requested_by)),
    h('td', { class: 'nowrap' }, dateTime(ext.requested_at)),
    h('td', { class: 'actions' }, extensionActions(ext)));
}
