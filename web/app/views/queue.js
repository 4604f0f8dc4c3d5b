// #/queue?status=... — the cadres' workbench (their tickets, assignee=me), or for supervisors
// and admins their region's tickets; ordered by due time, filtered by status.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { qs } from '../api.js';
import { link, go } from '../router.js';
import { ticketList, field, OPEN_STATUSES } from '../ui.js';

const OPEN = OPEN_STATUSES.join(',');
const CHOICES = [
  [OPEN, 'status.open'],
  ['submitted', 'status.submitted'],
  ['assigned', 'status.assigned'],
  ['in_progress', 'status.in_progress'],
  ['awaiting_enterprise', 'status.awaiting_enterprise'],
  ['resolved', 'status.resolved'],
  ['closed', 'status.closed'],
  ['withdrawn', 'status.withdrawn'],
  ['all', 'status.all'],
];

export function queueView({ me, route }) {
  const cadre = me.role === 'cadre';
  let status = route.query.get('status') || OPEN;
  if (!CHOICES.some(([v]) => v === status)) status = OPEN;
  const select = h('select', {
    id: 'status-filter', name: 'status',
    onchange: (e) => go(link('/queue', { status: e.currentTarget.value === OPEN ? '' : e.currentTarget.value })),
  }, CHOICES.map(([value, key]) => h('option', { value, selected: value === status }, t(key))));
  select.value = status;
  const filters = {
    assignee: cadre ? 'me' : '',
    region: me.role === 'supervisor' ? me.region_code : '',
    status: status === 'all' ? '' : status,
    sort: 'due',
  };
  const title = t(cadre ? 'queue.title.cadre' : 'queue.title.staff');
  return h('section', { class: 'queue-view' },
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, title), h('p', { class: 'muted' }, t('queue.count'))),
      h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() }, field(t('queue.filter'), select))),
    h('section', { class: 'panel', 'aria-label': title },
      ticketList((cursor) => `/tickets${qs({ ...filters, limit: 50, cursor })}`, { empty: t('queue.empty') })));
}
