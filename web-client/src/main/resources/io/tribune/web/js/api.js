// The REST client. The access token lives in sessionStorage (15 minutes); the refresh token rotates on use.

const SESSION = 'tribune.session';

export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `The server answered ${status}.`);
    this.status = status;
    this.code = body && body.code;
    this.details = body && body.details;
  }
}

export function session() {
  try {
    return JSON.parse(sessionStorage.getItem(SESSION)) || null;
  } catch {
    return null;
  }
}

function keep(login) {
  sessionStorage.setItem(SESSION, JSON.stringify({
    token: login.token, refresh: login.refresh_token, userId: login.user_id,
    expiresAt: Date.now() + login.expires_in * 1000,
  }));
}

export function forget() {
  sessionStorage.removeItem(SESSION);
}

async function refresh() {
  const current = session();
  if (!current || !current.refresh) return false;
  const response = await fetch('/api/v1/users/refresh', {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ refresh_token: current.refresh }),
  });
  if (!response.ok) {
    forget();
    return false;
  }
  keep(await response.json());
  return true;
}

export async function call(method, path, body, { auth = true, retry = true, headers = {} } = {}) {
  const current = session();
  const sent = { 'Accept': 'application/json', ...headers };
  if (body !== undefined) sent['Content-Type'] = 'application/json';
  if (auth && current) {
    if (current.expiresAt - Date.now() < 30_000 && retry) await refresh();
    sent['Authorization'] = 'Bearer ' + session().token;
  }
  const response = await fetch(path, { method, headers: sent, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status === 401 && auth && current && retry && await refresh()) {
    return call(method, path, body, { auth, retry: false, headers });
  }
  const text = await response.text();
  const parsed = text ? safeJson(text) : null;
  if (!response.ok) throw new ApiError(response.status, parsed);
  return parsed;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
}

export async function login(email, password) {
  const answer = await call('POST', '/api/v1/users/login', { email, password }, { auth: false });
  keep(answer);
  return answer;
}

export async function logout() {
  try {
    await call('POST', '/api/v1/users/logout', undefined, { retry: false });
  } finally {
    forget();
  }
}

export async function me() {
  const current = session();
  return current ? call('GET', `/api/v1/users/${current.userId}`) : null;
}

/**
 * The platform role (admin, host, member) the access token carries, for what the pages show; the server checks
 * every call itself, so a forged value only shows links that then answer 403.
 */
export function role() {
  const current = session();
  if (!current || !current.token) return null;
  try {
    const payload = current.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).role || null;
  } catch {
    return null;
  }
}
