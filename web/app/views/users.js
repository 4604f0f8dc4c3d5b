// #/users?role=&region=&department=&department_id=&active= — admins and supervisors: the users in
// their scope (GET /users), creating one (POST /users); #/users/ID — one user: edit display name,
// department (its display name, and for a cadre the department of the roster at their region,
// `department_id`), active, a new password (PATCH /users/{id}) and unlock their logins
// (POST /users/{id}/unlock).
// The server decides who may create or change whom; its refusals show as problems.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs, cached } from '../api.js';
import { link, go } from '../router.js';
import {
  field, checkField, showProblem, busy, notice, pagedTable, activeLabel, val, entLabel, problemBox,
  lazyName,
} from '../ui.js';
import { dateTime } from '../format.js';

const ROLES = ['admin', 'supervisor', 'cadre', 'enterprise'];

/** A department of the roster by its name, looked up once. */
function departmentLabel(id) {
  return lazyName(() => cached(`dept:${id}`, async () => (await api(`/departments/${id}`)).name), t('depts.n', { id }));
}

export function usersView({ me, route }) {
  const q = route.query;
  const filters = {
    role: ROLES.includes(q.get('role')) ? q.get('role') : '',
    region: /^\d{6}$/.test(q.get('region') || '') ? q.get('region') : '',
    department: q.get('department') || '',
    department_id: /^\d+$/.test(q.get('department_id') || '') ? q.get('department_id') : '',
    active: ['true', 'false'].includes(q.get('active')) ? q.get('active') : '',
  };
  const role = h('select', { name: 'role', id: 'user-role-filter' },
    h('option', { value: '' }, t('users.role.all')),
    ROLES.map((r) => h('option', { value: r, selected: r === filters.role }, t(`role.${r}`))));
  const region = h('input', { type: 'text', name: 'region', id: 'user-region-filter', inputmode: 'numeric', pattern: '\\d{6}', value: filters.region });
  const department = h('input', { type: 'text', name: 'department', id: 'user-department-filter', value: filters.department });
  const active = h('select', { name: 'active', id: 'user-active-filter' },
    h('option', { value: '' }, t('common.all')),
    h('option', { value: 'true', selected: filters.active === 'true' }, t('common.active')),
    h('option', { value: 'false', selected: filters.active === 'false' }, t('common.inactive')));
  const filterForm = h('form', {
    id: 'user-filters', class: 'filters filter-row',
    onsubmit: (e) => {
      e.preventDefault();
      go(link('/users', {
        role: role.value, region: region.value.trim(), department: department.value.trim(),
        department_id: filters.department_id, active: active.value,
      }));
    },
  },
  field(t('users.role'), role), field(t('users.region'), region), field(t('users.department'), department),
  field(t('common.status'), active),
  h('button', { type: 'submit', class: 'btn btn-secondary' }, t('common.apply')),
  // The members of one department (from the departments page): a filter to take off.
  filters.department_id ? h('p', { class: 'filter-note', id: 'user-department-id-filter' },
    t('users.of_department'), departmentLabel(filters.department_id), ' ',
    h('a', { href: link('/users', { ...filters, department_id: '' }) }, t('users.all_departments'))) : null);

  const list = pagedTable(t('users.caption'),
    [t('common.id'), t('users.username'), t('users.display_name'), t('users.role'), t('users.scope'), t('common.status'), t('col.actions')],
    (cursor) => `/users${qs({ ...filters, limit: 50, cursor })}`,
    (u) => h('tr', { class: 'user-row', 'data-id': u.id, 'data-role': u.role },
      h('td', { class: 'num' }, u.id),
      h('th', { scope: 'row' }, h('a', { href: `#/users/${u.id}` }, u.username)),
      h('td', null, u.display_name || '—', u.department ? h('span', { class: 'muted sub' }, u.department) : null,
        u.department_id ? h('span', { class: 'muted sub' }, departmentLabel(u.department_id)) : null),
      h('td', null, t(`role.${u.role}`)),
      h('td', null, u.enterprise_id ? entLabel(u.enterprise_id) : (u.region_code || '—')),
      h('td', null, activeLabel(u.active)),
      h('td', null, h('a', { href: `#/users/${u.id}`, class: 'btn btn-secondary btn-small', 'data-action': 'edit-user' }, t('common.edit')))),
    { wide: true, empty: t('users.empty') });

  return h('section', { class: 'users-view' },
    h('div', { class: 'page-head' }, h('h1', null, t('users.title')), filterForm),
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel', 'aria-label': t('users.caption') }, list),
      h('section', { class: 'panel' }, h('h2', null, t('users.new')), userForm(me))));
}

function userForm(me) {
  const slot = h('div', { class: 'problem-slot' });
  const username = h('input', { type: 'text', name: 'username', required: true, autocomplete: 'off', maxlength: 64 });
  const displayName = h('input', { type: 'text', name: 'display_name', maxlength: 100 });
  const role = h('select', { name: 'role', required: true },
    ROLES.filter((r) => me.role === 'admin' || r !== 'admin').map((r) => h('option', { value: r, selected: r === 'cadre' }, t(`role.${r}`))));
  const regionCode = h('input', { type: 'text', name: 'region_code', inputmode: 'numeric', pattern: '\\d{6}', value: me.region_code || '' });
  const enterpriseId = h('input', { type: 'number', name: 'enterprise_id', min: 1, step: 1 });
  const dept = h('input', { type: 'text', name: 'department', maxlength: 100 });
  const password = h('input', { type: 'password', name: 'password', required: true, autocomplete: 'new-password', minlength: 12, maxlength: 128 });
  const regionField = field(t('users.region_code'), regionCode, t('users.region_code.hint'));
  const entField = field(t('users.enterprise_id'), enterpriseId, t('users.enterprise_id.hint'));
  const deptField = field(t('users.department'), dept);
  function sync() {
    const r = role.value;
    regionField.hidden = !(r === 'supervisor' || r === 'cadre');
    entField.hidden = r !== 'enterprise';
    deptField.hidden = r !== 'cadre';
    regionCode.required = !regionField.hidden;
    enterpriseId.required = !entField.hidden;
  }
  role.addEventListener('change', sync);
  sync();
  const done = h('div');
  const form = h('form', {
    id: 'user-form', class: 'stack',
    onsubmit: async (e) => {
      e.preventDefault();
      showProblem(slot, null);
      done.replaceChildren();
      const body = { username: username.value.trim(), role: role.value, password: password.value, display_name: val(displayName) };
      if (!regionField.hidden) body.region_code = val(regionCode);
      if (!entField.hidden && enterpriseId.value) body.enterprise_id = Number(enterpriseId.value);
      if (!deptField.hidden && val(dept)) body.department = val(dept);
      try {
        const u = await busy(form, () => api('/users', { method: 'POST', body }));
        form.reset();
        sync();
        done.append(notice(t('users.created', { name: u.username })),
          h('p', null, h('a', { href: `#/users/${u.id}` }, t('users.open', { name: u.username }))));
      } catch (err) {
        showProblem(slot, err);
      }
    },
  },
  field(t('users.username'), username), field(t('users.display_name'), displayName),
  field(t('users.role'), role), regionField, entField, deptField,
  field(t('users.password'), password, t('account.new.hint')),
  slot,
  h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('users.create'))),
  done);
  return form;
}

export function userView({ me }, id) {
  const wrap = h('div', null, h('p', { class: 'loading' }, t('app.loading')));
  const section = h('section', { class: 'user-view narrow' },
    h('p', { class: 'back' }, h('a', { href: '#/users' }, t('users.back'))), wrap);
  api(`/users/${encodeURIComponent(id)}`).then((u) => draw(u)).catch((err) => replace(wrap, problemBox(err)));
  function draw(u, message) {
    const slot = h('div', { class: 'problem-slot' });
    const displayName = h('input', { type: 'text', name: 'display_name', value: u.display_name || '', maxlength: 100 });
    const dept = h('input', { type: 'text', name: 'department', value: u.department || '', maxlength: 100 });
    const active = h('input', { type: 'checkbox', name: 'active', checked: u.active });
    const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', minlength: 12, maxlength: 128 });
    const roster = u.role === 'cadre' ? departmentPicker(u) : null;
    const form = h('form', {
      id: 'user-edit-form', class: 'stack card', 'data-id': u.id,
      onsubmit: async (e) => {
        e.preventDefault();
        showProblem(slot, null);
        const body = { display_name: displayName.value.trim(), active: active.checked };
        if (u.role === 'cadre') body.department = dept.value.trim();
        // Sent only when changed: the current one may have been deactivated since.
        const chosen = roster && roster.value !== '' ? Number(roster.value) : null;
        if (roster && roster.dataset.loaded === 'true' && chosen !== (u.department_id ?? null)) body.department_id = chosen;
        if (password.value) body.password = password.value;
        try {
          const next = await busy(form, () => api(`/users/${u.id}`, { method: 'PATCH', body }));
          draw(next, t('users.saved'));
        } catch (err) {
          showProblem(slot, err);
        }
      },
    },
    h('h2', null, t('users.edit')),
    field(t('users.display_name'), displayName),
    u.role === 'cadre' ? field(t('users.department'), dept) : null,
    roster ? field(t('users.department_id'), roster, t('users.department_id.hint')) : null,
    checkField(t('users.active'), active),
    field(t('users.new_password'), password, t('users.new_password.hint')),
    slot,
    h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.save'))));
    const unlockSlot = h('div', { class: 'problem-slot' });
    const unlockDone = h('div');
    const unlock = h('button', {
      type: 'button', class: 'btn btn-secondary', 'data-action': 'unlock-user',
      onclick: async () => {
        showProblem(unlockSlot, null);
        unlockDone.replaceChildren();
        unlock.disabled = true;
        try {
          await api(`/users/${u.id}/unlock`, { method: 'POST', body: {} });
          unlockDone.append(notice(t('users.unlocked')));
        } catch (err) {
          showProblem(unlockSlot, err);
        } finally {
          unlock.disabled = false;
        }
      },
    }, t('users.unlock'));
    replace(wrap,
      h('h1', null, u.display_name || u.username),
      message ? notice(message) : null,
      h('section', { class: 'panel', id: 'user', 'data-id': u.id },
        h('dl', { class: 'facts' },
          h('dt', null, t('users.username')), h('dd', null, u.username),
          h('dt', null, t('users.role')), h('dd', null, t(`role.${u.role}`)),
          u.region_code ? [h('dt', null, t('users.region_code')), h('dd', null, u.region_code)] : null,
          u.department_id ? [h('dt', null, t('users.department_id')), h('dd', null, departmentLabel(u.department_id))] : null,
          u.enterprise_id ? [h('dt', null, t('users.enterprise_id')), h('dd', null, h('a', { href: `#/enterprises/${u.enterprise_id}` }, entLabel(u.enterprise_id)))] : null,
          h('dt', null, t('common.status')), h('dd', null, activeLabel(u.active)),
          h('dt', null, t('account.created')), h('dd', null, dateTime(u.created_at)))),
      form,
      h('section', { class: 'panel' },
        h('h2', null, t('users.unlock')),
        h('p', { class: 'hint' }, t('users.unlock.hint')),
        unlockSlot, h('div', { class: 'btn-row' }, unlock), unlockDone));
  }
  void me;
  return section;
}

/**
 * select[name=department_id]: the active departments of the cadre's own region (the only ones
 * they may join), their current one kept even if deactivated since, and "none".
 */
function departmentPicker(u) {
  const select = h('select', { name: 'department_id' }, h('option', { value: '' }, t('users.department_id.none')));
  const keep = (d) => d.region_code === u.region_code && (d.active || d.id === u.department_id);
  (async () => {
    let cursor = null;
    do {
      const page = await api(`/departments${qs({ region: u.region_code, limit: 200, cursor })}`);
      for (const d of page.items.filter(keep)) {
        select.append(h('option', { value: d.id, selected: d.id === u.department_id },
          d.active ? d.name : `${d.name}（${t('common.inactive')}）`));
      }
      cursor = page.next_cursor;
    } while (cursor);
    // Until the list is whole the choice is not read (it would look like "none").
    select.dataset.loaded = 'true';
  })().catch(() => {});
  return select;
}
