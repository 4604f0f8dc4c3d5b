// #/queue?tab=...&status=... — the cadres' workbench: the tickets they handle (assignee=me) or,
// on the 协办 tab, those they assist (collaborating=me); for supervisors and admins their
// region's tickets, or on the 督办 tab those under an open supervision order (supervised=true).
// Ordered by due time, filtered by status; supervised tickets carry a 督办 badge.

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

// Each tab's list filter, by role.
const TABS = {
  cadre: { assigned: { assignee: 'me' }, collaborating: { collaborating: 'me' } },
  staff: { all: {}, supervised: { supervised: 'true' } },
};

export function queueView({ me, route }) {
  const cadre = me.role === 'cadre';
  const tabs = TABS[cadre ? 'cadre' : 'staff'];
  const names = Object.keys(tabs);
  const tab = names.includes(route.query.get('tab')) ? route.query.get('tab') : names[0];
  let status = route.query.get('status') || OPEN;
  if (!CHOICES.some(([v]) => v === status)) status = OPEN;
  const here = (params) => link('/queue', { tab: tab === names[0] ? '' : tab, status: status === OPEN ? '' : status, ...params });
  const select = h('select', {
    id: 'status-filter', name: 'status',
    onchange: (e) => go(here({ status: e.currentTarget.value === OPEN ? '' : e.currentTarget.value })),
  }, CHOICES.map(([value, key]) => h('option', { value, selected: value === status }, t(key))));
  select.value = status;
  const filters = {
    ...tabs[tab],
    region: me.role === 'supervisor' ? me.region_code : '',
    status: status === 'all' ? '' : status,
    sort: 'due',
  };
  const title = t(cadre ? 'queue.title.cadre' : 'queue.title.staff');
  const tabNav = h('nav', { class: 'tabs', 'aria-label': t('queue.tabs') }, names.map((name) => h('a', {
    href: here({ tab: name === names[0] ? '' : name }), class: 'tab', 'data-tab': name,
    'aria-current': name === tab ? 'page' : null,
  }, t(`queue.tab.${name}`))));
  return h('section', { class: 'queue-view' },
    h('div', { class: 'page-head' },
      h('div', null, h('h1', null, title), h('p', { class: 'muted' }, t('queue.count'))),
      h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() }, field(t('queue.filter'), select))),
    tabNav,
    h('section', { class: 'panel', 'aria-label': `${title} · ${t(`queue.tab.${tab}`)}` },
      ticketList((cursor) => `/tickets${qs({ ...filters, limit: 50, cursor })}`, { empty: t(tab === 'collaborating' ? 'queue.empty.collaborating' : 'queue.empty') })));
}
