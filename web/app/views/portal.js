// #/portal — an enterprise's demands; #/portal/new — file one (POST /tickets, Idempotency-Key).

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs } from '../api.js';
import { go } from '../router.js';
import { ticketList, field, showProblem, busy, categoryNames } from '../ui.js';

export function portalView() {
  return h('section', { class: 'portal-view' },
    h('div', { class: 'page-head' },
      h('h1', null, t('portal.title')),
      h('a', { id: 'new-demand', href: '#/portal/new', class: 'btn btn-primary' }, t('portal.new'))),
    h('section', { class: 'panel', 'aria-label': t('portal.title') },
      ticketList((cursor) => `/tickets${qs({ limit: 50, cursor })}`, { empty: t('portal.empty'), showEnterprise: false })));
}

function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

export function newDemandView() {
  const slot = h('div', { class: 'problem-slot' });
  const category = h('select', { name: 'category', required: true },
    h('option', { value: '' }, t('new.category.pick')));
  categoryNames().then((cats) => {
    for (const c of cats.values()) {
      if (c.active) category.append(h('option', { value: c.code }, c.name));
    }
  }).catch((err) => showProblem(slot, err));
  const title = h('input', { name: 'title', type: 'text', maxlength: 200, required: true });
  const description = h('textarea', { name: 'description', rows: 8, maxlength: 10000, required: true });
  // One key per form: a retry after a lost answer files nothing new.
  let key = newKey();
  let lastBody = '';
  const form = h('form', {
    id: 'demand-form', class: 'stack card',
    onsubmit: async (e) => {
      e.preventDefault();
      showProblem(slot, null);
      const body = { category: category.value, title: title.value.trim(), description: description.value.trim() };
      const text = JSON.stringify(body);
      if (lastBody && text !== lastBody) key = newKey();
      lastBody = text;
      try {
        const tk = await busy(form, () => api('/tickets', { method: 'POST', body, headers: { 'Idempotency-Key': key } }));
        go(`#/ticket/${tk.id}`);
      } catch (err) {
        showProblem(slot, err);
      }
    },
  },
  field(t('new.category'), category),
  field(t('new.title.field'), title),
  field(t('new.description'), description, t('new.description.hint')),
  slot,
  h('div', { class: 'btn-row' },
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('new.submit')),
    h('a', { href: '#/portal', class: 'btn btn-secondary' }, t('common.cancel'))));
  return h('section', { class: 'new-view narrow' }, h('h1', null, t('new.title')), form);
}
