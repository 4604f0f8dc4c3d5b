// #/categories — every role reads the categories and their clocks (accept 受理, feedback 反馈,
// resolve 办结, per priority, each a value and a unit); admins add one (POST /categories) and
// change one (PATCH /categories/{code}: name, clocks, active).

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api, clearCache } from '../api.js';
import { field, checkField, showProblem, busy, notice, dataTable, activeLabel, problemBox } from '../ui.js';

const PRIORITIES = ['normal', 'urgent'];
const CLOCKS = ['accept', 'feedback', 'resolve'];
const UNITS = ['working_days', 'working_hours', 'hours'];

export function durationText(d) {
  if (!d) return '—';
  return t(`unit.${d.unit}.n`, { n: d.value });
}

export function categoriesView({ me }) {
  const admin = me.role === 'admin';
  const listSlot = h('div', null, h('p', { class: 'loading' }, t('app.loading')));
  const side = h('section', { class: 'panel', id: 'category-editor' });
  let items = [];

  function showNew(message) {
    replace(side, h('h2', null, t('cats.new')), message ? notice(message) : null, categoryForm(null, (c) => {
      load(); showNew(t('cats.created', { name: c.name }));
    }));
  }
  function showEdit(cat) {
    replace(side, h('h2', null, t('cats.edit', { name: cat.name })), categoryForm(cat, (c) => {
      load(); showNew(t('cats.saved', { name: c.name }));
    }, () => showNew()));
    side.scrollIntoView({ block: 'start' });
  }

  async function load() {
    try {
      const page = await api('/categories?limit=200');
      items = page.items;
      const cols = [t('cats.code'), t('cats.name'), t('cats.priority')];
      for (const c of CLOCKS) cols.push(t(`cats.clock.${c}`));
      cols.push(t('common.status'));
      if (admin) cols.push(t('col.actions'));
      const body = h('tbody');
      for (const cat of items) {
        PRIORITIES.forEach((p, i) => {
          body.append(h('tr', { class: `category-row${i ? ' sub-row' : ''}`, 'data-code': cat.code, 'data-priority': p },
            i === 0 ? h('td', { rowspan: 2 }, h('code', null, cat.code)) : null,
            i === 0 ? h('th', { scope: 'row', rowspan: 2 }, cat.name) : null,
            h('td', null, t(`priority.${p}`)),
            CLOCKS.map((c) => h('td', { class: 'nowrap' }, durationText(cat.sla?.[p]?.[c]))),
            i === 0 ? h('td', { rowspan: 2 }, activeLabel(cat.active)) : null,
            admin && i === 0 ? h('td', { rowspan: 2 }, h('button', {
              type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'edit-category',
              onclick: () => showEdit(cat),
            }, t('common.edit'))) : null));
        });
      }
      replace(listSlot, items.length ? dataTable(t('cats.caption'), cols, body, { wide: true }) : h('p', { class: 'empty' }, t('common.none')));
    } catch (err) {
      replace(listSlot, problemBox(err));
    }
  }
  load();
  if (admin) showNew();
  return h('section', { class: 'categories-view' },
    h('div', { class: 'page-head' }, h('div', null, h('h1', null, t('cats.title')), h('p', { class: 'muted' }, t('cats.lead')))),
    h('div', { class: admin ? 'grid-2' : 'grid-2 single' },
      h('section', { class: 'panel', 'aria-label': t('cats.title') }, listSlot),
      admin ? side : null));
}

/** form#category-form (new) or form#category-edit-form[data-code] (existing). */
function categoryForm(cat, onSaved, onCancel) {
  const slot = h('div', { class: 'problem-slot' });
  const code = cat ? null : h('input', { type: 'text', name: 'code', required: true, pattern: '[a-z][a-z0-9_]*', maxlength: 40 });
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 100, value: cat?.name || '' });
  const active = cat ? h('input', { type: 'checkbox', name: 'active', checked: cat.active }) : null;
  const clocks = {};
  const sets = PRIORITIES.map((p) => h('fieldset', { class: 'clock-set' },
    h('legend', null, t('cats.clocks', { priority: t(`priority.${p}`) })),
    CLOCKS.map((c) => {
      const cur = cat?.sla?.[p]?.[c];
      const value = h('input', { type: 'number', name: `${p}.${c}.value`, min: 1, max: 8784, step: 1, required: !!cat, value: cur ? cur.value : '' });
      const unit = h('select', { name: `${p}.${c}.unit` }, UNITS.map((u) => h('option', { value: u, selected: cur ? cur.unit === u : u === 'working_days' }, t(`unit.${u}`))));
      clocks[`${p}.${c}`] = { value, unit, cur };
      return h('div', { class: 'clock-row' },
        field(`${t(`priority.${p}`)} · ${t(`cats.clock.${c}`)}`, value),
        field(t('cats.unit', { clock: t(`cats.clock.${c}`) }), unit));
    })));
  const form = h('form', {
    id: cat ? 'category-edit-form' : 'category-form', class: 'stack', 'data-code': cat?.code,
    onsubmit: async (e) => {
      e.preventDefault();
      showProblem(slot, null);
      const sla = {};
      for (const p of PRIORITIES) {
        for (const c of CLOCKS) {
          const { value, unit, cur } = clocks[`${p}.${c}`];
          if (!value.value) continue;
          const d = { value: Number(value.value), unit: unit.value };
          if (cur && cur.value === d.value && cur.unit === d.unit) continue;
          sla[p] = sla[p] || {};
          sla[p][c] = d;
        }
      }
      const body = {};
      if (!cat) { body.code = code.value.trim(); body.name = name.value.trim(); } else {
        if (name.value.trim() !== cat.name) body.name = name.value.trim();
        if (active.checked !== cat.active) body.active = active.checked;
      }
      if (Object.keys(sla).length) body.sla = sla;
      try {
        const saved = await busy(form, () => (cat
          ? api(`/categories/${encodeURIComponent(cat.code)}`, { method: 'PATCH', body })
          : api('/categories', { method: 'POST', body })));
        clearCache();
        onSaved(saved);
      } catch (err) {
        showProblem(slot, err);
      }
    },
  },
  code ? field(t('cats.code'), code, t('cats.code.hint')) : null,
  field(t('cats.name'), name),
  active ? checkField(t('cats.active'), active) : null,
  cat ? null : h('p', { class: 'hint' }, t('cats.defaults')),
  sets,
  slot,
  h('div', { class: 'btn-row' },
    h('button', { type: 'submit', class: 'btn btn-primary' }, t(cat ? 'common.save' : 'cats.create')),
    onCancel ? h('button', { type: 'button', class: 'btn btn-secondary', onclick: onCancel }, t('common.cancel')) : null));
  return form;
}
