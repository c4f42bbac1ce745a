import { call, login, session, forget, me } from '../api.js';
import { el, show, field, formError, submitting, toast } from '../ui.js';

function afterLogin() {
  const next = sessionStorage.getItem('tribune.after-login');
  sessionStorage.removeItem('tribune.after-login');
  location.hash = next || '#/';
}

export function loginPage() {
  const email = el('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = el('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const error = formError();
  const button = el('button', { type: 'submit', text: 'Log in' });
  const form = el('form', { class: 'card narrow', onsubmit: (event) => {
    event.preventDefault();
    submitting(button, error, async () => {
      await login(email.value.trim(), password.value);
      afterLogin();
    });
  } }, el('h1', { text: 'Log in to Tribune' }), field('Email', email), field('Password', password), error,
  el('div', { class: 'row' }, button, el('a', { href: '#/forgot', text: 'Forgot your password?' })),
  el('p', { class: 'muted' }, 'New here? ', el('a', { href: '#/register', text: 'Create an account' }),
    ' · Have a meeting number? ', el('a', { href: '#/join-number', text: 'Join with ID and passcode' })));
  show(form);
}

export function registerPage() {
  const username = el('input', { name: 'username', autocomplete: 'username', required: true, maxlength: 64 });
  const email = el('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const password = el('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true,
    minlength: 10 });
  const error = formError();
  const button = el('button', { type: 'submit', text: 'Create account' });
  show(el('form', { class: 'card narrow', onsubmit: (event) => {
    event.preventDefault();
    submitting(button, error, async () => {
      await call('POST', '/api/v1/users/register', { username: username.value.trim(), email: email.value.trim(),
        password: password.value }, { auth: false });
      await login(email.value.trim(), password.value);
      toast('Welcome to Tribune! We sent you an email to verify your address.');
      afterLogin();
    });
  } }, el('h1', { text: 'Create your account' }), field('Name', username), field('Email', email),
  field('Password (at least 10 characters)', password), error, button));
}

export function forgotPage() {
  const email = el('input', { type: 'email', name: 'email', required: true });
  const error = formError();
  const button = el('button', { type: 'submit', text: 'Send reset link' });
  const done = el('p', { class: 'ok', role: 'status' });
  show(el('form', { class: 'card narrow', onsubmit: (event) => {
    event.preventDefault();
    submitting(button, error, async () => {
      await call('POST', '/api/v1/users/password-reset', { email: email.value.trim() }, { auth: false });
      done.textContent = 'If an account uses that address, a reset link is on its way.';
    });
  } }, el('h1', { text: 'Reset your password' }), field('Email', email), error, done, button));
}

export async function accountPage() {
  const user = await me();
  const username = el('input', { name: 'username', value: user.username, required: true });
  const email = el('input', { type: 'email', name: 'email', value: user.email, required: true });
  const error = formError();
  const save = el('button', { type: 'submit', text: 'Save profile' });
  const current = el('input', { type: 'password', autocomplete: 'current-password' });
  const next = el('input', { type: 'password', autocomplete: 'new-password', minlength: 10 });
  const passwordError = formError();
  const change = el('button', { type: 'submit', text: 'Change password' });
  const path = `/api/v1/users/${session().userId}`;
  show(el('h1', { text: 'Your account' }),
    el('form', { class: 'card', onsubmit: (event) => {
      event.preventDefault();
      submitting(save, error, async () => {
        await call('PATCH', path, { username: username.value.trim(), email: email.value.trim() });
        toast('Profile saved.');
      });
    } }, el('h2', { text: 'Profile' }), field('Name', username), field('Email', email), error, save),
    el('form', { class: 'card', onsubmit: (event) => {
      event.preventDefault();
      submitting(change, passwordError, async () => {
        await call('PATCH', path, { current_password: current.value, new_password: next.value });
        current.value = next.value = '';
        toast('Password changed. Your other sessions were signed out.');
      });
    } }, el('h2', { text: 'Password' }), field('Current password', current), field('New password', next),
    passwordError, change),
    el('section', { class: 'card' }, el('h2', { text: 'Your data' }),
      el('p', { class: 'muted', text: 'Download everything Tribune holds about you, or delete your account.' }),
      el('div', { class: 'row' },
        el('button', { type: 'button', class: 'secondary', text: 'Download my data', onclick: async () => {
          const data = await call('GET', `${path}/export`);
          const link = el('a', { href: URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)],
            { type: 'application/json' })), download: 'tribune-data.json' });
          link.click();
        } }),
        el('button', { type: 'button', class: 'danger', text: 'Delete my account', onclick: async () => {
          if (!confirm('Delete your account and everything in it? This cannot be undone.')) return;
          await call('DELETE', path);
          forget();
          location.hash = '#/register';
          toast('Your account was deleted.');
        } }))));
}
