// #/login: form#login-form → POST /auth/login (the refresh token comes back as an HttpOnly cookie).

import { h } from '../dom.js';
import { t } from '../i18n.js';
import { login } from '../api.js';
import { field, showProblem } from '../ui.js';

export function loginView({ onLoggedIn }) {
  const slot = h('div', { class: 'problem-slot' });
  const username = h('input', { name: 'username', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary btn-block' }, t('login.submit'));
  const form = h('form', {
    id: 'login-form', class: 'stack', novalidate: false,
    onsubmit: async (e) => {
      e.preventDefault();
      showProblem(slot, null);
      submit.disabled = true;
      submit.textContent = t('login.busy');
      try {
        await login(username.value.trim(), password.value);
        await onLoggedIn();
      } catch (err) {
        showProblem(slot, err);
        password.select();
      } finally {
        submit.disabled = false;
        submit.textContent = t('login.submit');
      }
    },
  },
  field(t('login.username'), username),
  field(t('login.password'), password),
  slot,
  submit);
  const view = h('section', { class: 'login' },
    h('div', { class: 'card login-card' },
      h('h1', null, t('login.title')),
      h('p', { class: 'lead' }, t('login.lead')),
      form));
  setTimeout(() => username.focus(), 0);
  return view;
}
