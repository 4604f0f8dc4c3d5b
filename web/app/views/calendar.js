// #/calendar?year=YYYY — a year's working-day calendar (GET /calendar/{year}) as a month grid:
// holidays (法定节假日) and make-up working days (调休上班) marked in text and colour. Admins click
// a day to change it (weekday: working ↔ holiday; weekend: rest → make-up working day →
// holiday → rest) and save the year whole (PUT /calendar/{year}).

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { link, go } from '../router.js';
import { field, showProblem, busy, notice, problemBox } from '../ui.js';
import { num } from '../format.js';

function thisYear() {
  return Number(new Intl.DateTimeFormat('en', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
}

const pad = (n) => String(n).padStart(2, '0');

export function calendarView({ me, route }) {
  const admin = me.role === 'admin';
  const y = Number(route.query.get('year'));
  const year = Number.isInteger(y) && y >= 1900 && y <= 2199 ? y : thisYear();
  const yearInput = h('input', { type: 'number', id: 'calendar-year', name: 'year', min: 1900, max: 2199, step: 1, value: year });
  const pick = h('form', {
    class: 'filters filter-row', id: 'calendar-pick',
    onsubmit: (e) => { e.preventDefault(); go(link('/calendar', { year: yearInput.value })); },
  },
  h('a', { class: 'btn btn-secondary', href: link('/calendar', { year: year - 1 }), title: t('cal.prev') }, `‹ ${year - 1}`, h('span', { class: 'visually-hidden' }, t('cal.prev'))),
  field(t('cal.year'), yearInput),
  h('button', { type: 'submit', class: 'btn btn-secondary' }, t('common.apply')),
  h('a', { class: 'btn btn-secondary', href: link('/calendar', { year: year + 1 }), title: t('cal.next') }, `${year + 1} ›`, h('span', { class: 'visually-hidden' }, t('cal.next'))));
  const summary = h('div', { id: 'calendar-summary' });
  const grid = h('div', { class: 'cal-grid', id: 'calendar', 'data-year': year }, h('p', { class: 'loading' }, t('app.loading')));
  const tools = h('div');
  /** date → {kind, name} */
  const days = new Map();

  const nameInput = h('input', { type: 'text', id: 'calendar-name', name: 'holiday_name', maxlength: 100 });
  const saveSlot = h('div', { class: 'problem-slot' });
  const saveDone = h('div');
  const saveForm = h('form', {
    id: 'calendar-form', class: 'stack',
    onsubmit: async (e) => {
      e.preventDefault();
      showProblem(saveSlot, null);
      saveDone.replaceChildren();
      const body = { days: [...days.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([date, d]) => ({ date, kind: d.kind, name: d.name || null })) };
      try {
        const res = await busy(saveForm, () => api(`/calendar/${year}`, { method: 'PUT', body }));
        draw(res);
        saveDone.append(notice(t('cal.saved', { n: num(res.working_days) })));
      } catch (err) {
        showProblem(saveSlot, err);
      }
    },
  },
  h('h2', null, t('cal.edit')),
  h('p', { class: 'hint' }, t('cal.edit.hint')),
  field(t('cal.name'), nameInput, t('cal.name.hint')),
  saveSlot,
  h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'calendar-save' }, t('cal.save'))),
  saveDone);

  function cycle(date, weekend) {
    const cur = days.get(date);
    let next;
    if (!weekend) next = cur ? null : 'holiday';
    else if (!cur) next = 'workday';
    else if (cur.kind === 'workday') next = 'holiday';
    else next = null;
    if (next) days.set(date, { kind: next, name: next === 'holiday' ? (nameInput.value.trim() || cur?.name || null) : (nameInput.value.trim() || null) });
    else days.delete(date);
    drawGrid();
    saveDone.replaceChildren(notice(t('cal.unsaved')));
    grid.querySelector(`[data-date="${date}"]`)?.focus();
  }

  function dayLabel(date, kind, weekend) {
    const d = days.get(date);
    const what = d ? (d.kind === 'holiday' ? t('cal.holiday') : t('cal.workday')) : (weekend ? t('cal.rest') : t('cal.working'));
    return `${date} ${what}${d?.name ? ` ${d.name}` : ''}`;
  }

  function drawGrid() {
    const weekdays = [1, 2, 3, 4, 5, 6, 0].map((i) => t(`cal.wd.${i}`));
    const months = [];
    for (let m = 1; m <= 12; m += 1) {
      const first = new Date(Date.UTC(year, m - 1, 1));
      const lead = (first.getUTCDay() + 6) % 7;
      const count = new Date(Date.UTC(year, m, 0)).getUTCDate();
      const cells = [];
      for (let i = 0; i < lead; i += 1) cells.push(h('td', { class: 'cal-pad' }));
      for (let d = 1; d <= count; d += 1) {
        const date = `${year}-${pad(m)}-${pad(d)}`;
        const dow = new Date(Date.UTC(year, m - 1, d)).getUTCDay();
        const weekend = dow === 0 || dow === 6;
        const ex = days.get(date);
        const kind = ex ? ex.kind : (weekend ? 'weekend' : 'normal');
        const mark = ex ? h('span', { class: 'cal-mark' }, t(ex.kind === 'holiday' ? 'cal.mark.holiday' : 'cal.mark.workday')) : null;
        const label = dayLabel(date, kind, weekend);
        // The visible day and mark first, the full reading (date, kind, name) for screen readers after.
        const inner = h(admin ? 'button' : 'span', {
          type: admin ? 'button' : null, class: 'cal-day', 'data-date': date, title: label,
          onclick: admin ? () => cycle(date, weekend) : null,
        }, h('span', null, String(d)), mark, h('span', { class: 'visually-hidden' }, ` ${label}`));
        cells.push(h('td', { class: `cal-cell kind-${kind}`, 'data-kind': kind }, inner));
      }
      const rows = [];
      for (let i = 0; i < cells.length; i += 7) rows.push(h('tr', null, cells.slice(i, i + 7)));
      months.push(h('table', { class: 'cal-month', 'data-month': m },
        h('caption', null, t('cal.month', { m, y: year })),
        h('thead', null, h('tr', null, weekdays.map((w) => h('th', { scope: 'col' }, w)))),
        h('tbody', null, rows)));
    }
    replace(grid, months);
  }

  function draw(res) {
    days.clear();
    for (const d of res.days) days.set(d.date, { kind: d.kind, name: d.name || null });
    const holidays = res.days.filter((d) => d.kind === 'holiday').length;
    const workdays = res.days.filter((d) => d.kind === 'workday').length;
    replace(summary, h('p', null,
      res.loaded ? t('cal.summary', { n: num(res.working_days), h: holidays, w: workdays }) : t('cal.not_loaded', { n: num(res.working_days) })));
    drawGrid();
  }

  api(`/calendar/${year}`).then((res) => {
    draw(res);
    if (admin) replace(tools, saveForm);
  }).catch((err) => replace(grid, problemBox(err)));

  const legend = h('ul', { class: 'cal-legend' },
    h('li', { class: 'kind-holiday' }, h('span', { class: 'cal-mark', 'aria-hidden': 'true' }, t('cal.mark.holiday')), t('cal.holiday')),
    h('li', { class: 'kind-workday' }, h('span', { class: 'cal-mark', 'aria-hidden': 'true' }, t('cal.mark.workday')), t('cal.workday')),
    h('li', { class: 'kind-weekend' }, t('cal.rest')));
  const section = h('section', { class: 'calendar-view' },
    h('div', { class: 'page-head' }, h('div', null, h('h1', null, t('cal.title', { y: year })), summary), pick),
    legend,
    h('div', { class: admin ? 'grid-2 cal-layout' : 'grid-2 single' },
      h('section', { class: 'panel', 'aria-label': t('cal.title', { y: year }) }, grid),
      admin ? h('section', { class: 'panel' }, tools) : null));
  return section;
}
