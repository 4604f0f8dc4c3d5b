// #/departments?region=&q=&category=&active= — admins and supervisors: the promotion centres'
// rosters (部门 / 责任单位, SPEC section 10) by region, each with the categories of demand it
// handles (its cadres come first among dispatch candidates for those). Create one
// (POST /departments), rename it, set its categories, deactivate it (PATCH /departments/{id});
// its members are the users page filtered by department. The server decides which regions a
// supervisor may manage (their own subtree); its refusals show as problems.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs } from '../api.js';
import { link, go } from '../router.js';
import {
  field, checkField, showProblem, busy, notice, pagedTable, activeLabel, categoryNames, regionLabel,
} from '../ui.js';

export function departmentsView({ me, route }) {
  const q = route.query;
  const filters = {
    region: /^\d{6}$/.test(q.get('region') || '') ? q.get('region') : (me.region_code || ''),
    q: q.get('q') || '',
    category: q.get('category') || '',
    active: ['true', 'false'].includes(q.get('active')) ? q.get('active') : '',
  };
  const region = h('input', { type: 'text', id: 'department-region-filter', name: 'region', inputmode: 'numeric', pattern: '\\d{6}', value: filters.region });
  const name = h('input', { type: 'search', id: 'department-q-filter', name: 'q', value: filters.q, maxlength: 100 });
  const category = h('select', { id: 'department-category-filter', name: 'category' }, h('option', { value: '' }, t('common.all')));
  const active = h('select', { id: 'department-active-filter', name: 'active' },
    h('option', { value: '' }, t('common.all')),
    h('option', { value: 'true', selected: filters.active === 'true' }, t('common.active')),
    h('option', { value: 'false', selected: filters.active === 'false' }, t('common.inactive')));
  categoryNames().then((cats) => {
    for (const c of cats.values()) category.append(h('option', { value: c.code, selected: c.code === filters.category }, c.name));
  }).catch(() => {});
  const filterForm = h('form', {
    id: 'department-filters', class: 'filters filter-row',
    onsubmit: (e) => {
      e.preventDefault();
      go(link('/departments', { region: region.value.trim(), q: name.value.trim(), category: category.value, active: active.value }));
    },
  },
  field(t('depts.region'), region), field(t('depts.q'), name), field(t('depts.category'), category),
  field(t('common.status'), active),
  h('button', { type: 'submit', class: 'btn btn-secondary' }, t('common.apply')));

  const listSlot = h('div');
  const side = h('section', { class: 'panel', id: 'department-editor' });
  function drawList() {
    replace(listSlot, pagedTable(t('depts.caption'),
      [t('common.id'), t('depts.name'), t('depts.region'), t('depts.categories'), t('common.status'), t('col.actions')],
      (cursor) => `/departments${qs({ ...filters, limit: 50, cursor })}`,
      (d) => h('tr', { class: 'department-row', 'data-id': d.id, 'data-region': d.region_code },
        h('td', { class: 'num' }, d.id),
        h('th', { scope: 'row' }, d.name),
        h('td', null, regionLabel(d.region_code), h('span', { class: 'muted sub' }, d.region_code)),
        h('td', null, categoryList(d.categories)),
        h('td', null, activeLabel(d.active)),
        h('td', { class: 'nowrap' },
          h('button', {
            type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'edit-department', 'data-id': d.id,
            onclick: () => showEdit(d),
          }, t('common.edit')), ' ',
          h('a', { href: link('/users', { department_id: d.id }), class: 'btn btn-secondary btn-small', 'data-action': 'department-members' }, t('depts.members')))),
      { wide: true, empty: t('depts.empty') }));
  }
  function showNew(message) {
    replace(side, h('h2', null, t('depts.new')), message ? notice(message) : null,
      departmentForm(me, null, (d) => { drawList(); showNew(t('depts.created', { name: d.name })); }));
  }
  function showEdit(d) {
    replace(side, h('h2', null, t('depts.edit', { name: d.name })),
      departmentForm(me, d, (saved) => { drawList(); showNew(t('depts.saved', { name: saved.name })); }, () => showNew()));
    side.scrollIntoView({ block: 'start' });
    side.querySelector('input[name=name]').focus();
  }
  drawList();
  showNew();
  return h('section', { class: 'departments-view' },
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, t('depts.title')), h('p', { class: 'muted' }, t('depts.lead'))),
      filterForm),
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel', 'aria-label': t('depts.caption') }, listSlot),
      side));
}

/** The categories a department handles, by name. */
function categoryList(codes) {
  const span = h('span', null, codes.length ? codes.join('、') : '—');
  if (codes.length) {
    categoryNames().then((cats) => {
      span.textContent = codes.map((c) => cats.get(c)?.name || c).join('、');
    }).catch(() => {});
  }
  return span;
}

/** form#department-form (new) or form#department-edit-form[data-id] (existing). */
function departmentForm(me, dept, onSaved, onCancel) {
  const slot = h('div', { class: 'problem-slot' });
  const regionCode = dept ? null : h('input', {
    type: 'text', name: 'region_code', required: true, inputmode: 'numeric', pattern: '\\d{6}', value: me.region_code || '',
  });
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 100, value: dept?.name || '' });
  const active = dept ? h('input', { type: 'checkbox', name: 'active', checked: dept.active }) : null;
  const boxes = h('div', { class: 'check-grid' }, h('p', { class: 'loading' }, t('app.loading')));
  categoryNames().then((cats) => replace(boxes, [...cats.values()].map((c) =>
    checkField(c.name, h('input', { type: 'checkbox', name: 'categories', value: c.code, checked: !!dept?.categories.includes(c.code) })))))
    .catch(() => boxes.replaceChildren());
  const form = h('form', {
    id: dept ? 'department-edit-form' : 'department-form', class: 'stack', 'data-id': dept?.id,
    onsubmit: async (e) => {
      e.preventDefault();
      if (!form.reportValidity()) return;
      showProblem(slot, null);
      const categories = [...form.querySelectorAll('input[name=categories]:checked')].map((b) => b.value);
      const body = { name: name.value.trim(), categories };
      if (dept) body.active = active.checked;
      else body.region_code = regionCode.value.trim();
      try {
        const saved = await busy(form, () => (dept
          ? api(`/departments/${dept.id}`, { method: 'PATCH', body })
          : api('/departments', { method: 'POST', body })));
        onSaved(saved);
      } catch (err) {
        showProblem(slot, err);
      }
    },
  },
  regionCode ? field(t('depts.region_code'), regionCode, t('depts.region_code.hint')) : null,
  field(t('depts.name'), name),
  h('fieldset', { class: 'clock-set' }, h('legend', null, t('depts.categories')),
    h('p', { class: 'hint' }, t('depts.categories.hint')), boxes),
  active ? checkField(t('depts.active'), active) : null,
  slot,
  h('div', { class: 'btn-row' },
    h('button', { type: 'submit', class: 'btn btn-primary' }, t(dept ? 'common.save' : 'depts.create')),
    onCancel ? h('button', { type: 'button', class: 'btn btn-secondary', onclick: onCancel }, t('common.cancel')) : null));
  return form;
}
