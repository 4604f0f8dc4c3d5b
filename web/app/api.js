// The API client: one fetch wrapper for /api/v1.
// - The access token lives in this module's variable only (never localStorage/sessionStorage);
//   the refresh token is an HttpOnly cookie the server sets, so no script can read it.
// - A 401 triggers one refresh (the cookie goes by itself) and one retry; if that fails the
//   app shows the login page.
// - Errors come back as ApiError carrying the problem+json fields (title, detail, status, errors).

const BASE = '/api/v1';
let accessToken = null;
let refreshing = null;
let onSignedOut = () => {};

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem?.title || '';
    this.detail = problem?.detail || '';
    this.errors = Array.isArray(problem?.errors) ? problem.errors : [];
    this.type = problem?.type || '';
  }
}

/** Called when the session is gone (refresh refused): the app routes to the login page. */
export function whenSignedOut(fn) {
  onSignedOut = fn;
}

export function signedIn() {
  return accessToken !== null;
}

async function readProblem(res) {
  const type = res.headers.get('Content-Type') || '';
  let body = null;
  if (type.includes('json')) {
    try { body = await res.json(); } catch { body = null; }
  }
  return new ApiError(res.status, body);
}

async function send(path, opts) {
  const headers = { Accept: opts.accept || 'application/json', ...(opts.headers || {}) };
  if (accessToken && !opts.noAuth) headers.Authorization = `Bearer ${accessToken}`;
  let body;
  if (opts.text !== undefined) {
    // A raw text body (CSV imports): sent as is with its own Content-Type.
    headers['Content-Type'] = opts.contentType || 'text/plain; charset=utf-8';
    body = opts.text;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  try {
    return await fetch(BASE + path, {
      method: opts.method || 'GET', headers, body, credentials: 'same-origin', cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, null);
  }
}

/** Exchange the refresh cookie for a new access token; true when it worked. */
export function refresh() {
  if (!refreshing) {
    refreshing = (async () => {
      try {
        const res = await send('/auth/refresh', { method: 'POST', body: {}, noAuth: true });
        if (!res.ok) { accessToken = null; return false; }
        const tok = await res.json();
        accessToken = tok.access_token;
        return true;
      } catch {
        accessToken = null;
        return false;
      } finally {
        refreshing = null;
      }
    })();
  }
  return refreshing;
}

export async function login(username, password) {
  const res = await send('/auth/login', {
    method: 'POST', body: { username, password, refresh_cookie: true }, noAuth: true,
  });
  if (!res.ok) throw await readProblem(res);
  const tok = await res.json();
  accessToken = tok.access_token;
}

export async function logout() {
  try {
    await send('/auth/logout', { method: 'POST', body: {} });
  } finally {
    accessToken = null;
  }
}

/**
 * Change the caller's password (POST /me/password). Every session ends, this one too; the
 * answer carries the tokens of a new session, whose access token is taken at once. That
 * endpoint does not set the refresh cookie (the old one is revoked), so the app then logs in
 * again with the new password, which sets a fresh cookie: a reload keeps the user signed in.
 * Returns true when the new login worked, false when the user must log in again by hand.
 */
export async function changePassword(username, currentPassword, newPassword) {
  const tok = await api('/me/password', {
    method: 'POST', body: { current_password: currentPassword, new_password: newPassword },
  });
  accessToken = tok.access_token;
  try {
    await login(username, newPassword);
    return true;
  } catch {
    return false;
  }
}

/**
 * api('/tickets?x=1'), api('/tickets/3/accept', {method: 'POST', body: {}}).
 * Options: method, body (JSON), text + contentType (a raw body), headers, accept, raw (return the Response).
 */
export async function api(path, opts = {}) {
  let res = await send(path, opts);
  if (res.status === 401) {
    if (await refresh()) {
      res = await send(path, opts);
    }
    if (res.status === 401) {
      accessToken = null;
      const err = await readProblem(res);
      onSignedOut();
      throw err;
    }
  }
  if (!res.ok) throw await readProblem(res);
  if (opts.raw) return res;
  if (res.status === 204) return null;
  return res.json();
}

/** Build "?a=1&b=2" from an object, skipping empty values (the API refuses unknown or empty filters). */
export function qs(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Fetch with the token and save the answer as a file (CSV downloads). */
export async function download(path, filename, accept = 'text/csv') {
  const res = await api(path, { accept, raw: true });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// Small caches of names the ticket views show beside ids (users, enterprises, categories).
const cache = new Map();
export function cached(key, loader) {
  if (!cache.has(key)) {
    // A refused look-up (404: outside the caller's scope) is remembered too, as a rejection.
    const p = loader().catch((e) => {
      if (!(e instanceof ApiError) || e.status !== 404) cache.delete(key);
      throw e;
    });
    cache.set(key, p);
  }
  return cache.get(key);
}

/** Seed the cache with a known value (from a list answer). */
export function prime(key, value) {
  if (!cache.has(key)) cache.set(key, Promise.resolve(value));
}

export function clearCache() {
  cache.clear();
}
