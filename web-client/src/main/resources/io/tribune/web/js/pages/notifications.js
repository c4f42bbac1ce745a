// #/settings/notifications: which notifications arrive how (mail, browser push, the in-app bell), the reminder
// lead time, and this browser's push subscription.
import { call } from '../api.js';
import { el, show, field, formError, submitting, toast } from '../ui.js';
import { enablePush, disablePush, pushState } from '../push.js';

const CHANNEL_LABELS = { email: 'Email', push: 'Browser', in_app: 'In app' };

export async function notificationSettingsPage() {
  const current = await call('GET', '/api/v1/users/me/notification_preferences');
  const boxes = [];
  const head = el('tr', {}, el('th', { scope: 'col', text: 'Notification' }),
    current.channels.map((channel) => el('th', { scope: 'col', text: CHANNEL_LABELS[channel] || channel })));
  const rows = current.kinds.map((kind) => el('tr', {}, el('th', { scope: 'row' }, kind.label,
    kind.optional ? null : el('small', { class: 'muted', text: ' (always on)' })),
  current.channels.map((channel) => {
    const box = el('input', { type: 'checkbox', name: `${channel}.${kind.kind}`,
      'aria-label': `${kind.label}: ${CHANNEL_LABELS[channel] || channel}`,
      checked: current.preferences[channel][kind.kind], disabled: !kind.optional });
    box.dataset.channel = channel;
    box.dataset.kind = kind.kind;
    if (kind.optional) boxes.push(box);
    return el('td', {}, box);
  })));
  const lead = el('input', { type: 'number', id: 'lead', name: 'reminder_lead_minutes', min: 0, max: 1440, step: 1,
    required: true, value: current.reminder_lead_minutes });
  const error = formError();
  const save = el('button', { type: 'submit', text: 'Save' });
  const form = el('form', { class: 'card', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    submitting(save, error, async () => {
      const minutes = Number(lead.value);
      if (!Number.isInteger(minutes) || minutes < 0 || minutes > 1440) {
        throw new Error('Reminder lead time: a whole number of minutes from 0 to 1440.');
      }
      const preferences = {};
      for (const box of boxes) {
        (preferences[box.dataset.channel] ||= {})[box.dataset.kind] = box.checked;
      }
      await call('PUT', '/api/v1/users/me/notification_preferences',
        { preferences, reminder_lead_minutes: minutes });
      toast('Notification settings saved.');
    });
  } }, el('table', { class: 'prefs' }, el('thead', {}, head), el('tbody', {}, rows)),
  field('Remind me this many minutes before a meeting', lead), error, el('div', { class: 'row' }, save));

  const pushStatus = el('p', { class: 'push-status', role: 'status' });
  const pushError = el('p', { class: 'error push-error', role: 'alert' });
  const enable = el('button', { type: 'button', class: 'enable-push', text: 'Enable browser notifications' });
  const disable = el('button', { type: 'button', class: 'secondary', text: 'Turn off on this browser' });
  const describe = () => {
    const state = pushState();
    pushStatus.textContent = {
      unsupported: 'This browser cannot show notifications from websites.',
      denied: 'Notifications are blocked for this site in your browser settings.',
      granted: 'This browser may show Tribune notifications.',
      default: 'This browser does not show Tribune notifications yet.',
    }[state];
    enable.disabled = state === 'unsupported';
  };
  enable.addEventListener('click', () => submitting(enable, pushError, async () => {
    await enablePush();
    describe();
    pushStatus.textContent = 'Browser notifications are on for this browser.';
    toast('Browser notifications are on.');
  }));
  disable.addEventListener('click', () => submitting(disable, pushError, async () => {
    await disablePush();
    describe();
    toast('Browser notifications are off for this browser.');
  }));
  describe();
  show(el('h1', { text: 'Notification settings' }), form,
    el('section', { class: 'card' }, el('h2', { text: 'Browser notifications' }), pushStatus,
      el('div', { class: 'row' }, enable, disable), pushError));
}
