// #/enterprises?q=&region=&industry=&active= — the enterprises the caller may see (admins all,
// supervisors their region's, cadres their paired ones); admins and supervisors register one
// (POST /enterprises). #/enterprises/ID — one enterprise: edit and deactivate (PATCH), its paired
// cadres (GET/PUT /enterprises/{id}/cadres: add, remove, choose the primary).

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs } from '../api.js';
import { link, go } from '../router.js';
import {
  field, checkField, showProblem, busy, notice, pagedTable, activeLabel, val, problemBox, dataTable,
} from '../ui.js';

const STAFF = ['admin', 'supervisor'];

export function enterprisesView({ me, route }) {
  const q = route.query;
  const staff = STAFF.includes(me.role);
  const filters = {
    q: q.get('q') || '',
    region: /^\d{6}$/.test(q.get('region') || '') ? q.get('region') : '',
    industry: q.get('industry') || '',
    active: ['true', 'false'].includes(q.get('active')) ? q.get('active') : '',
  };
  const name = h('input', { type: 'search', name: 'q', id: 'enterprise-q-filter', value: filters.q });
  const region = h('input', { type: 'text', name: 'region', id: 'enterprise-region-filter', inputmode: 'numeric', pattern: '\\d{6}', value: filters.region });
  const industry = h('input', { type: 'text', name: 'industry', id: 'enterprise-industry-filter', value: filters.industry });
  const active = h('select', { name: 'active', id: 'enterprise-active-filter' },
    h('option', { value: '' }, t('common.all')),
    h('option', { value: 'true', selected: filters.active === 'true' }, t('common.active')),
    h('option', { value: 'false', selected: filters.active === 'false' }, t('common.inactive')));
  const filterForm = h('form', {
    id: 'enterprise-filters', class: 'filters filter-row',
    onsubmit: (e) => {
      e.preventDefault();
      go(link('/enterprises', { q: name.value.trim(), region: region.value.trim(), industry: industry.value.trim(), active: active.value }));
    },
  },
  field(t('ents.q'), name), field(t('ents.region'), region), field(t('ents.industry'), industry),
  field(t('common.status'), active),
  h('button', { type: 'submit', class: 'btn btn-secondary' }, t('common.apply')));

  const list = pagedTable(t('ents.caption'),
    [t('common.id'), t('ents.name'), t('ents.uscc'), t('ents.county_code'), t('ents.industry'), t('common.status')],
    (cursor) => `/enterprises${qs({ ...filters, limit: 50, cursor })}`,
    (e) => h('tr', { class: 'enterprise-row', 'data-id': e.id },
      h('td', { class: 'num' }, e.id),
      h('th', { scope: 'row' }, h('a', { href: `#/enterprises/${e.id}` }, e.name)),
      h('td', { class: 'nowrap' }, e.uscc),
      h('td', null, e.county_code),
      h('td', null, e.industry || '—'),
      h('td', null, activeLabel(e.active))),
    { wide: true, empty: t('ents.empty') });

  return h('section', { class: 'enterprises-view' },
    h('div', { class: 'page-head' }, h('h1', null, t(staff ? 'ents.title' : 'ents.title.cadre')), filterForm),
    h('div', { class: staff ? 'grid-2' : 'grid-2 single' },
      h('section', { class: 'panel', 'aria-label': t('ents.caption') }, list),
      staff ? h('section', { class: 'panel' }, h('h2', null, t('ents.new')), enterpriseForm(null, me)) : null));
}

/** form#enterprise-form (new) or form#enterprise-edit-form (existing). */
function enterpriseForm(ent, me, onSaved) {
  const slot = h('div', { class: 'problem-slot' });
  const done = h('div');
  const inputs = {
    name: h('input', { type: 'text', name: 'name', required: true, maxlength: 200, value: ent?.name || '' }),
    uscc: h('input', { type: 'text', name: 'uscc', required: true, minlength: 18, maxlength: 18, autocapitalize: 'characters', value: ent?.uscc || '' }),
    county_code: h('input', { type: 'text', name: 'county_code', required: true, inputmode: 'numeric', pattern: '\\d{6}', value: ent?.county_code || (me.region_code || '') }),
    industry: h('input', { type: 'text', name: 'industry', maxlength: 100, value: ent?.industry || '' }),
    contact_name: h('input', { type: 'text', name: 'contact_name', maxlength: 100, value: ent?.contact_name || '' }),
    contact_phone: h('input', { type: 'text', name: 'contact_phone', inputmode: 'tel', maxlength: 40, value: ent?.contact_phone || '' }),
  };
  const active = ent ? h('input', { type: 'checkbox', name: 'active', checked: ent.active }) : null;
  const form = h('form', {
    id: ent ? 'enterprise-edit-form' : 'enterprise-form', class: 'stack', 'data-id': ent?.id,
    onsubmit: async (e) => {
      e.preventDefault();
      showProblem(slot, null);
      done.replaceChildren();
      const body = {};
      for (const [k, input] of Object.entries(inputs)) {
        const v = input.value.trim();
        if (ent) { if (v !== (ent[k] || '')) body[k] = v; } else if (v) body[k] = v;
      }
      if (ent && active.checked !== ent.active) body.active = active.checked;
      try {
        if (ent) {
          const next = await busy(form, () => api(`/enterprises/${ent.id}`, { method: 'PATCH', body }));
          onSaved(next);
        } else {
          const created = await busy(form, () => api('/enterprises', { method: 'POST', body }));
          form.reset();
          done.append(notice(t('ents.created', { name: created.name })),
            h('p', null, h('a', { href: `#/enterprises/${created.id}` }, t('ents.open', { name: created.name }))));
        }
      } catch (err) {
        showProblem(slot, err);
      }
    },
  },
  field(t('ents.name'), inputs.name),
  field(t('ents.uscc'), inputs.uscc, t('ents.uscc.hint')),
  field(t('ents.county_code'), inputs.county_code, t('ents.county_code.hint')),
  field(t('ents.industry'), inputs.industry),
  field(t('ents.contact_name'), inputs.contact_name),
  field(t('ents.contact_phone'), inputs.contact_phone),
  active ? checkField(t('ents.active'), active) : null,
  slot,
  h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t(ent ? 'common.save' : 'ents.create'))),
  done);
  return form;
}

export function enterpriseView({ me }, id) {
  const staff = STAFF.includes(me.role);
  const wrap = h('div', null, h('p', { class: 'loading' }, t('app.loading')));
  const section = h('section', { class: 'enterprise-view' },
    h('p', { class: 'back' }, h('a', { href: '#/enterprises' }, t('ents.back'))), wrap);
  api(`/enterprises/${encodeURIComponent(id)}`).then((e) => draw(e)).catch((err) => replace(wrap, problemBox(err)));
  function draw(ent, message) {
    const facts = h('dl', { class: 'facts' },
      h('dt', null, t('ents.uscc')), h('dd', null, ent.uscc),
      h('dt', null, t('ents.county_code')), h('dd', null, ent.county_code),
      h('dt', null, t('ents.industry')), h('dd', null, ent.industry || '—'),
      h('dt', null, t('ents.contact_name')), h('dd', null, ent.contact_name || '—'),
      h('dt', null, t('ents.contact_phone')), h('dd', null, ent.contact_phone || '—'),
      h('dt', null, t('common.status')), h('dd', null, activeLabel(ent.active)));
    replace(wrap,
      h('h1', { id: 'enterprise', 'data-id': ent.id }, ent.name),
      message ? notice(message) : null,
      h('div', { class: 'grid-2' },
        h('div', null,
          h('section', { class: 'panel' }, h('h2', null, t('ents.facts')), facts),
          cadresPanel(ent, staff)),
        staff ? h('section', { class: 'panel' }, h('h2', null, t('ents.edit')),
          enterpriseForm(ent, me, (next) => draw(next, t('ents.saved'))),
          me.role === 'admin' ? h('p', { class: 'hint' }, h('a', { href: link('/clients', { enterprise: ent.id }) }, t('clients.of'))) : null) : null));
  }
  return section;
}

/**
 * The cadres who may assist an enterprise: active ones whose region holds its county, i.e. the
 * county's own and those of the city and province above it (the `region` filter of /users takes a
 * subtree, so for the regions above only their own cadres are kept; a few pages at most each).
 */
async function cadresFor(county) {
  const list = async (region, exact) => {
    const out = [];
    let cursor = null;
    for (let i = 0; i < 5; i += 1) {
      const page = await api(`/users${qs({ role: 'cadre', region, active: 'true', limit: 200, cursor })}`);
      out.push(...page.items.filter((u) => !exact || u.region_code === region));
      cursor = page.next_cursor;
      if (!cursor) break;
    }
    return out;
  };
  const own = await list(county, false);
  let above = [];
  try {
    const r = await api(`/regions/${county}`);
    above = (await Promise.all(r.ancestors.map((a) => list(a.code, true).catch(() => [])))).flat();
  } catch { /* the county's cadres only */ }
  return [...own, ...above];
}

/** section#enterprise-cadres: the paired cadres, the primary first; staff add, remove, pick the primary (PUT the whole set). */
function cadresPanel(ent, staff) {
  const panel = h('section', { class: 'panel', id: 'enterprise-cadres', 'data-id': ent.id });
  const slot = h('div', { class: 'problem-slot' });
  let cadres = [];
  let candidates = null;
  async function save(next, message) {
    showProblem(slot, null);
    try {
      const res = await api(`/enterprises/${ent.id}/cadres`, {
        method: 'PUT', body: { cadres: next.map((c) => ({ user_id: c.user_id, primary: !!c.primary })) },
      });
      cadres = res.items;
      draw(message);
    } catch (err) {
      showProblem(slot, err);
    }
  }
  function draw(message) {
    const body = h('tbody', null, cadres.map((c) => h('tr', { class: 'cadre-row', 'data-user-id': c.user_id, 'data-primary': c.primary ? 'true' : 'false' },
      h('th', { scope: 'row' }, c.display_name || c.username, c.primary ? h('span', { class: 'tag tag-primary' }, t('cadres.primary')) : null),
      h('td', null, c.username),
      h('td', null, c.department || '—'),
      staff ? h('td', { class: 'actions' }, h('div', { class: 'btn-row' },
        c.primary ? null : h('button', {
          type: 'button', class: 'btn btn-secondary btn-small', 'data-action': 'set-primary',
          onclick: () => save(cadres.map((x) => ({ ...x, primary: x.user_id === c.user_id })), t('cadres.saved')),
        }, t('cadres.make_primary')),
        h('button', {
          type: 'button', class: 'btn btn-danger btn-small', 'data-action': 'remove-cadre',
          onclick: () => {
            let rest = cadres.filter((x) => x.user_id !== c.user_id);
            if (c.primary && rest.length) rest = rest.map((x, i) => ({ ...x, primary: i === 0 }));
            save(rest, t('cadres.saved'));
          },
        }, t('cadres.remove')))) : null)));
    const cols = [t('cadres.name'), t('users.username'), t('users.department')];
    if (staff) cols.push(t('col.actions'));
    replace(panel,
      h('h2', null, t('cadres.title')),
      message ? notice(message) : null,
      slot,
      cadres.length ? dataTable(null, cols, body) : h('p', { class: 'empty' }, t('cadres.none')),
      staff ? addForm() : null);
  }
  function addForm() {
    const select = h('select', { name: 'user_id', required: true }, h('option', { value: '' }, t('cadres.pick')));
    const label = (u) => `${u.display_name || u.username}${u.department ? ` · ${u.department}` : ''} (${u.username})`;
    const primary = h('input', { type: 'checkbox', name: 'primary', checked: cadres.length === 0 });
    const fill = (list) => {
      for (const u of list) {
        if (!cadres.some((c) => c.user_id === u.id)) {
          select.append(h('option', { value: u.id }, label(u)));
        }
      }
    };
    if (!candidates) candidates = cadresFor(ent.county_code);
    candidates.then(fill).catch((err) => showProblem(slot, err));
    const form = h('form', {
      id: 'cadre-add-form', class: 'stack add-form',
      onsubmit: (e) => {
        e.preventDefault();
        if (!select.value) return;
        const uid = Number(select.value);
        let next = cadres.map((c) => ({ ...c, primary: primary.checked ? false : c.primary }));
        next.push({ user_id: uid, primary: primary.checked || next.length === 0 });
        save(next, t('cadres.saved'));
      },
    },
    h('h3', null, t('cadres.add')),
    field(t('cadres.cadre'), select, t('cadres.pick.hint')),
    checkField(t('cadres.as_primary'), primary),
    h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('cadres.add.submit'))));
    return form;
  }
  replace(panel, h('h2', null, t('cadres.title')), h('p', { class: 'loading' }, t('app.loading')));
  api(`/enterprises/${ent.id}/cadres`).then((res) => { cadres = res.items; draw(); })
    .catch((err) => replace(panel, h('h2', null, t('cadres.title')), problemBox(err)));
  return panel;
}
