// Bulk actions: the recent batches of retries and cancels (the caller's; an admin sees all) with
// their progress, state, who started them and when. A running batch is read every second until
// it ends (a tracked operation); the list itself is re-read when the feed says jobs changed.
import { html, render, nothing } from '../lib/vendor.js';
import { ago, badge, empty, table, toast, debounce } from '../lib/ui.js';
import { batchProgress, watchBatch } from './jobs.js';

export default function mount(host, ctx) {
  let items = null;
  let nextCursor = null;
  let error = null;
  let stopped = false;
  const watching = new Map(); // batch id → stop

  async function load(more = false) {
    try {
      const page = await ctx.api.get('/api/v1/jobs/bulk', { limit: 50, cursor: more ? nextCursor : undefined });
      items = more ? items.concat(page.items) : page.items;
      nextCursor = page.next_cursor;
      error = null;
      follow();
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }
  const reload = debounce(() => load(), 2000);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.kind === 'job')) reload();
  });

  /** Reads each running batch every second until it ends. */
  function follow() {
    for (const b of items) {
      if (b.state !== 'running' || watching.has(b.id)) continue;
      watching.set(b.id, watchBatch(ctx, b, (fresh) => {
        items = items.map((x) => (x.id === fresh.id ? fresh : x));
        if (fresh.state !== 'running') watching.delete(fresh.id);
        if (!stopped) draw();
      }));
    }
  }

  async function stop(b) {
    try {
      const fresh = await ctx.api.post(`/api/v1/jobs/bulk/${encodeURIComponent(b.id)}/cancel`, {});
      items = items.map((x) => (x.id === fresh.id ? fresh : x));
      toast('Batch stopped; the jobs it did stay done', 'ok');
      draw();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  function draw() {
    const notHere = error && (error.status === 404 || error.status === 405);
    render(html`
      <div class="page-head"><h1>Bulk actions</h1>
        <span class="muted small">retries and cancels of a whole filter, started from <a href="/jobs">Jobs</a> or <a href="/failures">Failures</a></span></div>
      ${notHere ? html`<div class="notice warn" role="status">This server keeps no bulk actions yet (GET /api/v1/jobs/bulk).</div>`
        : error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      ${items === null && !error ? html`<p class="muted">Loading…</p>` : items ? table({
        caption: 'Bulk actions, newest first',
        rows: items,
        key: (b) => b.id,
        empty: empty('No bulk action yet.', html`Filter the <a href="/jobs">jobs</a>, then choose "Retry all" or "Cancel all".`),
        columns: [
          { label: 'Action', cell: (b) => html`<strong>${b.action}</strong><div class="mono small">${b.id}</div>` },
          { label: 'Filter', cell: (b) => filterText(b.filter) },
          { label: 'Progress', cell: (b) => batchProgress(b, { inList: true }) },
          { label: 'State', cell: (b) => badge(b.state) },
          { label: 'By', cell: (b) => b.created_by },
          { label: 'Started', cls: 'nowrap', cell: (b) => ago(b.created_at) },
          { label: 'Ended', cls: 'nowrap', cell: (b) => ago(b.finished_at) },
          { label: 'Actions', cell: (b) => (b.state === 'running' ? html`<button type="button" @click=${() => stop(b)}>Stop</button>` : nothing) },
        ],
      }) : nothing}
      ${nextCursor ? html`<div class="pager"><button type="button" @click=${() => load(true)}>More</button></div>` : nothing}`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
    watching.forEach((s) => s());
  };
}

/** A batch's filter as a link to the jobs it names (what is left of them now). */
function filterText(filter) {
  const entries = Object.entries(filter || {}).filter(([, v]) => v !== null && v !== '' && !(Array.isArray(v) && !v.length));
  if (!entries.length) return html`<span class="muted">every job</span>`;
  const q = new URLSearchParams(entries.map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]));
  return html`<a class="small" href=${'/jobs?' + q}>${entries.map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`).join(' · ')}</a>`;
}
