// #/account — the user's own account (GET /me) and changing their password (POST /me/password).
// After a change every session has ended; api.changePassword takes the new access token and logs
// in again with the new password (fresh refresh cookie). If that fails the user is told to log in.

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { changePassword, logout } from '../api.js';
import { go } from '../router.js';
import { field, showProblem, busy, notice, entLabel } from '../ui.js';
import { dateTime } from '../format.js';

export function accountView({ me }) {
  const slot = h('div', { class: 'problem-slot' });
  const status = h('div');
  const current = h('input', { type: 'password', name: 'current_password', autocomplete: 'current-password', required: true });
  const next = h('input', { type: 'password', name: 'new_password', autocomplete: 'new-password', required: true, minlength: 12, maxlength: 128 });
  const again = h('input', { type: 'password', name: 'new_password_again', autocomplete: 'new-password', required: true, minlength: 12, maxlength: 128 });
  const form = h('form', {
    id: 'password-form', class: 'stack card',
    onsubmit: async (e) => {
      e.preventDefault();
      showProblem(slot, null);
      status.replaceChildren();
      if (next.value !== again.value) {
        slot.append(h('div', { class: 'problem', role: 'alert' }, h('p', { class: 'problem-title' }, t('account.mismatch'))));
        return;
      }
      try {
        const ok = await busy(form, () => changePassword(me.username, current.value, next.value));
        form.reset();
        if (ok) {
          status.append(notice(t('account.changed')));
        } else {
          status.append(notice(t('account.changed.relogin')));
          await logout().catch(() => {});
          setTimeout(() => go('#/login'), 1500);
        }
      } catch (err) {
        showProblem(slot, err);
      }
    },
  },
  h('h2', null, t('account.password')),
  field(t('account.current'), current),
  field(t('account.new'), next, t('account.new.hint')),
  field(t('account.again'), again),
  slot,
  h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('account.submit'))),
  status);

  const facts = [
    [t('account.username'), me.username],
    [t('account.display_name'), me.display_name || '—'],
    [t('account.role'), t(`role.${me.role}`)],
    me.region_code ? [t('account.region'), me.region_code] : null,
    me.enterprise_id ? [t('account.enterprise'), entLabel(me.enterprise_id)] : null,
    me.department ? [t('account.department'), me.department] : null,
    [t('account.created'), dateTime(me.created_at)],
  ].filter(Boolean);
  return h('section', { class: 'account-view narrow' },
    h('h1', null, t('account.title')),
    h('section', { class: 'panel', id: 'account', 'aria-label': t('account.title') },
      h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)]))),
    form);
}
