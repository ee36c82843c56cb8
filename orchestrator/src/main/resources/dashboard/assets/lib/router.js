// Pages by path (History API: every job, robot, workflow and schedule has a link of its own).
// Page modules load when first visited, so the first paint needs only the shell.

export const ROUTES = [
  { path: '/', page: 'overview', title: 'Overview' },
  { path: '/robots', page: 'robots', title: 'Robots' },
  { path: '/robots/:id', page: 'robot', title: 'Robot' },
  { path: '/jobs', page: 'jobs', title: 'Jobs' },
  { path: '/jobs/:id', page: 'job', title: 'Job' },
  { path: '/failures', page: 'failures', title: 'Failures' },
  { path: '/stuck', page: 'stuck', title: 'Stuck jobs' },
  { path: '/batches', page: 'batches', title: 'Bulk actions' },
  { path: '/workflows', page: 'workflows', title: 'Workflows' },
  { path: '/workflows/:id', page: 'workflow', title: 'Workflow' },
  { path: '/schedules', page: 'schedules', title: 'Schedules' },
  { path: '/schedules/:id', page: 'schedule', title: 'Schedule' },
  { path: '/webhooks', page: 'webhooks', title: 'Webhooks' },
  { path: '/people', page: 'people', title: 'People' },
  { path: '/groups', page: 'groups', title: 'Groups' },
  { path: '/folders', page: 'folders', title: 'Folders' },
  { path: '/keys', page: 'keys', title: 'API keys and service accounts' },
  { path: '/audit', page: 'audit', title: 'Audit trail' },
  { path: '/signin', page: 'signin', title: 'Sign in' },
];

/** The route of a path, with its parameters ({id}); the not-found page when none. */
export function match(pathname) {
  const parts = pathname.replace(/\/+$/, '').split('/').slice(1);
  for (const r of ROUTES) {
    const want = r.path === '/' ? [] : r.path.split('/').slice(1);
    if (want.length !== parts.length) continue;
    const params = {};
    if (want.every((w, i) => (w.startsWith(':') ? (params[w.slice(1)] = decodeURIComponent(parts[i])) : w === parts[i]))) {
      return { ...r, params };
    }
  }
  return { path: pathname, page: 'notfound', title: 'Not found', params: {} };
}

/** Goes to `href` without reloading (pushState), or replaces the current entry. */
export function navigate(href, { replace = false } = {}) {
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.dispatchEvent(new Event('casare:navigate'));
}

/**
 * Same-origin links inside the app navigate without a reload (middle-click and modifiers keep the
 * browser's way). A link to a part of the page ("#run", the skip link's "#main") moves the focus
 * there, so that the next Tab goes on from it; left to the browser, it would add a history entry
 * whose popstate showed the whole page anew, the focus back at its top.
 */
export function interceptLinks(root) {
  root.addEventListener('click', (e) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const a = e.target.closest('a[href]');
    if (!a || a.target || a.hasAttribute('download')) return;
    const href = a.getAttribute('href');
    if (href.startsWith('#')) {
      const part = document.getElementById(href.slice(1));
      if (!part) return;
      e.preventDefault();
      if (!part.hasAttribute('tabindex')) part.setAttribute('tabindex', '-1');
      part.focus({ preventScroll: true });
      part.scrollIntoView({ block: 'start' });
      return;
    }
    if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/api/') || href.startsWith('/webjars/')) return;
    e.preventDefault();
    navigate(href);
  });
}

/** The current query as an object (a page's filters live in the URL, so links keep them). */
export function query() {
  return Object.fromEntries(new URLSearchParams(location.search));
}

/** Replaces the query (filters changed) without a new history entry per keystroke. */
export function setQuery(values) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== null && v !== '') q.set(k, v);
  const s = q.toString();
  history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
}
