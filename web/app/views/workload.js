// #/workload?region=CODE&from=YYYY-MM&to=YYYY-MM&department=ID — admins and supervisors: who
// carries how much (工作量, SPEC section 10; GET /stats/workload), one row per department of
// the region's rosters and one per cadre, sortable, with the CSV of each. Open, orange, red and
// assisting are a snapshot of now; resolutions, their mean hours and satisfaction count the
// demands filed in the period.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs } from '../api.js';
import { link, go } from '../router.js';
import { num, dec, month, isMonth } from '../format.js';
import { field, problemBox, csvLink, lightCounts, regionLabel } from '../ui.js';

/** Rows drawn at a time (a province has hundreds of cadres and departments). */
const PAGE = 50;
/** The department filter lists at most this many pages of 200 (then the table's links filter). */
const DEPARTMENT_PAGES = 10;

/** The figures' columns, after what a row is about. */
const FIGURES = ['open', 'orange', 'red', 'resolved', 'avg_resolution_hours', 'satisfaction_avg', 'assisting'];

export function workloadView({ me, route }) {
  const q = route.query;
  const region = /^\d{6}$/.test(q.get('region') || '') ? q.get('region')
    : (me.role === 'supervisor' ? me.region_code : '');
  let from = isMonth(q.get('from')) ? q.get('from') : month(-11);
  let to = isMonth(q.get('to')) ? q.get('to') : month(0);
  if (from > to) [from, to] = [to, from];
  const department = /^\d+$/.test(q.get('department') || '') ? q.get('department') : '';
  const scope = { region, from, to, department };

  const regionInput = h('input', { type: 'text', id: 'workload-region', name: 'region', inputmode: 'numeric', pattern: '\\d{6}', value: region });
  const fromInput = h('input', { type: 'month', id: 'workload-from', name: 'from', value: from, required: true });
  const toInput = h('input', { type: 'month', id: 'workload-to', name: 'to', value: to, required: true });
  const deptSelect = h('select', { id: 'workload-department', name: 'department' },
    h('option', { value: '' }, t('wl.department.all')));
  const filters = h('form', {
    id: 'workload-filters', class: 'filters filter-row',
    onsubmit: (e) => {
      e.preventDefault();
      if (!filters.reportValidity()) return;
      const r = regionInput.value.trim();
      // A department belongs to one region: another region starts from all its departments.
      go(link('/workload', {
        region: r, from: fromInput.value, to: toInput.value, department: r === region ? deptSelect.value : '',
      }));
    },
  },
  field(t('ov.region'), regionInput), field(t('map.from'), fromInput), field(t('map.to'), toInput),
  field(t('wl.department'), deptSelect),
  h('button', { type: 'submit', class: 'btn btn-secondary' }, t('common.apply')));
  deptSelect.addEventListener('change', () => filters.requestSubmit());
  departmentOptions(deptSelect, region, department);

  const title = h('h1', null, t('wl.title'));
  const out = h('div', null, h('p', { class: 'loading' }, t('app.loading')));
  const view = h('section', { class: 'workload-view', id: 'workload' },
    h('div', { class: 'page-head' },
      h('div', null, title,
        h('p', { class: 'page-links' },
          h('a', { id: 'workload-map-link', href: link('/map', { region, from, to }) }, t('wl.map')))),
      filters),
    h('p', { class: 'hint' }, t('wl.lead')),
    out);

  api(`/stats/workload${qs(scope)}`).then((report) => {
    const name = report.region.code === '000000' ? t('map.country') : report.region.name;
    title.textContent = t('wl.title.of', { region: name });
    document.title = `${title.textContent} · ${t('app.name')}`;
    view.dataset.region = report.region.code;
    if (report.department !== null) view.dataset.department = report.department;
    const code = report.region.code;
    const csv = (rows) => csvLink(t(`wl.csv.${rows}`),
      `/stats/workload${qs({ ...scope, rows })}`,
      `workload-${rows}-${code}${department ? `-${department}` : ''}-${from}-${to}.csv`,
      { class: 'workload-csv', 'data-rows': rows });
    // Departments without a member in the report carry nothing: listed only on request.
    const departments = h('div');
    const drawDepartments = (all) => {
      const rows = all ? report.departments : report.departments.filter((d) => d.cadres > 0);
      const hidden = report.departments.length - rows.length;
      replace(departments,
        sortableTable({
          caption: t('wl.departments.caption'),
          empty: t('wl.departments.none'),
          rows,
          columns: [
            { key: 'name', label: t('wl.col.department'), text: (d) => d.name },
            { key: 'region_code', label: t('wl.col.region'), text: (d) => d.region_code },
            { key: 'cadres', label: t('wl.col.cadres') },
            ...FIGURES.map((key) => ({ key, label: t(`wl.col.${key}`) })),
          ],
          row: (d) => figureRow(d, {
            class: 'workload-department-row', 'data-id': d.department_id ?? 'none',
          }, [
            h('th', { scope: 'row' }, d.department_id === null
              ? h('span', { class: 'muted' }, t('wl.no_department'))
              : h('a', {
                href: link('/workload', { ...scope, department: d.department_id }), 'data-action': 'filter-department',
              }, d.name)),
            h('td', null, d.region_code ? regionLabel(d.region_code) : '—'),
            h('td', { class: 'num', 'data-figure': 'cadres' }, num(d.cadres)),
          ]),
        }),
        hidden ? h('p', { class: 'hint btn-row' }, t('wl.departments.hidden', { n: num(hidden) }),
          h('button', {
            type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'show-empty-departments',
            onclick: () => drawDepartments(true),
          }, t('wl.departments.show_all'))) : null);
    };
    drawDepartments(false);
    replace(out,
      summary(report.cadres),
      h('section', { class: 'panel', id: 'workload-departments', 'aria-labelledby': 'wl-departments-h' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'wl-departments-h' }, t('wl.departments')), csv('departments')),
        departments),
      h('section', { class: 'panel', id: 'workload-cadres', 'aria-labelledby': 'wl-cadres-h' },
        h('div', { class: 'panel-head' }, h('h2', { id: 'wl-cadres-h' }, t('wl.cadres')), csv('cadres')),
        sortableTable({
          caption: t('wl.cadres.caption'),
          empty: t('wl.cadres.none'),
          rows: report.cadres,
          columns: [
            { key: 'display_name', label: t('wl.col.cadre'), text: (c) => c.display_name },
            { key: 'department', label: t('wl.col.department'), text: (c) => c.department },
            ...FIGURES.map((key) => ({ key, label: t(`wl.col.${key}`) })),
          ],
          row: (c) => figureRow(c, { class: 'workload-cadre-row', 'data-user-id': c.user_id }, [
            h('th', { scope: 'row' }, h('a', { href: `#/users/${c.user_id}` }, c.display_name || t('user.n', { id: c.user_id }))),
            h('td', null, c.department || '—'),
          ]),
        })));
  }).catch((err) => replace(out, problemBox(err)));

  return view;
}

/** The department filter's options: every department of the region's subtree, by name. */
async function departmentOptions(select, region, chosen) {
  const all = [];
  let cursor = null;
  let pages = 0;
  try {
    do {
      const page = await api(`/departments${qs({ region, limit: 200, cursor })}`);
      all.push(...page.items);
      cursor = page.next_cursor;
      pages += 1;
    } while (cursor && pages < DEPARTMENT_PAGES);
  } catch {
    // Without the list the table's department links still filter.
  }
  all.sort((a, b) => a.region_code.localeCompare(b.region_code) || a.name.localeCompare(b.name, 'zh-CN'));
  for (const d of all) {
    select.append(h('option', { value: d.id, selected: String(d.id) === chosen },
      d.active ? d.name : t('wl.department.inactive', { name: d.name })));
  }
  if (chosen && !all.some((d) => String(d.id) === chosen)) {
    select.append(h('option', { value: chosen, selected: true }, t('depts.n', { id: chosen })));
  }
  if (cursor) select.append(h('option', { value: '', disabled: true }, t('wl.department.more')));
}

/** The region's totals over the cadre rows: counts add up; means do not, so none is shown. */
function summary(cadres) {
  const sum = (key) => cadres.reduce((s, c) => s + c[key], 0);
  const tile = (key, value, sub) => h('div', { class: 'kpi', 'data-kpi': key },
    h('p', { class: 'kpi-label' }, t(`wl.kpi.${key}`)),
    h('p', { class: 'kpi-value' }, value),
    sub ? h('p', { class: 'kpi-sub' }, sub) : null);
  const red = sum('red');
  const orange = sum('orange');
  return h('section', { class: 'panel', id: 'workload-summary', 'aria-label': t('wl.summary') },
    h('div', { class: 'kpis' },
      tile('cadres', num(cadres.length)),
      tile('open', num(sum('open')), red || orange ? lightCounts({ red, orange }) : t('wl.no_red_orange')),
      tile('resolved', num(sum('resolved'))),
      tile('assisting', num(sum('assisting')))));
}

/** A row's figure cells after its own cells; red and orange as the map's labelled chips. */
function figureRow(r, attrs, cells) {
  const worst = r.red > 0 ? 'red' : r.orange > 0 ? 'orange' : null;
  const cell = (key) => {
    const v = r[key];
    let shown;
    if (key === 'orange' || key === 'red') shown = v > 0 ? lightCounts({ [key]: v }) : num(v);
    else if (key === 'avg_resolution_hours' || key === 'satisfaction_avg') shown = dec(v);
    else shown = num(v);
    return h('td', { class: 'num', 'data-figure': key }, shown);
  };
  return h('tr', { ...attrs, class: `${attrs.class}${worst ? ` row-${worst}` : ''}` }, cells, FIGURES.map(cell));
}

/** Most pressing first: red, then orange, then open demands. */
function pressing(a, b) {
  return b.red - a.red || b.orange - a.orange || b.open - a.open;
}

/**
 * A table of rows sortable by each column: a click on a column's head sorts by it (the largest
 * or A first), a second click the other way; missing values go last. Until then the most
 * pressing rows come first. Rows are drawn PAGE at a time.
 */
function sortableTable({ caption, empty, rows, columns, row }) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  let by = null;
  let desc = true;
  let shown = Math.min(PAGE, rows.length);
  const body = h('tbody');
  const more = h('div', { class: 'more' });
  const heads = columns.map((c) => h('th', { scope: 'col', class: c.text ? null : 'num' },
    h('button', {
      type: 'button', class: 'sort', 'data-sort': c.key,
      onclick: () => {
        desc = by === c.key ? !desc : !c.text;
        by = c.key;
        fill();
      },
    }, c.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true' }))));
  function compare(a, b) {
    if (!by) return pressing(a, b);
    const col = columns.find((c) => c.key === by);
    const x = col.text ? col.text(a) : a[by];
    const y = col.text ? col.text(b) : b[by];
    if (x === null && y === null) return pressing(a, b);
    if (x === null) return 1;
    if (y === null) return -1;
    const d = col.text ? String(x).localeCompare(String(y), 'zh-CN') : x - y;
    return (desc ? -d : d) || pressing(a, b);
  }
  function fill() {
    heads.forEach((th, i) => {
      const sorted = columns[i].key === by;
      if (sorted) th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
      else th.removeAttribute('aria-sort');
      th.querySelector('.sort-mark').textContent = sorted ? (desc ? ' ▼' : ' ▲') : '';
    });
    replace(body, [...rows].sort(compare).slice(0, shown).map(row));
    const left = rows.length - shown;
    replace(more, left > 0 ? h('button', {
      type: 'button', class: 'btn btn-secondary', 'data-action': 'more-rows',
      onclick: () => { shown = Math.min(shown + PAGE, rows.length); fill(); },
    }, t('wl.more', { n: num(left) })) : null);
  }
  fill();
  // Wide: on a phone the table scrolls sideways in a box a keyboard can focus.
  return h('div', null,
    h('div', { class: 'table-wrap', tabindex: 0, role: 'group', 'aria-label': caption },
      h('table', { class: 'data wide sortable' },
        h('caption', null, caption),
        h('thead', null, h('tr', null, heads)),
        body)),
    more);
}
