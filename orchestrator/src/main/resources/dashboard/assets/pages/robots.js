// Robots: status, slots used of total, current jobs, last heartbeat, cpu and memory, where it is
// connected (a lost connection counts down to offline); maintenance on and off, delete
// (confirmed). Live through the feed.
import { html, render, nothing } from '../lib/vendor.js';
import { ago, badge, empty, table, toast, confirm, debounce, csvLink } from '../lib/ui.js';

const STATUSES = ['online', 'busy', 'offline', 'maintenance'];

// Rows drawn at first; a fleet of thousands shows the rest on demand (the filters search them all).
const FIRST_ROWS = 200;

export default function mount(host, ctx) {
  const filter = { status: ctx.query.status || '', text: ctx.query.q || '' };
  let showAll = false;
  let robots = null;
  let error = null;
  let stopped = false;
  const ticker = everySecondWhile(() => (robots || []).some(lost), () => draw());

  async function load() {
    try {
      // The whole fleet, a page at a time: the filters and counts below are over all of it.
      robots = await ctx.api.all('/api/v1/robots', { folder: ctx.folder });
      error = null;
    } catch (err) {
      error = err;
    }
    if (!stopped) {
      draw();
      ticker.check();
    }
  }
  const reload = debounce(load, 700);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.kind === 'robot' || c.kind === 'job')) reload();
  });

  function shown() {
    const text = filter.text.toLowerCase();
    return (robots || []).filter((r) => (!filter.status || r.status === filter.status)
      && (!text || [r.name, r.id, r.hostname, ...(r.tags || []), ...(r.capabilities || [])].some((v) => v && v.toLowerCase().includes(text))));
  }

  function setFilter(change) {
    Object.assign(filter, change);
    ctx.setQuery({ status: filter.status, q: filter.text, folder: ctx.folder });
    draw();
  }

  async function maintenance(robot, enabled) {
    try {
      await ctx.api.post(`/api/v1/robots/${encodeURIComponent(robot.id)}/maintenance`, { enabled });
      toast(`${robot.name}: maintenance ${enabled ? 'on: it takes no new jobs' : 'off'}`, 'ok');
      load();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  async function remove(robot) {
    const ok = await confirm({
      title: `Delete robot ${robot.name}?`,
      body: html`<p>Its record and folder assignments go. A robot that connects again registers anew.</p>`,
      confirmLabel: 'Delete', danger: true,
    });
    if (!ok) return;
    try {
      await ctx.api.del(`/api/v1/robots/${encodeURIComponent(robot.id)}`);
      toast(`${robot.name} deleted`, 'ok');
      load();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  function draw() {
    const matching = shown();
    const list = showAll ? matching : matching.slice(0, FIRST_ROWS);
    const counts = Object.fromEntries(STATUSES.map((s) => [s, (robots || []).filter((r) => r.status === s).length]));
    const lostCount = (robots || []).filter(lost).length;
    render(html`
      <div class="page-head"><h1>Robots</h1>
        <span class="muted">${robots ? `${robots.length} in all · ${counts.online + counts.busy - lostCount} connected`
          + (lostCount ? ` · ${lostCount} connection lost` : '') : ''}</span>
        <div class="actions">${csvLink('/api/v1/robots', { folder: ctx.folder })}</div></div>
      ${error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      <div class="filters" role="search">
        <div class="field"><label for="robot-status">Status</label>
          <select id="robot-status" @change=${(e) => setFilter({ status: e.target.value })}>
            <option value="" ?selected=${!filter.status}>Any</option>
            ${STATUSES.map((s) => html`<option value=${s} ?selected=${filter.status === s}>${s} (${counts[s]})</option>`)}
          </select></div>
        <div class="field"><label for="robot-text">Name, host, tag or capability</label>
          <input id="robot-text" type="search" .value=${filter.text} @input=${(e) => setFilter({ text: e.target.value })}></div>
      </div>
      ${robots === null && !error ? html`<p class="muted">Loading…</p>` : table({
        caption: 'Robots',
        rows: list,
        key: (r) => r.id,
        empty: robots && robots.length
          ? empty('No robot matches this filter.')
          : empty('No robot has connected yet.', html`Start one with <code>casare-rpa robot start --url …</code>; see docs/robot.md.`),
        columns: [
          { label: 'Robot', cell: (r) => html`<a href=${'/robots/' + encodeURIComponent(r.id)}>${r.name}</a>
              <div class="muted small">${r.hostname || ''}</div>` },
          { label: 'Status', cell: (r) => statusBadge(r) },
          { label: 'Slots', cls: 'nowrap', cell: (r) => slots(r) },
          { label: 'Current jobs', cell: (r) => currentJobs(r) },
          { label: 'Last heartbeat', cell: (r) => ago(r.last_heartbeat) },
          { label: 'CPU · memory', cls: 'nowrap', cell: (r) => html`${pct(r.cpu_percent)} · ${pct(r.memory_percent)}` },
          { label: 'Instance', cell: (r) => (r.instance ? html`<span class="mono small">${r.instance}</span>` : html`<span class="muted">—</span>`) },
          { label: 'Actions', cls: 'nowrap', cell: (r) => actions(r) },
        ],
      })}
      ${list.length < matching.length ? html`<p class="row"><span class="muted">Showing ${list.length} of ${matching.length} robots.</span>
        <button type="button" @click=${() => { showAll = true; draw(); }}>Show all ${matching.length}</button></p>` : nothing}`, host);
  }

  function actions(r) {
    const folder = (r.folders && r.folders[0] && r.folders[0].id) || 'root';
    return html`${ctx.session.may('robot.maintain', folder) ? html`<button type="button" data-action="maintenance"
        @click=${() => maintenance(r, !r.maintenance)}>${r.maintenance ? 'End maintenance' : 'Maintenance'}</button>` : nothing}
      ${ctx.session.may('robot.manage', 'root') ? html`<button type="button" class="danger" data-action="delete" @click=${() => remove(r)}>Delete</button>` : nothing}`;
  }

  draw();
  load();
  return () => {
    stopped = true;
    ticker.stop();
    unsubscribe();
  };
}

/**
 * A robot whose WebSocket closed without a goodbye: it keeps its status and its jobs until the
 * heartbeat sweep takes it offline at offline_at, unless it reconnects first.
 */
export const lost = (r) => r.connection === 'lost';

/** How long a lost robot has left, by this browser's clock: "offline in 12 s unless it reconnects". */
export function countdown(r, now = Date.now()) {
  const left = r.offline_at ? Math.ceil((Date.parse(r.offline_at) - now) / 1000) : 0;
  return left > 0 ? `offline in ${left} s unless it reconnects` : 'offline any moment unless it reconnects';
}

/** Its status as a badge; a lost connection says so, with the countdown beneath. */
export function statusBadge(r) {
  if (!lost(r)) return badge(r.maintenance ? 'maintenance' : r.status);
  return html`<span class="badge warn">connection lost</span><div class="muted small" data-countdown>${countdown(r)}</div>`;
}

/** Calls redraw every second while needed() holds (a countdown shows): check() after each load, stop() at the end. */
export function everySecondWhile(needed, redraw) {
  let timer = null;
  return {
    check() {
      if (needed() && !timer) timer = setInterval(redraw, 1000);
      else if (!needed() && timer) this.stop();
    },
    stop() {
      clearInterval(timer);
      timer = null;
    },
  };
}

export function slots(r) {
  const total = r.slots_total ?? r.max_concurrent_jobs ?? 1;
  const used = r.slots_used ?? (r.current_jobs || []).length;
  return html`<span class="meter" role="img" aria-label=${`${used} of ${total} slots used`}><span class=${'w' + Math.round((used / Math.max(1, total)) * 10)}></span></span>
    <span class="small">${used}/${total}</span>`;
}

export function currentJobs(r) {
  const jobs = r.current_job_details || r.current_jobs || [];
  if (!jobs.length) return html`<span class="muted">idle</span>`;
  return html`${jobs.slice(0, 3).map((j) => {
    const id = typeof j === 'string' ? j : j.id;
    const label = typeof j === 'string' ? id : (j.workflow_name || id);
    return html`<div class="small"><a href=${'/jobs/' + encodeURIComponent(id)}>${label}</a></div>`;
  })}${jobs.length > 3 ? html`<div class="muted small">and ${jobs.length - 3} more</div>` : nothing}`;
}

const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(v)} %`);
