// The dashboard's shell: sign-in check, the side bar of pages (those the caller may read), the
// folder switcher, the theme, the live feed's state, and the page of the current path.
// A page is a module of ./pages/ whose default export mounts it: mount(host, ctx) -> cleanup.
import { html, render, nothing } from './lib/vendor.js';
import { api, onSignedOut, ApiError } from './lib/api.js';
import { Feed } from './lib/feed.js';
import { Session, theme } from './lib/session.js';
import { match, navigate, interceptLinks, query, setQuery } from './lib/router.js';

const NAV = [
  { group: null, items: [
    { href: '/', label: 'Overview', any: ['job.read', 'robot.read'] },
    { href: '/robots', label: 'Robots', any: ['robot.read'] },
    { href: '/jobs', label: 'Jobs', any: ['job.read'] },
    { href: '/failures', label: 'Failures', any: ['job.read'] },
    { href: '/stuck', label: 'Stuck', any: ['job.read'] },
    { href: '/workflows', label: 'Workflows', any: ['workflow.read'] },
    { href: '/schedules', label: 'Schedules', any: ['schedule.read'] },
    { href: '/webhooks', label: 'Webhooks', any: ['webhook.read'] },
  ] },
  { group: 'Administration', items: [
    { href: '/people', label: 'People', any: ['user.manage'] },
    { href: '/groups', label: 'Groups', any: ['user.manage'] },
    { href: '/folders', label: 'Folders', any: ['folder.manage'] },
    { href: '/keys', label: 'API keys', any: ['api_key.manage'] },
    { href: '/audit', label: 'Audit trail', any: ['audit.read'] },
  ] },
];

const LIVE_TEXT = {
  on: 'Live', connecting: 'Connecting…', retry: 'Reconnecting…', paused: 'Paused', poll: 'Polling', off: 'Off',
};

const root = document.getElementById('app');
root.textContent = ''; // the "Loading…" line of index.html; lit-html renders beside what it did not render
let session = null;
let feed = null;
let cleanup = null;
let liveStatus = 'off';
let navigated = false;
const pageModules = new Map();

theme();
interceptLinks(document.body);
window.addEventListener('popstate', () => show());
window.addEventListener('casare:navigate', () => show());
onSignedOut(() => {
  if (session) signedOut();
});

boot();

async function boot() {
  try {
    session = await Session.load();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      session = null;
      return show();
    }
    return render(html`<div class="boot notice bad" role="alert">The orchestrator could not be reached: ${err.message}.
      <button type="button" @click=${() => boot()}>Try again</button></div>`, root);
  }
  feed = new Feed(feedParams()).start();
  feed.onStatus((s) => {
    liveStatus = s;
    showLive();
  });
  if (location.pathname === '/signin') navigate(new URLSearchParams(location.search).get('return_to') || '/', { replace: true });
  else show();
}

function feedParams() {
  return session.folder ? { folder: session.folder } : {};
}

function signedOut() {
  session = null;
  if (feed) feed.stop();
  feed = null;
  const back = location.pathname + location.search;
  navigate(back.startsWith('/signin') ? back : '/signin?return_to=' + encodeURIComponent(back), { replace: true });
}

/** Shows the page of the current path; `focusPage`: after a navigation, the focus moves to it. */
async function show({ focusPage = true } = {}) {
  if (cleanup) {
    try { cleanup(); } catch (e) { console.warn(e); }
    cleanup = null;
  }
  const route = match(location.pathname);
  if (!session) {
    if (route.page !== 'signin') {
      const back = location.pathname + location.search;
      history.replaceState(null, '', '/signin?return_to=' + encodeURIComponent(back));
    }
    const signin = await load('signin');
    document.title = 'Sign in · CasareRPA Orchestrator';
    render(html`<main id="main"></main>`, root);
    cleanup = signin.default(document.getElementById('main'), { api, onSignedIn: () => boot() }) || null;
    return;
  }
  if (route.page === 'signin') return navigate('/', { replace: true });
  document.title = `${route.title} · CasareRPA Orchestrator`;
  render(shell(route), root);
  const needed = neededFor(location.pathname);
  if (needed && !needed.some((p) => session.mayAnywhere(p))) {
    showLive();
    render(noAccess(route), document.getElementById('main'));
    return;
  }
  showLive();
  const host = document.getElementById('main');
  let mod;
  try {
    mod = await load(route.page);
  } catch (err) {
    render(html`<div class="notice bad" role="alert">This page could not be loaded (${err.message}).</div>`, host);
    return;
  }
  if (match(location.pathname).path !== route.path) return; // navigated away meanwhile
  const ctx = {
    api, session, feed, params: route.params, query: query(), setQuery, navigate,
    folder: session.folder,
    setTitle: (t) => { document.title = `${t} · CasareRPA Orchestrator`; },
  };
  cleanup = mod.default(host, ctx) || null;
  // After a navigation inside the app, keyboard and screen-reader users start at the new page.
  if (navigated && focusPage) host.focus({ preventScroll: true });
  navigated = true;
}

async function load(page) {
  if (!pageModules.has(page)) pageModules.set(page, import(`./pages/${page}.js`));
  try {
    return await pageModules.get(page);
  } catch (err) {
    pageModules.delete(page);
    throw err;
  }
}

function shell(route) {
  const current = (href) => (href === '/' ? route.path === '/' : location.pathname === href || location.pathname.startsWith(href + '/'));
  const groups = NAV.map((g) => ({ ...g, items: g.items.filter((i) => i.any.some((p) => session.mayAnywhere(p))) }))
    .filter((g) => g.items.length);
  return html`<a class="skip" href="#main">Skip to the page</a>
  <div class="shell">
    <header>
      <a class="brand" href="/"><img src="/assets/favicon.svg" alt="">CasareRPA Orchestrator</a>
      <div class="header-tools">
        ${session.folders.length > 1 ? html`<label class="visually-hidden" for="folder-switch">Folder</label>
          <select id="folder-switch" @change=${(e) => switchFolder(e.target.value)}>
            <option value="" ?selected=${!session.folder}>All folders</option>
            ${session.folders.map((f) => html`<option value=${f.id} ?selected=${session.folder === f.id}>${f.path}</option>`)}
          </select>` : nothing}
        <span id="live" class="live" role="status" title="The live feed"></span>
        <label class="visually-hidden" for="theme-switch">Theme</label>
        <select id="theme-switch" @change=${(e) => theme(e.target.value)}>
          ${['system', 'light', 'dark'].map((t) => html`<option value=${t} ?selected=${theme() === t}>${t[0].toUpperCase() + t.slice(1)} theme</option>`)}
        </select>
        <span class="hide-narrow" title=${session.me.kind === 'user' ? 'Signed in as a person' : 'Signed in with an API key'}>${session.name}</span>
        <button type="button" id="sign-out" @click=${signOut}>Sign out</button>
      </div>
    </header>
    <nav aria-label="Pages">
      ${groups.map((g) => html`${g.group ? html`<div class="group">${g.group}</div>` : nothing}
        <ul>${g.items.map((i) => html`<li><a href=${i.href} aria-current=${current(i.href) ? 'page' : nothing}>${i.label}</a></li>`)}</ul>`)}
    </nav>
    <main id="main" tabindex="-1"></main>
  </div>`;
}

// The live feed's state, written into #live outside lit-html's parts: a text binding there,
// changed behind lit's back, broke the next render of the shell (in-app navigation failed).
function showLive() {
  const el = document.getElementById('live');
  if (el) {
    el.textContent = LIVE_TEXT[liveStatus] ?? liveStatus;
    el.className = `live ${liveStatus}`;
  }
}

/** The permissions of which the page at `path` needs one (those of its side-bar entry). */
function neededFor(path) {
  const base = '/' + (path.split('/')[1] || '');
  for (const g of NAV) {
    const item = g.items.find((i) => i.href === base);
    if (item) return item.any;
  }
  return null;
}

function noAccess(route) {
  const none = session.me.folders.every((f) => f.permissions.length === 0);
  return html`<div class="page-head"><h1>${route.title}</h1></div>
    <div class="panel empty" role="status"><strong>${none
      ? `You are signed in as ${session.name}, but you hold no role in any folder yet.`
      : 'Your roles do not let you see this page.'}</strong>
      <span>Ask an administrator to give you a role in a folder (docs/access.md, "Bindings").</span></div>`;
}

function switchFolder(id) {
  session.setFolder(id);
  const q = query();
  if (id) q.folder = id;
  else delete q.folder;
  setQuery(q);
  feed.update(feedParams());
  show({ focusPage: false }); // the switcher keeps the focus: the arrow keys go on from folder to folder
}

async function signOut() {
  try {
    await api.post('/api/v1/auth/logout');
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 401) console.warn('sign-out', err);
  }
  signedOut();
}
