// Hash routes: #/login, #/register, #/forgot, #/ (dashboard), #/account, #/schedule, #/meetings/ID,
// #/meetings/ID/edit, #/join/ID (pre-join), #/join-number, #/room/ID (in the meeting), #/watch/ID (a town hall's
// audience), #/recordings (filters in the query), #/recordings/ID (the player; ?t=SECONDS starts it there),
// #/admin/audit-log (admins), #/settings/notifications.
import { session, logout, role } from './api.js';
import { el, show } from './ui.js';
import { loginPage, registerPage, forgotPage, accountPage } from './pages/auth.js';
import { dashboardPage, schedulePage, meetingPage } from './pages/meetings.js';
import { joinPage, joinByNumberPage } from './pages/join.js';
import { roomPage, leaveRoom } from './pages/room.js';
import { watchPage, leaveWatch } from './pages/watch.js';
import { recordingsPage } from './pages/recordings.js';
import { recordingPage } from './pages/recording.js';
import { auditLogPage } from './pages/audit.js';
import { notificationSettingsPage } from './pages/notifications.js';
import { bell, stopBell } from './bell.js';

const routes = [
  [/^#\/login$/, () => loginPage(), false],
  [/^#\/register$/, () => registerPage(), false],
  [/^#\/forgot$/, () => forgotPage(), false],
  [/^#\/join\/([\w-]+)$/, (id) => joinPage(id), false],
  [/^#\/join-number$/, () => joinByNumberPage(), false],
  [/^#\/room\/([\w-]+)$/, (id) => roomPage(id), false],
  [/^#\/watch\/([\w-]+)$/, (id) => watchPage(id), false],
  [/^#\/account$/, () => accountPage(), true],
  [/^#\/schedule$/, () => schedulePage(), true],
  [/^#\/meetings\/([\w-]+)\/edit$/, (id) => schedulePage(id), true],
  [/^#\/meetings\/([\w-]+)$/, (id) => meetingPage(id), true],
  [/^#\/recordings(?:\?(.*))?$/, (query) => recordingsPage(query), true],
  [/^#\/recordings\/([\w-]+)(?:\?(.*))?$/, (id, query) => recordingPage(id, query), true],
  [/^#\/admin\/audit-log(?:\?(.*))?$/, (query) => auditLogPage(query), true],
  [/^#\/settings\/notifications$/, () => notificationSettingsPage(), true],
  [/^#\/?$/, () => dashboardPage(), true],
];

function renderNav() {
  const nav = document.getElementById('nav');
  if (session()) {
    nav.replaceChildren(...[
      el('a', { href: '#/', text: 'Meetings' }),
      el('a', { href: '#/recordings', text: 'Recordings',
        'aria-current': location.hash.startsWith('#/recordings') ? 'page' : null }),
      role() === 'admin' ? el('a', { href: '#/admin/audit-log', text: 'Audit log',
        'aria-current': location.hash.startsWith('#/admin/audit-log') ? 'page' : null }) : null,
      el('a', { href: '#/account', text: 'Account' }),
      bell(),
      el('button', { class: 'secondary', type: 'button', text: 'Log out', onclick: async () => {
        await logout();
        location.hash = '#/login';
      } })].filter(Boolean));
  } else {
    stopBell();
    nav.replaceChildren(el('a', { href: '#/login', text: 'Log in' }), el('a', { href: '#/register', text: 'Sign up' }));
  }
}

async function route() {
  if (!location.hash.startsWith('#/room/')) leaveRoom();
  if (!location.hash.startsWith('#/watch/')) leaveWatch();
  renderNav();
  const hash = location.hash || '#/';
  for (const [pattern, page, needsLogin] of routes) {
    const match = hash.match(pattern);
    if (!match) continue;
    if (needsLogin && !session()) {
      sessionStorage.setItem('tribune.after-login', hash);
      location.hash = '#/login';
      return;
    }
    try {
      await page(...match.slice(1));
    } catch (error) {
      show(el('h1', { text: 'Something went wrong' }), el('p', { class: 'error', text: error.message }),
        el('p', {}, el('a', { href: '#/', text: 'Back to your meetings' })));
    }
    return;
  }
  show(el('h1', { text: 'Page not found' }), el('p', {}, el('a', { href: '#/', text: 'Back to your meetings' })));
}

window.addEventListener('hashchange', route);
route();
