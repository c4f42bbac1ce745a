// The recordings list (#/recordings?meeting=&host=&from=&to=&status=&page=): the catalogue the caller may see
// (hosts: their meetings' recordings; admins: all), filtered by meeting, host (admins), start date and status, a
// page at a time. The filters live in the URL, so a filtered list can be bookmarked and the Back button walks
// back through earlier filters; applying a filter redraws only the results, so the keyboard focus stays put.
import { ApiError, call, role } from '../api.js';
import { el, field, reconcile, show, when } from '../ui.js';
import { transcriptSearch } from './transcript.js';

const PAGE_SIZE = 25;
const STATUSES = ['recording', 'processing', 'ready', 'failed'];
const STATUS_LABELS = { recording: 'Recording', processing: 'Processing', ready: 'Ready', failed: 'Failed',
  deleted: 'Deleted' };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Meeting titles and user names already looked up, by id (null: not visible to this caller). */
const meetingTitles = new Map();
const userNames = new Map();

export function statusBadge(status) {
  return el('span', { class: `badge status-${status}`, 'data-status': status, text: STATUS_LABELS[status] || status });
}

export function duration(ms) {
  if (ms === null || ms === undefined) return '–';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

export function bytes(n) {
  if (n === null || n === undefined) return '–';
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = n;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

export function day(iso) {
  return iso ? new Date(iso).toLocaleDateString(undefined, { dateStyle: 'medium' }) : '–';
}

/** The meeting's title when this caller may read the meeting; otherwise null. Cached for the page's life. */
export async function meetingTitle(meetingId) {
  if (!meetingTitles.has(meetingId)) {
    meetingTitles.set(meetingId, call('GET', `/api/v1/meetings/${encodeURIComponent(meetingId)}`)
      .then((m) => m.title).catch(() => null));
  }
  return meetingTitles.get(meetingId);
}

/** An account's name, for admins (others may read only their own account); otherwise null. */
export async function userName(userId) {
  if (!userId) return null;
  if (!userNames.has(userId)) {
    userNames.set(userId, call('GET', `/api/v1/users/${encodeURIComponent(userId)}`)
      .then((u) => u.username).catch(() => null));
  }
  return userNames.get(userId);
}

/** What a failed call means for the person and what they can do about it. */
export function explain(error, what) {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'Your session has ended. Log in again to continue.';
    if (error.status === 403) return `${error.message} Ask the meeting's host or an admin if you need access.`;
    if (error.status === 400 && error.details) {
      const fields = Object.entries(error.details).map(([name, problem]) => `${name} ${problem}`).join('; ');
      return `${what}: ${fields}. Correct the filter or clear the filters.`;
    }
    if (error.status >= 500) return `${what}: the server had a problem (${error.status}). Try again in a moment.`;
    return `${what}: ${error.message}`;
  }
  return `${what}: Tribune could not be reached. Check your connection and try again.`;
}

function parseQuery(query) {
  const params = new URLSearchParams(query || '');
  const page = Number.parseInt(params.get('page'), 10);
  return { meeting: params.get('meeting') || '', host: params.get('host') || '', from: params.get('from') || '',
    to: params.get('to') || '', status: params.get('status') || '', page: page > 0 ? page : 1 };
}

function hashOf(state) {
  const params = new URLSearchParams();
  for (const key of ['meeting', 'host', 'from', 'to', 'status']) if (state[key]) params.set(key, state[key]);
  if (state.page > 1) params.set('page', state.page);
  const query = params.toString();
  return '#/recordings' + (query ? '?' + query : '');
}

/** A local calendar day as the instant it starts (the API compares started_at >= from, < to). */
function startOfDay(value, plusDays = 0) {
  const [y, m, d] = value.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export async function recordingsPage(query) {
  const admin = role() === 'admin';
  const state = parseQuery(query);

  const meeting = el('input', { name: 'meeting', list: 'recording-meetings', autocomplete: 'off',
    placeholder: 'title or meeting ID', value: state.meeting });
  const meetings = el('datalist', { id: 'recording-meetings' });
  const host = el('input', { name: 'host', autocomplete: 'off', placeholder: 'name, email or user ID',
    value: state.host });
  const from = el('input', { type: 'date', name: 'from', value: state.from });
  const to = el('input', { type: 'date', name: 'to', value: state.to });
  const status = el('select', { name: 'status' }, el('option', { value: '', text: 'Any status' }),
    [...STATUSES, ...(admin ? ['deleted'] : [])].map((s) =>
      el('option', { value: s, text: STATUS_LABELS[s], selected: s === state.status })));
  const clear = el('button', { type: 'button', class: 'secondary', text: 'Clear filters' });

  const summary = el('p', { class: 'muted', role: 'status', 'aria-live': 'polite', 'data-summary': '' });
  const problem = el('div', { class: 'notice error-notice', role: 'alert', hidden: true });
  const body = el('tbody');
  const headings = ['Meeting', 'Started', admin ? 'Host' : null, 'Status', 'Duration', 'Size', 'Kept until',
    'Legal hold'].filter(Boolean);
  const table = el('table', { class: 'data recordings', hidden: true },
    el('caption', { class: 'visually-hidden', text: 'Recordings, newest first' }),
    el('thead', {}, el('tr', {}, headings.map((h) => el('th', { scope: 'col', text: h })))), body);
  const empty = el('div', { class: 'empty', hidden: true });
  const previous = el('button', { type: 'button', class: 'secondary', text: 'Previous page' });
  const next = el('button', { type: 'button', class: 'secondary', text: 'Next page' });
  const pageLabel = el('span', { class: 'muted' });
  const pager = el('nav', { class: 'row pager', 'aria-label': 'Pages', hidden: true }, previous, pageLabel, next);

  const form = el('form', { class: 'card filters', role: 'search', 'aria-label': 'Filter recordings' },
    el('div', { class: 'filter-grid' }, field('Meeting', meeting), meetings,
      admin ? field('Host', host) : null, field('Started from', from), field('Started until', to),
      field('Status', status)),
    el('div', { class: 'row' }, el('button', { type: 'submit', text: 'Apply filters' }), clear));

  let loading = 0;

  /** The API's filter for the form's values; throws a message for a value that cannot be used. */
  async function apiQuery() {
    const params = new URLSearchParams({ page: state.page, size: PAGE_SIZE });
    if (state.meeting) params.set('meeting_id', await meetingIdFor(state.meeting));
    if (admin && state.host) params.set('host_id', await hostIdFor(state.host));
    if (state.from) params.set('from', startOfDay(state.from));
    if (state.to) params.set('to', startOfDay(state.to, 1));
    if (state.from && state.to && state.to < state.from) {
      throw new Error('"Started until" is before "Started from". Pick an end date on or after the start date.');
    }
    if (state.status) params.set('status', state.status);
    return params;
  }

  async function load() {
    const mine = ++loading;
    summary.textContent = 'Loading recordings…';
    problem.hidden = true;
    let answer;
    try {
      answer = await call('GET', '/api/v1/recordings?' + await apiQuery());
    } catch (error) {
      if (mine !== loading) return;
      summary.textContent = '';
      table.hidden = pager.hidden = empty.hidden = true;
      problem.replaceChildren(el('p', { text: error instanceof Error && !(error instanceof ApiError)
        && !(error instanceof TypeError) ? error.message : explain(error, 'The recordings could not be loaded') }),
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'secondary', text: 'Try again', onclick: () => load() }),
        el('button', { type: 'button', class: 'secondary', text: 'Clear filters', onclick: () => clear.click() })));
      problem.hidden = false;
      return;
    }
    if (mine !== loading) return;
    const pages = Math.max(1, Math.ceil(answer.total / PAGE_SIZE));
    if (answer.items.length === 0 && answer.total > 0 && state.page > pages) {
      // A page past the end (items were deleted meanwhile, or an old link): show the last one.
      state.page = pages;
      history.replaceState(null, '', hashOf(state));
      load();
      return;
    }
    const titles = await Promise.all(answer.items.map((r) => meetingTitle(r.meeting_id)));
    const hosts = admin ? await Promise.all(answer.items.map((r) => userName(r.host_id))) : [];
    if (mine !== loading) return;
    answer.items.forEach((r, i) => {
      if (titles[i]) meetings.querySelector(`option[value="${CSS.escape(r.meeting_id)}"]`)
        || meetings.append(el('option', { value: r.meeting_id, label: titles[i] }));
    });
    reconcile(body, answer.items.map((r, i) => ({ key: r.recording_id, version: JSON.stringify([r, titles[i],
      hosts[i]]), build: () => row(r, titles[i], hosts[i]) })));
    const filtered = ['meeting', 'host', 'from', 'to', 'status'].some((key) => state[key]);
    table.hidden = answer.items.length === 0;
    empty.hidden = answer.items.length > 0;
    empty.replaceChildren(...(filtered
      ? [el('p', { text: 'No recordings match these filters.' }),
        el('button', { type: 'button', class: 'secondary', text: 'Show all recordings', onclick: () => clear.click() })]
      : [el('p', { text: 'No recordings yet.' }), el('p', { class: 'muted', text: admin
        ? 'Recordings of every meeting appear here once someone records.'
        : 'Recordings of the meetings you host appear here. Start one with "Record" in a meeting; it is ready to '
          + 'play a few minutes after recording stops.' })]));
    summary.textContent = answer.total === 0 ? '' : `${answer.total} recording${answer.total === 1 ? '' : 's'}`
      + (pages > 1 ? ` · page ${state.page} of ${pages}` : '');
    pager.hidden = pages <= 1;
    pageLabel.textContent = `Page ${state.page} of ${pages}`;
    previous.disabled = state.page <= 1;
    next.disabled = state.page >= pages;
  }

  function row(r, title, hostName) {
    const name = title || `Meeting ${r.meeting_id.slice(0, 8)}…`;
    return el('tr', { 'data-recording': r.recording_id },
      el('td', {}, el('a', { href: `#/recordings/${r.recording_id}`, text: name,
        'aria-label': `${name}, recorded ${when(r.started_at)}`, title: `Meeting ID ${r.meeting_id}` })),
      el('td', { 'data-label': 'Started', text: when(r.started_at) }),
      admin ? el('td', { 'data-label': 'Host', text: hostName || r.host_id, title: r.host_id }) : null,
      el('td', {}, statusBadge(r.status)),
      el('td', { class: 'num', 'data-label': 'Duration', text: duration(r.duration_ms) }),
      el('td', { class: 'num', 'data-label': 'Size', text: bytes(r.size_bytes) }),
      el('td', { 'data-label': 'Kept until', text: day(r.retention_until) }),
      el('td', {}, r.legal_hold ? el('span', { class: 'badge hold', text: 'Legal hold' })
        : el('span', { class: 'visually-hidden', text: 'No' })));
  }

  /** Applies the form's values: a new history entry, the results redrawn in place. */
  function apply(page = 1) {
    state.meeting = meeting.value.trim();
    state.host = host.value.trim();
    state.from = from.value;
    state.to = to.value;
    state.status = status.value;
    state.page = page;
    history.pushState(null, '', hashOf(state));
    load();
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  status.addEventListener('change', () => apply());
  clear.addEventListener('click', () => {
    meeting.value = host.value = from.value = to.value = status.value = '';
    apply();
    meeting.focus();
  });
  previous.addEventListener('click', () => apply(state.page - 1));
  next.addEventListener('click', () => apply(state.page + 1));

  show(el('h1', { text: 'Recordings' }), transcriptSearch(), form,
    el('section', { class: 'card', 'aria-label': 'Results' }, summary, problem, table, empty, pager));
  // Titles for the meeting filter: the caller's meetings of the past year or so (best effort; the API allows a 366-day window).
  const yearAgo = new Date(Date.now() - 360 * 86400_000).toISOString();
  call('GET', `/api/v1/meetings?from=${encodeURIComponent(yearAgo)}&to=${encodeURIComponent(
    new Date(Date.now() + 86400_000).toISOString())}&size=100`).then((listing) => {
    for (const m of listing.items || []) {
      meetingTitles.set(m.meeting_id, Promise.resolve(m.title));
      if (!meetings.querySelector(`option[value="${CSS.escape(m.meeting_id)}"]`)) {
        meetings.append(el('option', { value: m.meeting_id, label: m.title }));
      }
    }
  }).catch(() => {});
  await load();

  /** A typed meeting title (one of the known meetings) or a meeting ID, as the ID. */
  async function meetingIdFor(text) {
    const wanted = text.toLowerCase();
    for (const option of meetings.options) {
      if (option.value === text) return text;
      if (option.label.toLowerCase() === wanted) return option.value;
    }
    return text;
  }

  /** A user ID as typed, or the one account whose name or email contains the text. */
  async function hostIdFor(text) {
    if (UUID.test(text)) return text;
    const found = await call('GET', `/api/v1/admin/users?q=${encodeURIComponent(text)}&size=5`);
    const exact = found.items.filter((u) => u.username.toLowerCase() === text.toLowerCase()
      || u.email.toLowerCase() === text.toLowerCase());
    const only = exact.length === 1 ? exact : found.items;
    if (only.length === 1) return only[0].user_id;
    throw new Error(only.length === 0 ? `No account matches the host "${text}". Check the spelling or paste a user ID.`
      : `Several accounts match the host "${text}". Type the full name or email, or paste a user ID.`);
  }
}
