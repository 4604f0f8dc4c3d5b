// The app's entry: restore the session (refresh cookie), draw the header, route by hash.

import { h, replace } from './dom.js';
import { t, toggleLang, getLang, setLang } from './i18n.js';
import { api, refresh, logout, whenSignedOut, signedIn, clearCache } from './api.js';
import { current, go, onChange } from './router.js';
import { problemBox, setViewer } from './ui.js';
import { loginView } from './views/login.js';
import { mapView } from './views/map.js';
import { queueView } from './views/queue.js';
import { ticketView } from './views/ticket.js';
import { portalView, newDemandView } from './views/portal.js';
import { accountView } from './views/account.js';
import { usersView, userView } from './views/users.js';
import { enterprisesView, enterpriseView } from './views/enterprises.js';
import { clientsView } from './views/clients.js';
import { categoriesView } from './views/categories.js';
import { calendarView } from './views/calendar.js';
import { importsView } from './views/imports.js';
import { reportsView } from './views/reports.js';
import { oversightView } from './views/oversight.js';
import { departmentsView } from './views/departments.js';
import { workloadView } from './views/workload.js';

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
const skip = document.getElementById('skip-link');

/** The signed-in user (GET /me), or null. */
let me = null;

const STAFF = ['admin', 'supervisor'];

export function homeOf(user) {
  if (!user) return '#/login';
  if (STAFF.includes(user.role)) return '#/map';
  if (user.role === 'cadre') return '#/queue';
  return '#/portal';
}

function navLinks(user) {
  if (!user) return [];
  // The work pages first (their order kept), then the management pages of the role.
  if (STAFF.includes(user.role)) {
    return [['#/map', t('nav.map')], ['#/oversight', t('nav.oversight')], ['#/workload', t('nav.workload')],
      ['#/queue', t('nav.queue.staff')],
      ['#/reports', t('nav.reports')], ['#/users', t('nav.users')], ['#/departments', t('nav.departments')],
      ['#/enterprises', t('nav.enterprises')],
      ['#/imports', t('nav.imports')], ['#/categories', t('nav.categories')], ['#/calendar', t('nav.calendar')],
      ['#/account', t('nav.account')]];
  }
  if (user.role === 'cadre') {
    return [['#/queue', t('nav.queue.cadre')], ['#/enterprises', t('nav.enterprises.cadre')],
      ['#/categories', t('nav.categories')], ['#/calendar', t('nav.calendar')], ['#/account', t('nav.account')]];
  }
  return [['#/portal', t('nav.portal')], ['#/portal/new', t('nav.new')], ['#/clients', t('nav.clients')],
    ['#/categories', t('nav.categories')], ['#/calendar', t('nav.calendar')], ['#/account', t('nav.account')]];
}

function drawHeader() {
  const route = current();
  const here = `#/${route.parts.join('/')}`;
  const section = `#/${route.parts[0] || ''}`;
  const hrefs = navLinks(me).map(([href]) => href);
  // A page's own link is current; a detail page (#/users/7) marks its list's link.
  const currentOf = hrefs.includes(here) ? here : section;
  const links = navLinks(me).map(([href, label]) =>
    h('a', { href, class: 'nav-link', 'aria-current': currentOf === href ? 'page' : null }, label));
  replace(topbar,
    h('div', { class: 'topbar-inner' },
      h('a', { class: 'brand', href: me ? homeOf(me) : '#/login' },
        h('img', { src: '/app/icon.svg', alt: '', width: 24, height: 24 }),
        h('span', null, t('app.name'))),
      links.length ? h('nav', { class: 'topnav', 'aria-label': t('nav.main') }, links) : null,
      h('div', { class: 'topbar-tools' },
        me ? h('span', { class: 'who' },
          h('span', { class: 'who-name' }, me.display_name || me.username),
          h('span', { class: 'who-role' }, t(`role.${me.role}`))) : null,
        h('button', {
          type: 'button', id: 'lang-switch', class: 'btn btn-ghost',
          lang: getLang() === 'zh-CN' ? 'en' : 'zh-CN',
          'aria-label': t('lang.switch.label'),
          onclick: () => { toggleLang(); render(); },
        }, t('lang.switch')),
        me ? h('button', { type: 'button', id: 'logout', class: 'btn btn-ghost', onclick: signOut }, t('logout')) : null)));
  skip.textContent = t('app.skip');
  document.title = t('app.name');
}

async function signOut() {
  await logout().catch(() => {});
  me = null;
  clearCache();
  go('#/login');
}

async function loadMe() {
  me = await api('/me');
  setViewer(me);
  return me;
}

/** Which routes each role may open (the API refuses the rest anyway). */
function allowed(view, user) {
  switch (view) {
    case 'map': return STAFF.includes(user.role);
    case 'queue': return user.role !== 'enterprise';
    case 'portal': return user.role === 'enterprise';
    case 'ticket': return true;
    case 'account': return true;
    case 'users': return STAFF.includes(user.role);
    case 'enterprises': return user.role !== 'enterprise';
    case 'clients': return user.role === 'enterprise' || user.role === 'admin';
    case 'categories': return true;
    case 'calendar': return true;
    case 'imports': return STAFF.includes(user.role);
    case 'reports': return STAFF.includes(user.role);
    case 'oversight': return STAFF.includes(user.role);
    case 'departments': return STAFF.includes(user.role);
    case 'workload': return STAFF.includes(user.role);
    default: return false;
  }
}

let renderSeq = 0;
/** Where a signed-out visitor was going (e.g. a ticket link), opened after login. */
let returnTo = null;

async function render() {
  const seq = ++renderSeq;
  const route = current();
  const view = route.parts[0] || '';
  if (!me && signedIn()) {
    try { await loadMe(); } catch { me = null; }
  }
  if (seq !== renderSeq) return;
  if (!me) {
    drawHeader();
    if (view !== 'login') { if (view) returnTo = location.hash; go('#/login'); return; }
    show(loginView({ onLoggedIn: afterLogin }));
    return;
  }
  if (view === 'login' || view === '' || !allowed(view, me)) {
    go(homeOf(me));
    return;
  }
  drawHeader();
  const ctx = { me, route, rerender: render };
  try {
    let el;
    if (view === 'map') el = mapView(ctx);
    else if (view === 'queue') el = queueView(ctx);
    else if (view === 'ticket') el = ticketView(ctx, route.parts[1]);
    else if (view === 'portal' && route.parts[1] === 'new') el = newDemandView(ctx);
    else if (view === 'account') el = accountView(ctx);
    else if (view === 'users') el = route.parts[1] ? userView(ctx, route.parts[1]) : usersView(ctx);
    else if (view === 'enterprises') el = route.parts[1] ? enterpriseView(ctx, route.parts[1]) : enterprisesView(ctx);
    else if (view === 'clients') el = clientsView(ctx);
    else if (view === 'categories') el = categoriesView(ctx);
    else if (view === 'calendar') el = calendarView(ctx);
    else if (view === 'imports') el = importsView(ctx);
    else if (view === 'reports') el = reportsView(ctx);
    else if (view === 'oversight') el = oversightView(ctx);
    else if (view === 'departments') el = departmentsView(ctx);
    else if (view === 'workload') el = workloadView(ctx);
    else el = portalView(ctx);
    show(el);
  } catch (err) {
    show(h('section', null, h('h1', null, t('problem.generic')), problemBox(err)));
  }
}

function show(el) {
  replace(main, el);
  window.scrollTo(0, 0);
}

async function afterLogin() {
  clearCache();
  await loadMe();
  const target = returnTo;
  returnTo = null;
  go(target || homeOf(me));
}

whenSignedOut(() => {
  me = null;
  clearCache();
  if (current().parts[0] !== 'login') {
    returnTo = location.hash;
    go('#/login');
  }
});

async function boot() {
  setLang(getLang());
  drawHeader();
  if (await refresh()) {
    try { await loadMe(); } catch { me = null; }
  }
  onChange(render);
  render();
}

boot();
