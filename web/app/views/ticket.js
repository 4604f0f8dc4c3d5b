// #/ticket/ID — one demand: its facts and clocks, the moves the user may make now (each opens
// form.move-form[data-action] with the fields the API asks for), the events and the comments;
// for the government side also its assisting cadres (协办) and supervision orders (督办)
// (views/coordination.js). An assisting cadre who is not the assignee reads it, comments and
// completes their task, nothing else, so the page offers them only that.

import { h, replace } from '../dom.js';
import { t, has } from '../i18n.js';
import { api, qs, ApiError } from '../api.js';
import { dateTime } from '../format.js';
import { extensionActions } from './map.js';
import { collaboratorsPanel, supervisionPanel } from './coordination.js';
import {
  problemBox, showProblem, light, statusLabel, entLabel, userLabel, categoryLabel, field, busy,
  notice, OPEN_STATUSES, lazyName, userName, enterpriseName, checkField, supervisedTag,
  regionLevel, LEVELS,
} from '../ui.js';

const STAFF = ['admin', 'supervisor', 'cadre'];

/** Whether `me` covers the ticket: an admin, or a supervisor of its level or above (SPEC section 3). */
function covering(me, tk) {
  if (me.role === 'admin') return true;
  return me.role === 'supervisor' && LEVELS.indexOf(regionLevel(me.region_code)) <= LEVELS.indexOf(tk.level);
}

/** The moves to offer, by role and status (the API still decides; its refusal is shown). */
function movesFor(me, tk, pendingExtension) {
  const s = tk.status;
  const moves = [];
  if (me.role === 'enterprise') {
    if (s === 'awaiting_enterprise') moves.push('provide-info');
    if (s === 'resolved') moves.push('confirm', 'reopen');
    if (OPEN_STATUSES.includes(s)) moves.push('withdraw');
    return moves;
  }
  const assignee = tk.assignee_id === me.id;
  const covers = covering(me, tk);
  if (assignee) {
    if (s === 'assigned') moves.push('accept');
    if (s === 'in_progress') moves.push('resolve', 'request-info');
  }
  if (covers && ['submitted', 'assigned', 'in_progress'].includes(s)) moves.push('assign');
  if ((assignee || covers) && ['assigned', 'in_progress', 'awaiting_enterprise'].includes(s) && tk.level !== 'province') {
    moves.push('escalate');
  }
  if (assignee && ['assigned', 'in_progress'].includes(s)) moves.push('return');
  if (assignee && OPEN_STATUSES.includes(s) && s !== 'submitted' && !pendingExtension) moves.push('request-extension');
  return moves;
}

/** Each move's fields, its path and how its body is built from the form. */
const MOVES = {
  accept: { fields: () => [h('p', { class: 'hint' }, t('field.accept.hint'))], body: () => ({}) },
  resolve: {
    fields: () => [field(t('field.resolution'), h('textarea', { name: 'resolution', rows: 4, required: true }))],
    body: (f) => ({ resolution: f.resolution.value.trim() }),
  },
  escalate: {
    fields: () => [field(t('field.reason.escalate'), h('textarea', { name: 'reason', rows: 3, required: true }))],
    body: (f) => ({ reason: f.reason.value.trim() }),
  },
  reopen: {
    fields: () => [field(t('field.reason.reopen'), h('textarea', { name: 'reason', rows: 3, required: true }))],
    body: (f) => ({ reason: f.reason.value.trim() }),
  },
  withdraw: {
    fields: () => [field(t('field.reason.withdraw'), h('textarea', { name: 'reason', rows: 3, required: true }))],
    body: (f) => ({ reason: f.reason.value.trim() }),
  },
  return: {
    fields: () => [field(t('field.reason.return'), h('textarea', { name: 'reason', rows: 3, required: true }), t('field.return.hint'))],
    body: (f) => ({ reason: f.reason.value.trim() }),
  },
  'request-info': {
    fields: () => [field(t('field.question'), h('textarea', { name: 'question', rows: 3, required: true }))],
    body: (f) => ({ question: f.question.value.trim() }),
  },
  'provide-info': {
    fields: () => [field(t('field.answer'), h('textarea', { name: 'answer', rows: 4, required: true }))],
    body: (f) => ({ answer: f.answer.value.trim() }),
  },
  confirm: {
    fields: () => [
      field(t('field.rating'), h('select', { name: 'rating', required: true },
        [5, 4, 3, 2, 1].map((n) => h('option', { value: n }, t(`rating.${n}`))))),
      field(t('field.comment'), h('textarea', { name: 'comment', rows: 3 })),
    ],
    body: (f) => {
      const b = { rating: Number(f.rating.value) };
      if (f.comment.value.trim()) b.comment = f.comment.value.trim();
      return b;
    },
  },
  'request-extension': {
    path: (id) => `/tickets/${id}/extensions`,
    fields: () => [
      field(t('field.working_days'), h('input', { name: 'working_days', type: 'number', min: 1, max: 30, step: 1, required: true, value: 5, inputmode: 'numeric' })),
      field(t('field.extension_reason'), h('textarea', { name: 'reason', rows: 3, required: true })),
    ],
    body: (f) => ({ working_days: Number(f.working_days.value), reason: f.reason.value.trim() }),
  },
  assign: {
    fields: (tk) => {
      const list = h('div', { class: 'candidate-list' }, h('p', { class: 'loading' }, t('app.loading')));
      loadCandidates(tk, list, false);
      // A city or province ticket may be handed down (下派), its level staying accountable.
      const delegate = tk.level === 'county' ? null
        : h('input', { type: 'checkbox', name: 'delegate', onchange: (e) => loadCandidates(tk, list, e.currentTarget.checked) });
      return [
        delegate ? [checkField(t('field.delegate'), delegate), h('p', { class: 'hint' }, t('field.delegate.hint'))] : null,
        h('fieldset', { class: 'candidates' },
          h('legend', null, t('field.assignee')),
          h('p', { class: 'hint' }, t('field.assignee.hint')),
          list),
      ];
    },
    body: (f) => {
      const body = { assignee_id: Number(f.assignee_id ? f.assignee_id.value : 0) };
      if (f.delegate && f.delegate.checked) body.delegate = true;
      return body;
    },
  },
};

/**
 * The dispatch candidates (GET /tickets/{id}/candidates) as radio buttons, best first: those
 * whose department handles the ticket's category (对口) first, then the least loaded, each with
 * their department and open demands. Delegating, they are the cadres of the levels below, each
 * named with their region.
 */
async function loadCandidates(tk, list, delegate) {
  replace(list, h('p', { class: 'loading' }, t('app.loading')));
  try {
    const [page, region] = await Promise.all([
      api(`/tickets/${tk.id}/candidates${qs({ delegate: delegate ? 'true' : '', limit: 100 })}`),
      delegate ? api(`/regions/${tk.county_code}`) : null,
    ]);
    const places = new Map(region ? [...region.ancestors, region].map((r) => [r.code, r.name]) : []);
    if (page.items.length === 0) {
      replace(list, h('p', { class: 'empty' }, t('assign.none')));
      return;
    }
    replace(list, page.items.map((c) => h('label', {
      class: `candidate${c.matches_category ? ' candidate-match' : ''}`, 'data-user-id': c.user_id, 'data-matches': String(c.matches_category),
    },
    h('input', { type: 'radio', name: 'assignee_id', value: c.user_id, required: true, checked: !delegate && c.user_id === tk.assignee_id }),
    h('span', { class: 'candidate-text' },
      h('span', { class: 'candidate-name' }, c.display_name || t('user.n', { id: c.user_id }),
        c.matches_category ? h('span', { class: 'tag tag-match' }, t('assign.matches')) : null),
      h('span', { class: 'candidate-meta' },
        [delegate ? places.get(c.region_code) || c.region_code : null, c.department || t('assign.no_department'),
          t('assign.open', { n: c.open_tickets })].filter(Boolean).join(' · '))))));
  } catch (err) {
    replace(list, problemBox(err));
  }
}

function moveForm(tk, move, onDone, onCancel) {
  const spec = MOVES[move];
  const slot = h('div', { class: 'problem-slot' });
  const form = h('form', {
    class: 'move-form stack', 'data-action': move,
    onsubmit: async (e) => {
      e.preventDefault();
      if (!form.reportValidity()) return;
      showProblem(slot, null);
      const path = spec.path ? spec.path(tk.id) : `/tickets/${tk.id}/${move}`;
      try {
        await busy(form, () => api(path, { method: 'POST', body: spec.body(form.elements) }));
        onDone(move);
      } catch (err) {
        showProblem(slot, err);
      }
    },
  },
  h('h3', null, t(`move.${move}`)),
  spec.fields(tk),
  slot,
  h('div', { class: 'btn-row' },
    h('button', { type: 'submit', class: 'btn btn-primary' }, t(`move.${move}`)),
    h('button', { type: 'button', class: 'btn btn-secondary', onclick: onCancel }, t('common.cancel'))));
  return form;
}

/**
 * An event as words: its label and its details. `names` holds the assisting cadres' names (a
 * cadre may not look other users up).
 */
function eventText(ev, names) {
  const d = ev.details || {};
  // A delegated dispatch (下派) reads as such.
  const action = ev.action === 'assign' && d.delegated === true ? 'assign_delegated' : ev.action;
  const label = has(`event.${action}`) ? t(`event.${action}`) : ev.action;
  const bits = [];
  const person = (uid) => (names.has(uid) ? names.get(uid) : userLabel(uid));
  if (d.user_id) bits.push(h('p', { class: 'event-detail' }, `${t('detail.collaborator')}${t('colon')}`, person(d.user_id)));
  for (const key of ['reason', 'resolution', 'question', 'answer', 'comment', 'task', 'note', 'instruction', 'response']) {
    if (typeof d[key] === 'string' && d[key]) bits.push(h('p', { class: 'event-detail' }, `${t(`detail.${key}`)}${t('colon')}${d[key]}`));
  }
  if (typeof d.respond_by === 'string') bits.push(h('p', { class: 'event-detail' }, `${t('detail.respond_by')}${t('colon')}${dateTime(d.respond_by)}`));
  if (d.overdue === true) bits.push(h('p', { class: 'event-detail' }, h('span', { class: 'tag tag-breach' }, t('sup.overdue'))));
  if (d.rating) bits.push(h('p', { class: 'event-detail' }, `${t('detail.rating')}${t('colon')}${t(`rating.${d.rating}`)}`));
  if (d.clock) bits.push(h('p', { class: 'event-detail' }, `${t('detail.clock')}${t('colon')}${t(`clock.${d.clock}`)}${d.due_at ? ` (${dateTime(d.due_at)})` : ''}`));
  if (d.working_days) bits.push(h('p', { class: 'event-detail' }, `${t('detail.working_days')}${t('colon')}${d.working_days}`));
  if (typeof d.level === 'string' && has(`level.${d.level}`)) bits.push(h('p', { class: 'event-detail' }, `${t('detail.level')}${t('colon')}${t(`level.${d.level}`)}`));
  if (d.assignee_id) bits.push(h('p', { class: 'event-detail' }, `${t('detail.assignee')}${t('colon')}`, person(d.assignee_id)));
  return { label, bits };
}

export function ticketView(ctx, idText) {
  const { me } = ctx;
  const id = Number(idText);
  const root = h('section', { id: 'ticket', 'data-id': idText, class: 'ticket-view' }, h('p', { class: 'loading' }, t('app.loading')));
  if (!Number.isInteger(id) || id <= 0) {
    replace(root, h('h1', null, t('ticket.title')), problemBox(new ApiError(404, null)));
    return root;
  }
  load(root, me, id, null);
  return root;
}

async function load(root, me, id, flash) {
  const staff = STAFF.includes(me.role);
  const none = { items: [] };
  let tk; let events; let comments; let exts; let collabs; let orders;
  try {
    [tk, events, comments, exts, collabs, orders] = await Promise.all([
      api(`/tickets/${id}`),
      api(`/tickets/${id}/events?limit=200`),
      api(`/tickets/${id}/comments?limit=200`),
      api(`/tickets/${id}/extensions?limit=50`).catch(() => none),
      // Internal coordination: the government side only.
      staff ? api(`/tickets/${id}/collaborators`).catch(() => none) : none,
      staff ? api(`/tickets/${id}/supervision?limit=200`).catch(() => none) : none,
    ]);
  } catch (err) {
    replace(root, h('h1', null, t('ticket.title')), problemBox(err),
      h('p', null, h('a', { href: '#/' }, t('ticket.back'))));
    return;
  }
  root.dataset.status = tk.status;
  document.title = `${tk.title} · ${t('app.name')}`;
  const reload = (move) => load(root, me, id, t('move.done', { move: t(`move.${move}`) }));
  const again = (message) => load(root, me, id, message);
  const assignee = tk.assignee_id === me.id;
  const myTask = collabs.items.find((c) => c.user_id === me.id);
  // An assisting cadre who is not the assignee: read, comment, complete the task; nothing else.
  const helperOnly = me.role === 'cadre' && !assignee && !!myTask;
  const mayComment = me.role !== 'cadre' || assignee || !!myTask;
  const names = new Map(collabs.items.filter((c) => c.display_name).map((c) => [c.user_id, c.display_name]));
  const pending = exts.items.find((x) => x.status === 'pending');
  // Staff cannot read enterprise users: name the filer's side by its enterprise instead.
  const who = (uid) => (uid === tk.filed_by
    ? lazyName(async () => {
      try { return await userName(uid); } catch { return enterpriseName(tk.enterprise_id); }
    }, t('role.enterprise'))
    : names.has(uid) ? names.get(uid) : userLabel(uid));

  const facts = [
    ['ticket.no', `#${tk.id}`],
    ['ticket.status', statusLabel(tk.status)],
    OPEN_STATUSES.includes(tk.status) ? ['ticket.warning', light(tk.warning)] : null,
    ['ticket.enterprise', entLabel(tk.enterprise_id)],
    ['ticket.category', categoryLabel(tk.category)],
    ['ticket.priority', t(`priority.${tk.priority}`)],
    ['ticket.level', t(`level.${tk.level}`)],
    ['ticket.assignee', userLabel(tk.assignee_id)],
    ['ticket.filed_at', dateTime(tk.created_at)],
    ['ticket.response_due', [dateTime(tk.response_due_at), tk.breaches?.accept ? h('span', { class: 'tag tag-breach' }, t('event.sla_breached')) : null]],
    tk.feedback_due_at ? ['ticket.feedback_due', dateTime(tk.feedback_due_at)] : null,
    ['ticket.due', [dateTime(tk.due_at), tk.breaches?.resolve ? h('span', { class: 'tag tag-breach' }, t('event.sla_breached')) : null]],
    tk.original_due_at && tk.original_due_at !== tk.due_at ? ['ticket.original_due', dateTime(tk.original_due_at)] : null,
    tk.rating ? ['ticket.rating', t(`rating.${tk.rating}`)] : null,
    tk.reopen_count ? ['ticket.reopens', String(tk.reopen_count)] : null,
    tk.supervision_count ? ['ticket.supervisions', [String(tk.supervision_count), tk.supervised ? supervisedTag() : null]] : null,
    tk.return_count ? ['ticket.returns', String(tk.return_count)] : null,
    tk.breaches?.feedback ? ['ticket.breaches', `${t('clock.feedback')} × ${tk.breaches.feedback}`] : null,
  ].filter(Boolean);

  const moves = helperOnly ? [] : movesFor(me, tk, pending);
  const formSlot = h('div', { class: 'move-slot' });
  const moveButtons = h('div', { class: 'btn-row moves' }, moves.map((m) => h('button', {
    type: 'button', class: `btn ${['withdraw', 'escalate', 'return'].includes(m) ? 'btn-secondary' : 'btn-primary'}`, 'data-action': m,
    'aria-expanded': 'false',
    onclick: (e) => {
      for (const b of moveButtons.querySelectorAll('button')) b.setAttribute('aria-expanded', 'false');
      e.currentTarget.setAttribute('aria-expanded', 'true');
      const form = moveForm(tk, m, reload, () => {
        formSlot.replaceChildren();
        e.target.setAttribute('aria-expanded', 'false');
      });
      replace(formSlot, form);
      const first = form.querySelector('textarea, select, input');
      (first || form.querySelector('button[type=submit]')).focus();
    },
  }, t(`move.${m}`))));

  const eventsList = h('ol', { id: 'events', class: 'timeline' }, events.items.map((ev) => {
    const { label, bits } = eventText(ev, names);
    return h('li', { 'data-action': ev.action, class: `event event-${ev.action}` },
      h('div', { class: 'event-head' },
        h('strong', null, label),
        ev.details && ev.details.internal === true ? h('span', { class: 'tag tag-internal' }, t('ticket.internal')) : null,
        ev.from_status && ev.to_status && ev.from_status !== ev.to_status
          ? h('span', { class: 'muted' }, ` ${t(`status.${ev.from_status}`)} → ${t(`status.${ev.to_status}`)}`) : null),
      h('div', { class: 'event-meta muted' },
        h('time', { datetime: ev.created_at }, dateTime(ev.created_at)), ' · ',
        ev.actor_id ? who(ev.actor_id) : t('event.system')),
      bits);
  }));

  const commentsList = comments.items.length
    ? h('ol', { id: 'comments', class: 'comments' }, comments.items.map((c) =>
      h('li', { class: c.internal ? 'comment internal' : 'comment', 'data-id': c.id },
        h('div', { class: 'comment-meta muted' },
          who(c.author_id), ' · ', h('time', { datetime: c.created_at }, dateTime(c.created_at)),
          c.internal ? h('span', { class: 'tag tag-internal' }, t('ticket.internal')) : null),
        h('p', { class: 'comment-body' }, c.body))))
    : h('ol', { id: 'comments', class: 'comments' });

  const commentSlot = h('div', { class: 'problem-slot' });
  const bodyInput = h('textarea', { name: 'body', rows: 3, required: true });
  const internalBox = staff ? h('input', { type: 'checkbox', name: 'internal', id: 'comment-internal' }) : null;
  const commentForm = mayComment ? h('form', {
    id: 'comment-form', class: 'stack',
    onsubmit: async (e) => {
      e.preventDefault();
      if (!bodyInput.value.trim()) { bodyInput.focus(); return; }
      showProblem(commentSlot, null);
      const body = { body: bodyInput.value.trim() };
      if (internalBox) body.internal = internalBox.checked;
      try {
        await busy(commentForm, () => api(`/tickets/${id}/comments`, { method: 'POST', body }));
        load(root, me, id, t('common.saved'));
      } catch (err) {
        showProblem(commentSlot, err);
      }
    },
  },
  field(t('ticket.comment.body'), bodyInput),
  internalBox ? h('div', { class: 'check' }, internalBox, h('label', { for: 'comment-internal' }, t('ticket.comment.internal'))) : null,
  commentSlot,
  h('div', null, h('button', { type: 'submit', class: 'btn btn-primary' }, t('ticket.comment.submit')))) : null;

  const extList = exts.items.length ? h('section', { class: 'panel' },
    h('h2', null, t('ext.title')),
    h('ul', { class: 'ext-list' }, exts.items.map((x) => h('li', { 'data-id': x.id, class: `ext ext-${x.status}` },
      h('strong', null, t('ext.days', { n: x.working_days })), ' · ',
      t(x.status === 'pending' ? 'ext.pending' : x.status === 'approved' ? 'ext.approved' : 'ext.rejected'), ' · ',
      h('span', { class: 'muted' }, dateTime(x.requested_at)),
      h('p', null, `${t('detail.reason')}${t('colon')}${x.reason}`),
      x.decision_comment ? h('p', null, `${t('detail.comment')}${t('colon')}${x.decision_comment}`) : null,
      x.status === 'pending' && (me.role === 'supervisor' || me.role === 'admin') && x.requested_by !== me.id
        ? extensionActions(x, () => setTimeout(() => load(root, me, id, null), 800)) : null)))) : null;

  const back = me.role === 'enterprise' ? '#/portal' : '#/queue';
  replace(root,
    h('p', { class: 'back' }, h('a', { href: back }, `← ${t('ticket.back')}`)),
    h('div', { class: 'ticket-head' },
      h('h1', null, tk.title),
      h('div', { class: 'ticket-badges' },
        OPEN_STATUSES.includes(tk.status) ? light(tk.warning) : null,
        tk.supervised ? supervisedTag() : null,
        statusLabel(tk.status))),
    flash ? notice(flash) : null,
    h('div', { class: 'ticket-grid' },
      h('div', { class: 'ticket-main' },
        h('section', { class: 'panel' },
          h('h2', null, t('ticket.description')),
          h('p', { class: 'description' }, tk.description),
          tk.resolution ? [h('h3', null, t('ticket.resolution')), h('p', { class: 'description' }, tk.resolution)] : null),
        h('section', { class: 'panel', 'aria-labelledby': 'moves-h' },
          h('h2', { id: 'moves-h' }, t('moves.title')),
          helperOnly ? h('p', { class: 'hint', id: 'helper-note' }, t('collab.helper.note'))
            : moves.length ? moveButtons : h('p', { class: 'muted' }, t('moves.none')),
          formSlot),
        staff ? collaboratorsPanel(tk, collabs.items, { me, manages: assignee || covering(me, tk) }, again) : null,
        staff && !helperOnly ? supervisionPanel(tk, orders.items, {
          answers: assignee, issues: me.role === 'supervisor' || me.role === 'admin',
        }, again) : null,
        h('section', { class: 'panel' },
          h('h2', null, t('ticket.comments')),
          comments.items.length ? null : h('p', { class: 'muted' }, t('ticket.comments.none')),
          commentsList,
          commentForm)),
      h('div', { class: 'ticket-side' },
        h('section', { class: 'panel facts-panel' },
          h('h2', { class: 'visually-hidden' }, t('ticket.title')),
          h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', null, t(k)), h('dd', null, v)]))),
        extList,
        h('section', { class: 'panel' }, h('h2', null, t('ticket.events')), eventsList))));
  if (flash) root.querySelector('.notice')?.focus?.();
}
