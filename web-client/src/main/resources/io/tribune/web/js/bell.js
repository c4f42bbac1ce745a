// The notification bell in the header: the unread count, and a list that opens on click (unread first). Polls
// politely: every 30 s while the tab is visible, and at once when the tab or window regains focus.
import { call, session } from './api.js';
import { el, when } from './ui.js';

const POLL_MS = 30_000;
let timer = null;
let button = null;
let panel = null;
let lastPoll = 0;

export function bell() {
  if (!button) {
    button = el('button', { type: 'button', class: 'secondary bell', 'aria-haspopup': 'true', 'aria-expanded': 'false',
      'aria-label': 'Notifications', onclick: toggle }, bellIcon(), el('span', { class: 'count', hidden: true }));
    panel = el('div', { class: 'bell-panel card', role: 'region', 'aria-label': 'Notifications', hidden: true });
    document.addEventListener('visibilitychange', () => { if (!document.hidden) poll(); });
    window.addEventListener('focus', () => poll());
    document.addEventListener('click', (event) => {
      if (!panel.hidden && !panel.contains(event.target) && !button.contains(event.target)) close();
    });
  }
  if (!timer) timer = setInterval(() => { if (!document.hidden) poll(); }, POLL_MS);
  if (Date.now() - lastPoll > 2_000) poll();
  return el('span', { class: 'bell-wrap' }, button, panel);
}

/** A bell drawn in SVG (no emoji font needed). */
function bellIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '18');
  svg.setAttribute('height', '18');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', 'M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 '
    + '0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z');
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

export function stopBell() {
  clearInterval(timer);
  timer = null;
}

async function poll() {
  if (!session() || !button) return;
  lastPoll = Date.now();
  try {
    const page = await call('GET', '/api/v1/notifications?size=20');
    showCount(page.unread);
    if (!panel.hidden) render(page);
  } catch {
    // Offline or logged out: keep the last count; the next poll tries again.
  }
}

function showCount(unread) {
  const count = button.querySelector('.count');
  count.hidden = !unread;
  count.textContent = unread > 99 ? '99+' : String(unread);
  button.setAttribute('aria-label', unread ? `Notifications, ${unread} unread` : 'Notifications');
}

async function toggle() {
  if (!panel.hidden) {
    close();
    return;
  }
  panel.hidden = false;
  button.setAttribute('aria-expanded', 'true');
  panel.replaceChildren(el('p', { class: 'muted', text: 'Loading…' }));
  try {
    const page = await call('GET', '/api/v1/notifications?size=20');
    showCount(page.unread);
    render(page);
  } catch (error) {
    panel.replaceChildren(el('p', { class: 'error', text: error.message }));
  }
}

function close() {
  panel.hidden = true;
  button.setAttribute('aria-expanded', 'false');
}

function render(page) {
  const header = el('div', { class: 'row bell-head' }, el('strong', { text: 'Notifications' }),
    page.unread ? el('button', { type: 'button', class: 'link', text: 'Mark all read', onclick: async () => {
      const answer = await call('POST', '/api/v1/notifications/read_all');
      showCount(answer.unread);
      render(await call('GET', '/api/v1/notifications?size=20'));
    } }) : null,
    el('a', { href: '#/settings/notifications', text: 'Settings', onclick: close }));
  if (!page.items.length) {
    panel.replaceChildren(header, el('p', { class: 'muted', text: 'Nothing yet.' }));
    return;
  }
  const list = el('ul', { class: 'list bell-list' }, page.items.map((item) => el('li', {
    class: item.read ? 'read' : 'unread', 'data-id': item.id }, el('a', { href: appLink(item.url),
    onclick: async () => {
      close();
      if (!item.read) showCount((await call('POST', `/api/v1/notifications/${item.id}/read`)).unread);
    } }, el('strong', { text: item.title }), el('span', { text: item.body }),
  el('small', { class: 'muted', text: when(item.created_at) })))));
  panel.replaceChildren(header, list);
}

/**
 * Links into the app (its /app/ path, whatever host the server's public URL names) open here; anything else is
 * not followed.
 */
function appLink(url) {
  try {
    const target = new URL(url, location.origin);
    return target.origin === location.origin || target.pathname.startsWith('/app/')
      ? target.pathname + target.search + target.hash : '#/';
  } catch {
    return '#/';
  }
}
