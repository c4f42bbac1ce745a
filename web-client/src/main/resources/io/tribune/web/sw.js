// Tribune's service worker (scope /app/): shows Web Push messages and opens their link on click. The worker's
// payload is JSON {"title", "body", "url"} (notification-worker, RFC 8291 aes128gcm; the browser decrypts it).

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let message = { title: 'Tribune', body: '', url: '/app/' };
  if (event.data) {
    try {
      message = { ...message, ...event.data.json() };
    } catch {
      message.body = event.data.text();
    }
  }
  event.waitUntil(self.registration.showNotification(message.title, {
    body: message.body, tag: message.url, data: { url: message.url },
  }));
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = new URL((event.notification.data && event.notification.data.url) || '/app/', self.location.origin);
  // Only pages of this app: a push message cannot open arbitrary sites.
  const url = new URL(target.origin === self.location.origin || target.pathname.startsWith('/app/')
    ? target.pathname + target.search + target.hash : '/app/', self.location.origin).href;
  event.waitUntil((async () => {
    const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
    for (const client of windows) {
      if (client.url === url && 'focus' in client) return client.focus();
    }
    return self.clients.openWindow(url);
  })());
});
