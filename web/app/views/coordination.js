// The government's coordination of one demand (SPEC section 10), on its ticket page:
// - 协办 section#collaborators: the assisting cadres and their tasks; the assignee or a covering
//   supervisor adds one (form#collaborator-form) and removes one; the assisting cadre completes
//   their own open task (form#task-complete-form, with a note);
// - 督办 section#supervision: the supervision orders with their deadline, status and answer; a
//   supervisor issues one (form#supervision-form), the assignee answers an open one
//   (form.supervision-respond-form[data-id]).
// The server still decides every step; its refusal shows as the usual problem box.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api, qs } from '../api.js';
import { dateTime } from '../format.js';
import { field, busy, showProblem, userLabel, holds, OPEN_STATUSES } from '../ui.js';

/** A cadre's name as a list shows it: "王芳 · 周口市自然资源和规划局 · 在办 2 件 · 对口". */
function cadreText(c) {
  const name = c.display_name || c.username || t('user.n', { id: c.user_id ?? c.id });
  const parts = [name, c.department];
  if (c.open_tickets !== undefined) parts.push(t('assign.open', { n: c.open_tickets }));
  if (c.matches_category) parts.push(t('assign.matches'));
  return parts.filter(Boolean).join(' · ');
}

/** A submit handler: `send()` under the form's busy state, then `done()`; a refusal in `slot`. */
function submitter(slot, send, done) {
  return async (e) => {
    e.preventDefault();
    const form = e.currentTarget;
    if (!form.reportValidity()) return;
    showProblem(slot, null);
    try {
      await busy(form, send);
      done();
    } catch (err) {
      showProblem(slot, err);
    }
  };
}

/**
 * section#collaborators. `who`: {manages, me}; `reload(message)` draws the ticket again after
 * a step.
 */
export function collaboratorsPanel(tk, items, { me, manages }, reload) {
  const open = OPEN_STATUSES.includes(tk.status);
  const list = items.length
    ? h('ul', { class: 'task-list' }, items.map((c) => taskItem(tk, c, { me, manages: manages && open }, reload)))
    : h('p', { class: 'muted' }, t('collab.none'));
  return h('section', { class: 'panel', id: 'collaborators', 'aria-labelledby': 'collaborators-h' },
    h('h2', { id: 'collaborators-h' }, t('collab.title')),
    list,
    manages && open ? addForm(tk, items, me, reload) : null);
}

function taskItem(tk, c, { me, manages }, reload) {
  const base = `/tickets/${tk.id}/collaborators/${c.user_id}`;
  const done = c.status === 'completed';
  const slot = h('div', { class: 'problem-slot' });
  let remove = null;
  if (manages) {
    // The first click asks, the second removes.
    remove = h('button', {
      type: 'button', class: 'btn btn-danger btn-small', 'data-action': 'remove-collaborator', 'data-user-id': c.user_id,
      onclick: async () => {
        if (remove.dataset.confirm !== 'true') {
          remove.dataset.confirm = 'true';
          remove.textContent = t('collab.remove.confirm');
          return;
        }
        showProblem(slot, null);
        remove.disabled = true;
        try {
          await api(base, { method: 'DELETE' });
          reload(t('collab.removed', { name: c.display_name || c.user_id }));
        } catch (err) {
          remove.disabled = false;
          showProblem(slot, err);
        }
      },
    }, t('collab.remove'));
  }
  let complete = null;
  if (!done && c.user_id === me.id && OPEN_STATUSES.includes(tk.status)) {
    const note = h('textarea', { name: 'note', rows: 3, required: true, maxlength: 2000 });
    complete = h('form', {
      id: 'task-complete-form', class: 'move-form stack',
      onsubmit: submitter(slot,
        () => api(`${base}/complete`, { method: 'POST', body: { note: note.value.trim() } }),
        () => reload(t('collab.completed.done'))),
    },
    h('h3', null, t('collab.complete.title')),
    field(t('collab.note'), note, t('collab.note.hint')),
    h('div', null, h('button', { type: 'submit', class: 'btn btn-primary' }, t('collab.complete'))));
  }
  return h('li', { class: `task task-${c.status}`, 'data-user-id': c.user_id, 'data-status': c.status },
    h('div', { class: 'task-head' },
      h('strong', null, c.display_name || t('user.n', { id: c.user_id })),
      h('span', { class: `status ${done ? 'status-closed' : 'status-in_progress'}` }, t(`collab.status.${c.status}`)),
      c.user_id === me.id ? h('span', { class: 'tag tag-primary' }, t('collab.you')) : null),
    h('p', { class: 'task-text' }, `${t('collab.task')}${t('colon')}${c.task}`),
    h('p', { class: 'muted task-meta' }, t('collab.added'), userLabel(c.added_by), ` · ${dateTime(c.added_at)}`),
    done ? h('p', { class: 'task-text' }, `${t('collab.note')}${t('colon')}${c.note || ''}`,
      h('span', { class: 'muted' }, ` (${dateTime(c.completed_at)})`)) : null,
    complete,
    remove ? h('div', { class: 'btn-row' }, remove) : null,
    slot);
}

/**
 * form#collaborator-form: pick a cadre whose region holds the ticket's county (the candidates to
 * assist, matching department and least loaded first; supervisors and admins also search users
 * by name) and give the task.
 */
function addForm(tk, items, me, reload) {
  const slot = h('div', { class: 'problem-slot' });
  const taken = new Set([tk.assignee_id, ...items.map((c) => c.user_id)]);
  const pick = h('select', { name: 'user_id', required: true }, h('option', { value: '' }, t('app.loading')));
  const fill = (people, emptyText) => {
    const fit = people.filter((p) => !taken.has(p.user_id ?? p.id) && holds(p.region_code, tk.county_code));
    replace(pick, h('option', { value: '' }, fit.length ? t('collab.pick') : emptyText),
      fit.map((p) => h('option', { value: p.user_id ?? p.id }, cadreText(p))));
  };
  // The candidates to assist: whoever may add a helper may read them.
  api(`/tickets/${tk.id}/candidates${qs({ assist: true, limit: 200 })}`)
    .then((list) => fill(list.items, t('collab.pick.none')))
    .catch(() => fill([], t('collab.pick.none')));
  const searches = me.role === 'supervisor' || me.role === 'admin';
  const q = searches ? h('input', { type: 'search', name: 'q', maxlength: 50, autocomplete: 'off', 'aria-describedby': 'collab-search-hint' }) : null;
  const search = async () => {
    const text = q.value.trim();
    if (!text) return;
    showProblem(slot, null);
    try {
      const page = await api(`/users${qs({ q: text, role: 'cadre', active: true, limit: 50 })}`);
      fill(page.items, t('collab.search.none'));
      pick.focus();
    } catch (err) {
      showProblem(slot, err);
    }
  };
  const task = h('textarea', { name: 'task', rows: 3, required: true, maxlength: 2000 });
  const form = h('form', {
    id: 'collaborator-form', class: 'add-form stack',
    onsubmit: submitter(slot,
      () => api(`/tickets/${tk.id}/collaborators`, { method: 'POST', body: { user_id: Number(pick.value), task: task.value.trim() } }),
      () => reload(t('collab.added.done'))),
  },
  h('h3', null, t('collab.add')),
  searches ? [
    h('div', { class: 'search-row' },
      field(t('collab.search'), q),
      h('button', {
        type: 'button', class: 'btn btn-secondary', 'data-action': 'search-cadres', onclick: search,
      }, t('collab.search.go'))),
    h('p', { class: 'hint', id: 'collab-search-hint' }, t('collab.search.hint'))] : null,
  field(t('collab.cadre'), pick, searches ? null : t('collab.pick.hint')),
  field(t('collab.task'), task),
  slot,
  h('div', null, h('button', { type: 'submit', class: 'btn btn-primary' }, t('collab.add.submit'))));
  // Enter in the search box searches instead of submitting the form.
  if (q) q.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); search(); } });
  return form;
}

/** section#supervision. `who`: {answers, issues}. */
export function supervisionPanel(tk, orders, { answers, issues }, reload) {
  const open = OPEN_STATUSES.includes(tk.status);
  const list = orders.length
    ? h('ol', { class: 'order-list' }, orders.map((o) => orderItem(tk, o, answers && open, reload)))
    : h('p', { class: 'muted' }, t('sup.none'));
  return h('section', { class: 'panel', id: 'supervision', 'aria-labelledby': 'supervision-h' },
    h('h2', { id: 'supervision-h' }, t('sup.title')),
    list,
    issues && open ? issueForm(tk, reload) : null);
}

/** The status of an order as words: 待回复 / 已回复, and 督办超期 when it is. */
export function orderStatus(o) {
  return [
    h('span', { class: `status ${o.status === 'answered' ? 'status-closed' : 'status-submitted'}` }, t(`sup.status.${o.status}`)),
    o.overdue ? h('span', { class: 'tag tag-breach' }, t('sup.overdue')) : null,
  ];
}

function orderItem(tk, o, answers, reload) {
  let respond = null;
  if (answers && o.status === 'open') {
    const slot = h('div', { class: 'problem-slot' });
    const response = h('textarea', { name: 'response', rows: 3, required: true, maxlength: 10000 });
    respond = h('form', {
      class: 'supervision-respond-form move-form stack', 'data-id': o.id,
      onsubmit: submitter(slot,
        () => api(`/tickets/${tk.id}/supervision/${o.id}/respond`, { method: 'POST', body: { response: response.value.trim() } }),
        () => reload(t('sup.answered.done'))),
    },
    field(t('sup.response'), response),
    slot,
    h('div', null, h('button', { type: 'submit', class: 'btn btn-primary' }, t('sup.respond'))));
  }
  return h('li', { class: `order order-${o.status}${o.overdue ? ' order-overdue' : ''}`, 'data-id': o.id, 'data-status': o.status, 'data-overdue': String(o.overdue) },
    h('div', { class: 'task-head' }, h('strong', null, t('sup.order')), orderStatus(o)),
    h('p', { class: 'task-text' }, o.instruction),
    h('p', { class: 'muted task-meta' },
      userLabel(o.issued_by), ` · ${dateTime(o.issued_at)} · `, t('sup.respond_by', { time: dateTime(o.respond_by) })),
    o.response ? h('p', { class: 'task-text' }, `${t('sup.response')}${t('colon')}${o.response}`,
      h('span', { class: 'muted' }, ` (${dateTime(o.responded_at)})`)) : null,
    respond);
}

/** form#supervision-form: the instruction and, optionally, the working days to answer in. */
function issueForm(tk, reload) {
  const slot = h('div', { class: 'problem-slot' });
  const instruction = h('textarea', { name: 'instruction', rows: 3, required: true, maxlength: 2000 });
  const within = h('input', { type: 'number', name: 'respond_within', min: 1, max: 30, step: 1, inputmode: 'numeric', placeholder: '2' });
  const form = h('form', {
    id: 'supervision-form', class: 'add-form stack',
    onsubmit: submitter(slot, () => {
      const body = { instruction: instruction.value.trim() };
      if (within.value) body.respond_within = { value: Number(within.value), unit: 'working_days' };
      return api(`/tickets/${tk.id}/supervision`, { method: 'POST', body });
    }, () => reload(t('sup.issued.done'))),
  },
  h('h3', null, t('sup.issue')),
  field(t('sup.instruction'), instruction),
  field(t('sup.within'), within, t('sup.within.hint')),
  slot,
  h('div', null, h('button', { type: 'submit', class: 'btn btn-primary' }, t('sup.issue.submit'))));
  return form;
}
