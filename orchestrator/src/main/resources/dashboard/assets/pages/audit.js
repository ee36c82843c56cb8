// The audit trail (audit.read): who changed what, when, from which address, in which folder;
// filters kept in the URL (actor, action, the resource changed: its type and id, folder, since,
// until), keyset pages (newer and older), each event's details expandable, Export CSV of the
// filter. An admin reads every event; a folder admin those of their folders (the API decides).
import { html, render, nothing } from '../lib/vendor.js';
import { when, empty, table, debounce, csvLink, fieldError, formError, invalid, keepPagerFocus } from '../lib/ui.js';

const PAGE = 50;
// The resource types the trail writes (GET /api/v1/audit, target_type), offered as suggestions.
const TARGET_TYPES = ['workflow', 'job', 'job_batch', 'schedule', 'webhook', 'robot', 'folder', 'binding', 'role', 'group',
  'user', 'user_session', 'service_account', 'api_key'];
const FIELDS = ['actor', 'action', 'target_type', 'target_id', 'folder', 'since', 'until'];

export default function mount(host, ctx) {
  const filter = {
    actor: ctx.query.actor || '', action: ctx.query.action || '', target_type: ctx.query.target_type || '',
    target_id: ctx.query.target_id || '', folder: ctx.query.in || '', since: ctx.query.since || '', until: ctx.query.until || '',
  };
  // The filter as the API takes it, for the page and for its CSV.
  const query = () => ({
    actor: filter.actor.trim(), action: filter.action.trim(), target_type: filter.target_type.trim(),
    target_id: filter.target_id.trim(), folder: filter.folder || ctx.folder, since: iso(filter.since), until: iso(filter.until),
  });
  let events = null;
  let next = null;
  const cursors = []; // the cursors of the pages before this one (the first page's is '')
  let cursor = '';
  let error = null;
  let stopped = false;
  let seq = 0;

  async function load() {
    const mine = ++seq;
    try {
      const page = await ctx.api.get('/api/v1/audit', { ...query(), limit: PAGE, cursor });
      if (mine !== seq) return;
      events = page.items;
      next = page.next_cursor;
      error = null;
    } catch (err) {
      if (mine !== seq) return;
      error = err;
    }
    if (!stopped) draw();
  }
  const refilter = debounce(() => {
    cursors.length = 0;
    cursor = '';
    load();
  }, 400);
  // New events arrive at the top: the first page re-reads itself; a later page stays as it is.
  const reload = debounce(() => { if (!cursor) load(); }, 1500);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.length) reload();
  });

  function setFilter(name, value) {
    filter[name] = value;
    ctx.setQuery({
      actor: filter.actor, action: filter.action, target_type: filter.target_type, target_id: filter.target_id,
      in: filter.folder, since: filter.since, until: filter.until, folder: ctx.folder,
    });
    refilter();
  }

  async function older() {
    cursors.push(cursor);
    cursor = next;
    await load();
    keepPagerFocus(host, '#audit-older', '#audit-newer');
  }

  async function newer() {
    cursor = cursors.pop() || '';
    await load();
    keepPagerFocus(host, '#audit-newer', '#audit-older');
  }

  const input = (name, label, type = 'text', hint = '', list = '') => html`<div class="field"><label for=${'audit-' + name}>${label}</label>
    <input id=${'audit-' + name} type=${type} .value=${filter[name]} placeholder=${hint || nothing} list=${list || nothing}
      aria-invalid=${invalid(error, name)} aria-describedby=${error && error.field === name ? 'err-' + name : nothing}
      @input=${(e) => setFilter(name, e.target.value)}>${fieldError(error, name)}</div>`;

  function draw() {
    render(html`
      <div class="page-head"><h1>Audit trail</h1><span class="muted">newest first</span>
        <div class="actions">${csvLink('/api/v1/audit', query())}</div></div>
      ${formError(error, FIELDS)}
      <div class="filters" role="search" aria-label="Filter the audit trail">
        ${input('actor', 'Actor id', 'text', 'usr_… or key_…')}
        ${input('action', 'Action', 'text', 'user.create')}
        ${input('target_type', 'Resource type', 'text', 'workflow', 'audit-target-types')}
        <datalist id="audit-target-types">${TARGET_TYPES.map((t) => html`<option value=${t}></option>`)}</datalist>
        ${input('target_id', 'Resource id', 'text', 'wf_… or job_…')}
        <div class="field"><label for="audit-folder">Folder</label>
          <select id="audit-folder" aria-invalid=${invalid(error, 'folder')} @change=${(e) => setFilter('folder', e.target.value)}>
            <option value="" ?selected=${!filter.folder}>${ctx.folder ? 'The switcher\'s folder' : 'Any (and the installation\'s)'}</option>
            ${ctx.session.folders.map((f) => html`<option value=${f.id} ?selected=${filter.folder === f.id}>${f.path}</option>`)}
          </select>${fieldError(error, 'folder')}</div>
        ${input('since', 'Since', 'datetime-local')}
        ${input('until', 'Until', 'datetime-local')}
        ${Object.values(filter).some(Boolean) ? html`<button type="button" @click=${() => { Object.keys(filter).forEach((k) => { filter[k] = ''; }); setFilter('actor', ''); }}>Clear</button>` : nothing}
      </div>
      ${events === null && !error ? html`<p class="muted">Loading…</p>` : table({
        caption: 'Audit events',
        rows: events || [],
        key: (e) => String(e.id),
        empty: Object.values(filter).some(Boolean) || cursor ? empty('No event matches this filter.', 'Widen the time range or clear a filter.')
          : empty('No events yet.', 'Every change made through the API or the command line is recorded here.'),
        columns: [
          { label: 'When', cls: 'nowrap', cell: (e) => when(e.occurred_at) },
          { label: 'Who', cell: (e) => html`<strong>${e.actor_name}</strong><div class="muted small">${e.actor_kind} · <span class="mono">${e.actor_id}</span></div>` },
          { label: 'Action', cell: (e) => html`<span class="mono">${e.action}</span>` },
          { label: 'What', cell: (e) => html`${e.target_type}${e.target_id ? html` <span class="mono small">${e.target_id}</span>` : nothing}` },
          { label: 'Folder', cell: (e) => (e.folder ? e.folder.path : html`<span class="muted">installation</span>`) },
          { label: 'Client address', cell: (e) => (e.client_address ? html`<span class="mono client-address">${e.client_address}</span>` : html`<span class="muted">${e.actor_kind === 'cli' ? 'command line' : '—'}</span>`) },
          { label: 'Details', cell: (e) => details(e) },
        ],
      })}
      <div class="pager">
        <button type="button" id="audit-newer" ?disabled=${!cursors.length && !cursor} @click=${newer}>Newer</button>
        <span class="muted small">page ${cursors.length + 1}</span>
        <button type="button" id="audit-older" ?disabled=${!next} @click=${older}>Older</button>
      </div>`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
  };
}

function details(e) {
  const d = e.details && Object.keys(e.details).length ? e.details : null;
  if (!d && !e.request_id) return html`<span class="muted">—</span>`;
  return html`<details><summary>${d ? Object.keys(d).slice(0, 3).join(', ') + (Object.keys(d).length > 3 ? ', …' : '') : 'request'}</summary>
    ${e.request_id ? html`<div class="small">request <span class="mono">${e.request_id}</span></div>` : nothing}
    ${d ? html`<pre tabindex="0">${JSON.stringify(d, null, 2)}</pre>` : nothing}</details>`;
}

/** A datetime-local value (the viewer's zone) as an ISO instant. */
function iso(local) {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? local : d.toISOString();
}
