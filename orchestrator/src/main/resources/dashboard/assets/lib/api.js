// The REST API, as the page uses it: JSON in and out, the session cookie sent by the browser,
// the CSRF token (cookie casare_csrf) on every write, and one error shape.

/** An answer of 4xx/5xx: {error: {code, message, details}} from the server. */
export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `HTTP ${status}`);
    this.status = status;
    this.code = e.code || 'http_' + status;
    this.details = e.details || {};
    this.field = this.details.field || null;
    this.requestId = body && body.request_id;
  }
}

function cookie(name) {
  const found = document.cookie.split('; ').find((c) => c.startsWith(name + '='));
  return found ? decodeURIComponent(found.slice(name.length + 1)) : null;
}

/** A path with its query (arrays repeat the parameter; empty values are left out). */
export function url(path, query = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    for (const one of Array.isArray(v) ? v : [v]) {
      if (one !== '' && one !== null && one !== undefined) q.append(k, one);
    }
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

const listeners = new Set();
/** Told when the server says the session is gone (401): the app shows the sign-in page. */
export function onSignedOut(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

async function request(method, path, { query, body, headers = {}, signal } = {}) {
  const h = { Accept: 'application/json', ...headers };
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = cookie('casare_csrf');
    if (csrf) h['X-CSRF-Token'] = csrf;
  }
  let payload;
  if (body !== undefined) {
    if (body instanceof Blob || typeof body === 'string') {
      payload = body;
    } else {
      h['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
  }
  const res = await fetch(url(path, query), { method, headers: h, body: payload, credentials: 'same-origin', signal });
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = { text }; }
  }
  if (!res.ok) {
    const err = new ApiError(res.status, data);
    if (res.status === 401 && !path.startsWith('/api/v1/auth/login')) listeners.forEach((fn) => fn(err));
    throw err;
  }
  return data;
}

/** Every item of a paginated listing: its pages of 500, following next_cursor to the last. */
async function all(path, query = {}, opts) {
  const items = [];
  let cursor;
  do {
    const page = await request('GET', path, { ...opts, query: { ...query, limit: 500, cursor } });
    items.push(...page.items);
    cursor = page.next_cursor || undefined;
  } while (cursor);
  return items;
}

export const api = {
  get: (path, query, opts) => request('GET', path, { ...opts, query }),
  all,
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
  url,
};
