// The admin audit log (#/admin/audit-log?action=&target=&page=): who did what to which thing, newest first, with
// filters by action prefix ("recording." for every recording action) and target id, sent as the query parameters
// `action` and `target_id`. A server that does not know those filters answers the unfiltered page: the page then
// filters the rows it got and says that it did, rather than showing entries that do not match.
import { call, role } from '../api.js';
import { el, field, reconcile, show, when } from '../ui.js';
import { explain, userName } from './recordings.js';

const PAGE_SIZE = 50;
const ACTIONS = ['recording.', 'recording.view', 'recording.download', 'recording.deleted', 'recording.legal_hold',
  'recording.sharing', 'user.', 'meeting.'];

function parseQuery(query) {
  const params = new URLSearchParams(query || '');
  const page = Number.parseInt(params.get('page'), 10);
  return { action: params.get('action') || '', target: params.get('target') || '', page: page > 0 ? page : 1 };
}

function hashOf(state) {
  const params = new URLSearchParams();
  if (state.action) params.set('action', state.action);
  if (state.target) params.set('target', state.target);
  if (state.page > 1) params.set('page', state.page);
  const query = params.toString();
  return '#/admin/audit-log' + (query ? '?' + query : '');
}

function matches(entry, state) {
  return (!state.action || (entry.action || '').startsWith(state.action))
    && (!state.target || entry.target_id === state.target);
}

function detailsText(details) {
  if (!details || typeof details !== 'object') return details ? String(details) : '';
  return Object.entries(details).map(([key, value]) =>
    `${key}: ${typeof value === 'object' ? JSON.stringify(value) : value}`).join(' · ');
}

export async function auditLogPage(query) {
  if (role() !== 'admin') {
    show(el('h1', { text: 'Audit log' }), el('p', { class: 'error', text: 'Only admins can read the audit log.' }),
      el('p', {}, el('a', { href: '#/', text: 'Back to your meetings' })));
    return;
  }
  const state = parseQuery(query);
  const action = el('input', { name: 'action', list: 'audit-actions', autocomplete: 'off', value: state.action,
    placeholder: 'e.g. recording.' });
  const target = el('input', { name: 'target_id', autocomplete: 'off', value: state.target,
    placeholder: 'recording, meeting or user ID' });
  const clear = el('button', { type: 'button', class: 'secondary', text: 'Clear filters' });
  const summary = el('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
  const note = el('p', { class: 'notice waiting', hidden: true, 'data-note': 'client-filter' });
  const problem = el('div', { class: 'notice error-notice', role: 'alert', hidden: true });
  const body = el('tbody');
  const table = el('table', { class: 'data audit', hidden: true },
    el('caption', { class: 'visually-hidden', text: 'Audit log, newest first' }),
    el('thead', {}, el('tr', {}, ['When', 'Who', 'Action', 'Target', 'Details'].map((h) =>
      el('th', { scope: 'col', text: h })))), body);
  const empty = el('p', { class: 'empty', hidden: true });
  const previous = el('button', { type: 'button', class: 'secondary', text: 'Previous page' });
  const next = el('button', { type: 'button', class: 'secondary', text: 'Next page' });
  const pageLabel = el('span', { class: 'muted' });
  const pager = el('nav', { class: 'row pager', 'aria-label': 'Pages', hidden: true }, previous, pageLabel, next);
  let loading = 0;

  async function load() {
    const mine = ++loading;
    summary.textContent = 'Loading…';
    problem.hidden = true;
    const params = new URLSearchParams({ page: state.page, size: PAGE_SIZE });
    if (state.action) params.set('action', state.action);
    if (state.target) params.set('target_id', state.target);
    let answer;
    try {
      answer = await call('GET', '/api/v1/admin/audit-log?' + params);
    } catch (error) {
      if (mine !== loading) return;
      summary.textContent = '';
      table.hidden = pager.hidden = empty.hidden = true;
      problem.replaceChildren(el('p', { text: explain(error, 'The audit log could not be loaded') }),
        el('button', { type: 'button', class: 'secondary', text: 'Try again', onclick: () => load() }));
      problem.hidden = false;
      return;
    }
    const shown = answer.items.filter((entry) => matches(entry, state));
    const ignored = shown.length < answer.items.length; // the server did not apply the filters
    const actors = await Promise.all(shown.map((entry) => userName(entry.actor_id)));
    if (mine !== loading) return;
    note.hidden = !ignored;
    note.textContent = ignored ? 'This server does not filter the audit log yet: the list shows the matching '
      + 'entries of this page only, and the page count is for all entries.' : '';
    reconcile(body, shown.map((entry, i) => ({ key: String(entry.id), version: actors[i] || '',
      build: () => row(entry, actors[i]) })));
    const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
    table.hidden = shown.length === 0;
    empty.hidden = shown.length > 0;
    empty.textContent = state.action || state.target ? 'No entries match these filters on this page.'
      : 'The audit log is empty.';
    summary.textContent = ignored ? `${shown.length} matching on this page` : `${answer.total} entr${
      answer.total === 1 ? 'y' : 'ies'}` + (pages > 1 ? ` · page ${state.page} of ${pages}` : '');
    pager.hidden = pages <= 1;
    pageLabel.textContent = `Page ${state.page} of ${pages}`;
    previous.disabled = state.page <= 1;
    next.disabled = state.page >= pages;
  }

  function row(entry, actor) {
    const targetCell = [entry.target_type ? el('span', { class: 'muted small', text: entry.target_type + ' ' }) : null,
      entry.target_type === 'recording' && entry.target_id
        ? el('a', { href: `#/recordings/${entry.target_id}`, text: entry.target_id })
        : entry.target_id || (entry.target_type ? null : '–')];
    const filterTarget = entry.target_id ? el('button', { type: 'button', class: 'link small',
      text: 'only this', 'aria-label': `Show only entries about ${entry.target_id}`, onclick: () => {
        target.value = entry.target_id;
        apply();
      } }) : null;
    return el('tr', { 'data-audit': entry.action },
      el('td', { class: 'nowrap', text: when(entry.created_at) }),
      el('td', { text: entry.actor_id ? (actor || entry.actor_id) : 'system', title: entry.actor_id || '' }),
      el('td', {}, el('code', { text: entry.action })),
      el('td', { class: 'target' }, targetCell, ' ', filterTarget),
      el('td', { class: 'details', text: detailsText(entry.details) }));
  }

  function apply(page = 1) {
    state.action = action.value.trim();
    state.target = target.value.trim();
    state.page = page;
    history.pushState(null, '', hashOf(state));
    load();
  }

  clear.addEventListener('click', () => {
    action.value = target.value = '';
    apply();
    action.focus();
  });
  previous.addEventListener('click', () => apply(state.page - 1));
  next.addEventListener('click', () => apply(state.page + 1));
  show(el('h1', { text: 'Audit log' }),
    el('form', { class: 'card filters', role: 'search', 'aria-label': 'Filter the audit log', onsubmit: (event) => {
      event.preventDefault();
      apply();
    } }, el('div', { class: 'filter-grid' }, field('Action starts with', action),
      el('datalist', { id: 'audit-actions' }, ACTIONS.map((a) => el('option', { value: a }))),
    field('Target ID', target)),
    el('div', { class: 'row' }, el('button', { type: 'submit', text: 'Apply filters' }), clear)),
    el('section', { class: 'card', 'aria-label': 'Entries' }, summary, note, problem, table, empty, pager));
  await load();
}
