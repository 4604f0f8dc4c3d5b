// #/oversight?status=open|overdue|answered|all&region=CODE — admins and supervisors: what waits
// for them besides the map. The supervision orders (督办) on tickets of their region
// (GET /supervision) with their answers, the extension requests to decide (as on the battle
// map), and the demands waiting for dispatch at their own level (待派单).

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { qs } from '../api.js';
import { link, go } from '../router.js';
import { dateTime } from '../format.js';
import { field, pagedTable, ticketList, userLabel, regionLevel, regionLabel } from '../ui.js';
import { orderStatus } from './coordination.js';
import { extensionQueue, ticketTitle } from './map.js';

const STATES = ['open', 'overdue', 'answered', 'all'];

export function oversightView({ me, route }) {
  const q = route.query;
  const status = STATES.includes(q.get('status')) ? q.get('status') : 'open';
  const region = /^\d{6}$/.test(q.get('region') || '') ? q.get('region') : (me.region_code || '');
  const scope = region ? { region } : {};

  const statusSelect = h('select', { id: 'supervision-status', name: 'status' },
    STATES.map((s) => h('option', { value: s, selected: s === status }, t(`ov.status.${s}`))));
  const regionInput = h('input', { type: 'text', id: 'oversight-region', name: 'region', inputmode: 'numeric', pattern: '\\d{6}', value: region });
  const filters = h('form', {
    id: 'oversight-filters', class: 'filters filter-row',
    onsubmit: (e) => {
      e.preventDefault();
      go(link('/oversight', { status: statusSelect.value, region: regionInput.value.trim() }));
    },
  },
  field(t('ov.status'), statusSelect), field(t('ov.region'), regionInput),
  h('button', { type: 'submit', class: 'btn btn-secondary' }, t('common.apply')));
  statusSelect.addEventListener('change', () => filters.requestSubmit());

  const orders = pagedTable(t('ov.orders.caption'),
    [t('col.ticket'), t('ov.col.instruction'), t('ov.col.issued'), t('ov.col.respond_by'), t('col.status'), t('ov.col.response')],
    (cursor) => `/supervision${qs({ ...scope, status: status === 'all' ? '' : status, limit: 50, cursor })}`,
    (o) => h('tr', {
      class: `supervision-row${o.overdue ? ' row-overdue' : ''}`, 'data-id': o.id, 'data-ticket-id': o.ticket_id,
      'data-status': o.status, 'data-overdue': String(o.overdue),
    },
    h('td', null, h('a', { href: `#/ticket/${o.ticket_id}` }, ticketTitle(o.ticket_id)), h('span', { class: 'muted' }, ` #${o.ticket_id}`)),
    h('td', { class: 'reason' }, o.instruction),
    h('td', null, userLabel(o.issued_by), h('span', { class: 'muted sub' }, dateTime(o.issued_at))),
    h('td', { class: 'nowrap' }, dateTime(o.respond_by)),
    h('td', null, orderStatus(o)),
    h('td', { class: 'reason' }, o.response || '—',
      o.responded_at ? h('span', { class: 'muted sub' }, dateTime(o.responded_at)) : null)),
    { wide: true, empty: t('ov.orders.none') });

  // A supervisor dispatches at their own level.
  const level = me.role === 'supervisor' ? regionLevel(me.region_code) : null;
  const dispatch = ticketList((cursor) => `/tickets${qs({ ...scope, status: 'submitted', level, sort: 'due', limit: 20, cursor })}`, {
    empty: t('ov.dispatch.none'),
  });

  return h('section', { class: 'oversight-view' },
    h('div', { class: 'page-head' },
      h('div', null,
        h('h1', null, t('ov.title')),
        h('p', { class: 'muted' }, region ? regionLabel(region) : t('map.country'))),
      filters),
    h('section', { class: 'panel', id: 'supervision-orders', 'aria-labelledby': 'orders-h' },
      h('h2', { id: 'orders-h' }, t('ov.orders')), orders),
    h('section', { class: 'panel', id: 'extension-queue', 'aria-labelledby': 'extensions-h' },
      h('h2', { id: 'extensions-h' }, t('map.extensions')), extensionQueue(scope)),
    h('section', { class: 'panel', id: 'dispatch-queue', 'aria-labelledby': 'dispatch-h' },
      h('h2', { id: 'dispatch-h' }, level ? t('ov.dispatch.level', { level: t(`level.${level}`) }) : t('map.dispatch')),
      dispatch));
}
