// #/imports — admins and supervisors: upload a CSV file of enterprises, departments, cadres or
// pairings (POST /imports/{kind}, the raw file as text/csv). The file is applied whole or not at
// all; the answer counts what changed, a 422 names each bad row (`line 7: uscc`) and shows as a
// problem.

import { h, replace } from '../dom.js';
import { t } from '../i18n.js';
import { api } from '../api.js';
import { field, showProblem, busy, dataTable } from '../ui.js';
import { num } from '../format.js';

const KINDS = ['enterprises', 'departments', 'cadres', 'pairings'];

export function importsView() {
  const slot = h('div', { class: 'problem-slot', id: 'import-problem' });
  const result = h('div', { id: 'import-result' });
  const kind = h('select', { name: 'kind', required: true }, KINDS.map((k) => h('option', { value: k }, t(`imp.kind.${k}`))));
  const columns = h('p', { class: 'hint', id: 'import-columns' });
  const sync = () => replace(columns, t('imp.columns'), h('code', null, t(`imp.cols.${kind.value}`)));
  kind.addEventListener('change', sync);
  sync();
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv' });
  const text = h('textarea', { name: 'csv', rows: 6, spellcheck: 'false', class: 'mono' });
  const form = h('form', {
    id: 'import-form', class: 'stack card',
    onsubmit: async (e) => {
      e.preventDefault();
      showProblem(slot, null);
      result.replaceChildren();
      let csv = text.value;
      if (file.files && file.files[0]) csv = await file.files[0].text();
      if (!csv.trim()) {
        replace(slot, h('div', { class: 'problem', role: 'alert' }, h('p', { class: 'problem-title' }, t('imp.empty'))));
        return;
      }
      try {
        const r = await busy(form, () => api(`/imports/${kind.value}`, { method: 'POST', text: csv, contentType: 'text/csv; charset=utf-8' }));
        const body = h('tbody', null, h('tr', null,
          ['rows', 'created', 'updated', 'unchanged', 'removed'].map((k) => h('td', { class: 'num', 'data-count': k }, num(r[k])))));
        replace(result, h('div', { class: 'notice', role: 'status' }, t('imp.done', { kind: t(`imp.kind.${r.kind}`) })),
          dataTable(null, ['rows', 'created', 'updated', 'unchanged', 'removed'].map((k) => t(`imp.count.${k}`)), body));
      } catch (err) {
        showProblem(slot, err);
      }
    },
  },
  field(t('imp.kind'), kind),
  columns,
  field(t('imp.file'), file, t('imp.file.hint')),
  field(t('imp.text'), text, t('imp.text.hint')),
  slot,
  h('div', { class: 'btn-row' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('imp.submit'))),
  result);
  return h('section', { class: 'imports-view narrow' },
    h('h1', null, t('imp.title')),
    h('p', { class: 'muted' }, t('imp.lead')),
    form);
}
