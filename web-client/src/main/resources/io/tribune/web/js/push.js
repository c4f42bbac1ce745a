// Browser notifications: registers the service worker (/app/sw.js, scope /app/), asks for permission, subscribes
// with the server's VAPID key and hands the subscription to the API. Every failure says what the person can do.
import { call, ApiError } from './api.js';

export const SW_URL = '/app/sw.js';

export class PushSetupError extends Error {}

/** 'unsupported', 'denied', 'granted' or 'default' (not asked yet). */
export function pushState() {
  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    return 'unsupported';
  }
  return Notification.permission;
}

function keyBytes(base64url) {
  const base64 = (base64url + '='.repeat((4 - base64url.length % 4) % 4)).replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

const SETUP_TIMEOUT_MS = 20_000;

function withTimeout(promise, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new PushSetupError(message)), SETUP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Registers the service worker alone (the bell and the settings page use it to show pushes). */
export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) return null;
  return navigator.serviceWorker.register(SW_URL, { scope: '/app/' });
}

/** The whole flow; resolves to the API's answer, or throws a PushSetupError with advice. */
export async function enablePush() {
  const state = pushState();
  if (state === 'unsupported') {
    throw new PushSetupError('This browser cannot show notifications from websites. Use a current Chrome, Edge, '
      + 'Firefox or Safari, or keep the in-app bell.');
  }
  let key;
  try {
    key = (await call('GET', '/api/v1/push/vapid_public_key', undefined, { auth: false })).public_key;
  } catch (error) {
    if (error instanceof ApiError && error.status === 503) {
      throw new PushSetupError('Browser notifications are not set up on this server. Ask your administrator.');
    }
    throw error;
  }
  const permission = state === 'granted' ? 'granted' : await Notification.requestPermission();
  if (permission !== 'granted') {
    throw new PushSetupError('Notifications are blocked for this site. Allow them in your browser\'s site '
      + 'settings (the icon left of the address bar), then press the button again.');
  }
  const registration = await registerServiceWorker();
  await withTimeout(navigator.serviceWorker.ready, 'The notification helper (service worker) did not start. '
    + 'Reload the page and try again.');
  let subscription = await registration.pushManager.getSubscription();
  if (!subscription) {
    try {
      subscription = await withTimeout(registration.pushManager.subscribe({
        userVisibleOnly: true, applicationServerKey: keyBytes(key),
      }), 'The browser\'s push service did not answer. Check your connection and try again.');
    } catch (error) {
      if (error instanceof PushSetupError) throw error;
      throw new PushSetupError('The browser could not reach its push service (' + (error.message || error.name)
        + '). Check your connection and try again.');
    }
  }
  return call('POST', '/api/v1/push/subscriptions', subscription.toJSON());
}

/** Unsubscribes this browser and tells the API. */
export async function disablePush() {
  if (pushState() === 'unsupported') return;
  const registration = await navigator.serviceWorker.getRegistration('/app/');
  const subscription = registration && await registration.pushManager.getSubscription();
  if (!subscription) return;
  await call('DELETE', '/api/v1/push/subscriptions?endpoint=' + encodeURIComponent(subscription.endpoint))
    .catch((error) => { if (!(error instanceof ApiError && error.status === 404)) throw error; });
  await subscription.unsubscribe();
}
