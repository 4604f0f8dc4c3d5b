// #/clients — enterprise staff: their enterprise's API clients (GET/POST
// /enterprises/{id}/clients, DELETE .../{client_id}). A new client's secret is shown once.
// Admins may open #/clients?enterprise=ID from an enterprise's page.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { field, showProblem, busy, notice, dataTable, problemBox, entLabel } from '../ui.js';
import { dateTime } from '../format.js';

export function clientsView({ me, route }) {
  const q = route.query.get('enterprise');
  const entId = me.role === 'enterprise' ? me.enterprise_id : (/^\d+$/.test(q || '') ? Number(q) : null);
  if (!entId) return h('section', { class: 'clients-view narrow' }, h('h1', null, t('clients.title')), h('p', { class: 'empty' }, t('clients.pick')));
  const base = `/enterprises/${entId}/clients`;
  const listSlot = h('div', null, h('p', { class: 'loading' }, t('app.loading')));
  const listProblem = h('div', { class: 'problem-slot' });
  const secretSlot = h('div');

  async function load(message) {
    try {
      const page = await api(base);
      const body = h('tbody', null, page.items.map((c) => {
        const revoke = c.revoked_at ? null : h('button', {
          type: 'button', class: 'btn btn-danger btn-small', 'data-action': 'revoke-client',
          onclick: async (e) => {
            const btn = e.currentTarget;
            // Two steps: the first click asks, the second revokes.
            if (btn.dataset.confirm !== 'yes') { btn.dataset.confirm = 'yes'; btn.textContent = t('clients.revoke.confirm'); return; }
            showProblem(listProblem, null);
            btn.disabled = true;
            try {
              await api(`${base}/${encodeURIComponent(c.client_id)}`, { method: 'DELETE' });
              load(t('clients.revoked.done', { name: c.name }));
            } catch (err) {
              btn.disabled = false;
              showProblem(listProblem, err);
            }
          },
        }, t('clients.revoke'));
        return h('tr', { class: `client-row${c.revoked_at ? ' revoked' : ''}`, 'data-id': c.client_id },
          h('th', { scope: 'row' }, c.name),
          h('td', null, h('code', null, c.client_id)),
          h('td', { class: 'nowrap' }, dateTime(c.created_at)),
          h('td', null, c.revoked_at ? h('span', { class: 'status status-inactive' }, t('clients.revoked', { time: dateTime(c.revoked_at) })) : h('span', { class: 'status status-active' }, t('clients.live'))),
          h('td', null, revoke));
      }));
      replace(listSlot, message ? notice(message) : null,
        page.items.length ? dataTable(null, [t('clients.name'), t('clients.client_id'), t('clients.created'), t('common.status'), t('col.actions')], body, { wide: true })
          : h('p', { class: 'empty' }, t('clients.none')));
    } catch (err) {
      replace(listSlot, problemBox(err));
    }
  }

  const slot = h('div', { class: 'problem-slot' });
  const name = h('input', { type: 'text', name: 'name', required: true, maxlength: 100 });
  const form = h('form', {
    id: 'client-form', class: 'stack',
    onsubmit: async (e) => {
      e.preventDefault();
      showProblem(slot, null);
      secretSlot.replaceChildren();
      try {
        const c = await busy(form, () => api(base, { method: 'POST', body: { name: name.value.trim() } }));
        form.reset();
        replace(secretSlot, h('div', { id: 'client-secret', class: 'secret-box', role: 'status' },
          h('p', { class: 'secret-title' }, t('clients.secret.once')),
          h('dl', { class: 'facts' },
            h('dt', null, t('clients.client_id')), h('dd', null, h('code', { class: 'client-id' }, c.client_id)),
            h('dt', null, t('clients.secret')), h('dd', null, h('code', { class: 'client-secret' }, c.client_secret)))));
        load();
      } catch (err) {
        showProblem(slot, err);
      }
    },
  },
  field(t('clients.name'), name, t('clients.name.hint')),
  slot,
  h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('clients.create'))));

  load();
  return h('section', { class: 'clients-view' },
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, t('clients.title')), h('p', { class: 'muted' }, entLabel(entId)))),
    h('p', { class: 'hint lead-hint' }, t('clients.lead')),
    h('div', { class: 'grid-2' },
      h('section', { class: 'panel', 'aria-label': t('clients.title') }, listProblem, listSlot),
      h('section', { class: 'panel' }, h('h2', null, t('clients.new')), form, secretSlot)));
}
