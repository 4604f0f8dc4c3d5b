// #/reports?month=YYYY-MM&region=CODE — admins and supervisors: a month's frozen report
// (GET /stats/monthly, JSON) as a small table of the region's totals and its child areas, with
// the CSV of the same report. A month is frozen after it ends (404 before).

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs, download } from '../api.js';
import { link, go } from '../router.js';
import { field, problemBox, dataTable, lightCounts, showProblem } from '../ui.js';
import { num, pct, dec, dateTime, month, isMonth } from '../format.js';

const COLS = ['filed', 'closed', 'completion_rate', 'on_time_rate', 'accepted_on_time_rate', 'satisfaction_avg', 'open'];

function cells(f) {
  return [
    h('td', { class: 'num' }, num(f.filed)),
    h('td', { class: 'num' }, num(f.closed)),
    h('td', { class: 'num' }, pct(f.completion_rate)),
    h('td', { class: 'num' }, pct(f.on_time_rate)),
    h('td', { class: 'num' }, pct(f.accepted_on_time_rate)),
    h('td', { class: 'num' }, dec(f.satisfaction_avg)),
    h('td', { class: 'num' }, num(f.open)),
    h('td', null, lightCounts(f.warnings, { showZero: true })),
  ];
}

export function reportsView({ me, route }) {
  const q = route.query;
  const m = isMonth(q.get('month')) ? q.get('month') : month(-1);
  const region = /^\d{6}$/.test(q.get('region') || '') ? q.get('region') : (me.role === 'supervisor' ? me.region_code : '');
  const monthInput = h('input', { type: 'month', id: 'report-month', name: 'month', value: m, required: true });
  const regionInput = h('input', { type: 'text', id: 'report-region', name: 'region', inputmode: 'numeric', pattern: '\\d{6}', value: region });
  const nav = () => go(link('/reports', { month: monthInput.value, region: regionInput.value.trim() }));
  monthInput.addEventListener('change', () => { if (isMonth(monthInput.value)) nav(); });
  const pick = h('form', { class: 'filters filter-row', id: 'report-pick', onsubmit: (e) => { e.preventDefault(); nav(); } },
    field(t('rep.month'), monthInput), field(t('rep.region'), regionInput, t('rep.region.hint')),
    h('button', { type: 'submit', class: 'btn btn-secondary' }, t('common.apply')));
  const out = h('div', { id: 'monthly-report', 'data-month': m }, h('p', { class: 'loading' }, t('app.loading')));
  const scope = region ? { region } : {};
  api(`/stats/monthly${qs({ ...scope, month: m })}`).then((r) => {
    const slot = h('div', { class: 'problem-slot' });
    const head = [t('col.region'), ...COLS.map((c) => (c === 'closed' ? t('col.closed') : t(`kpi.${c}`))), t('col.lights')];
    const total = h('tr', { class: 'report-total', 'data-region': r.region.code }, h('th', { scope: 'row' }, r.region.name), cells(r.totals));
    // Areas without a demand in the month (nor an open one) are counted, not listed.
    const quiet = r.children.filter((c) => c.filed === 0 && c.open === 0).length;
    const rows = r.children.filter((c) => c.filed > 0 || c.open > 0).sort((a, b) => a.region.code.localeCompare(b.region.code)).map((c) =>
      h('tr', { class: 'report-row', 'data-region': c.region.code },
        h('th', { scope: 'row' }, h('a', { href: link('/reports', { month: m, region: c.region.code }) }, c.region.name)), cells(c)));
    replace(out,
      h('p', { class: 'muted' }, t('rep.frozen', { time: dateTime(r.frozen_at), v: r.formula_version })),
      dataTable(t('rep.caption', { region: r.region.name, month: m }), head, h('tbody', null, total, rows), { wide: true }),
      quiet ? h('p', { class: 'hint' }, t('rep.quiet', { n: quiet })) : null,
      h('p', null, h('a', {
        href: `/api/v1/stats/monthly${qs({ ...scope, month: m })}`, class: 'csv-download report-csv',
        onclick: (e) => {
          e.preventDefault();
          download(`/stats/monthly${qs({ ...scope, month: m })}`, `monthly-${r.region.code}-${m}.csv`).catch((err) => showProblem(slot, err));
        },
      }, t('map.csv.monthly', { month: m }))), slot);
  }).catch((err) => replace(out, problemBox(err)));
  return h('section', { class: 'reports-view' },
    h('div', { class: 'page-head' }, h('div', null, h('h1', null, t('rep.title')), h('p', { class: 'muted' }, t('rep.lead'))), pick),
    h('section', { class: 'panel', 'aria-label': t('rep.title') }, out));
}
