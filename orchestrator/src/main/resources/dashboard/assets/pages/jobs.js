// Jobs: searched and filtered on the server (state, workflow, robot, tag, created time, free text
// `q`), in keyset pages; the whole filter exported as CSV; bulk retry or cancel of the whole
// filter (a dry run counts the jobs, then a tracked batch runs and its progress shows live);
// retry of dead letters. The list carries no logs and no error bodies, only a one-line summary.
// Live: the page shown is re-read when the feed says jobs changed.
import { html, render, nothing } from '../lib/vendor.js';
import { ago, badge, empty, table, toast, confirm, debounce, csvLink, duration, number, keepPagerFocus } from '../lib/ui.js';

export const STATES = ['pending', 'assigned', 'running', 'succeeded', 'failed', 'cancelled', 'timed_out'];
const RANGES = [
  { key: '', label: 'Any time' },
  { key: '1h', label: 'Last hour', seconds: 3600 },
  { key: '24h', label: 'Last 24 hours', seconds: 86400 },
  { key: '7d', label: 'Last 7 days', seconds: 7 * 86400 },
  { key: '30d', label: 'Last 30 days', seconds: 30 * 86400 },
  { key: 'custom', label: 'Between…' },
];
const PAGE = 50;

export default function mount(host, ctx) {
  const q = ctx.query;
  const filter = {
    state: (q.state || '').split(',').filter((s) => STATES.includes(s)),
    q: q.q || '', workflow_id: q.workflow_id || '', robot_id: q.robot_id || '', tag: q.tag || '',
    range: q.range || (q.since || q.until ? 'custom' : ''), since: q.since || '', until: q.until || '',
    error_signature: q.error_signature || '',
  };
  let page = null;
  let error = null;
  let stopped = false;
  let cursor = null;
  const previous = []; // the cursors of the pages before this one ("Previous" pops)
  let workflows = { list: [], names: new Map() };
  let bulk = null; // {batch, error, stop}

  async function load() {
    try {
      page = await ctx.api.get('/api/v1/jobs', { ...serverFilter(filter, ctx.folder), limit: PAGE, cursor });
      error = null;
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }
  const reload = debounce(load, 700);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.kind === 'job')) reload();
  });

  function apply(form) {
    const v = (name) => (form.elements[name] ? form.elements[name].value.trim() : '');
    Object.assign(filter, {
      q: v('q'), workflow_id: v('workflow_id'), robot_id: v('robot_id'), tag: v('tag'), range: v('range'),
      state: [...form.querySelectorAll('input[name=state]:checked')].map((c) => c.value),
    });
    if (filter.range === 'custom') {
      filter.since = localToIso(v('since'));
      filter.until = localToIso(v('until'));
    } else {
      filter.since = '';
      filter.until = '';
    }
    changed();
  }

  function clear() {
    Object.assign(filter, { state: [], q: '', workflow_id: '', robot_id: '', tag: '', range: '', since: '', until: '', error_signature: '' });
    changed();
  }

  function changed() {
    cursor = null;
    previous.length = 0;
    ctx.setQuery({ ...urlFilter(filter), folder: ctx.folder });
    draw();
    load();
  }

  async function next() {
    previous.push(cursor);
    cursor = page.next_cursor;
    await load();
    keepPagerFocus(host, '#jobs-next', '#jobs-prev');
  }

  async function back() {
    cursor = previous.pop() ?? null;
    await load();
    keepPagerFocus(host, '#jobs-prev', '#jobs-next');
  }

  async function act(action) {
    bulk = await runBulk(ctx, action, bulkFilter(filter, ctx.folder), {
      update: (b) => { bulk = b; if (!stopped) draw(); },
    }) || bulk;
    draw();
  }

  async function retryDeadLetters() {
    const wf = filter.workflow_id;
    const ok = await confirm({
      title: 'Retry dead letters?',
      body: html`<p>The oldest failed jobs${wf ? html` of <strong>${workflows.names.get(wf) || wf}</strong>` : ''}, up to
        1,000, go back to pending and run again. Jobs in folders where you may not retry are skipped.</p>`,
      confirmLabel: 'Retry failed jobs',
    });
    if (!ok) return;
    try {
      const r = await ctx.api.post('/api/v1/jobs/retry', { state: 'failed', limit: 1000, ...(wf ? { workflow_id: wf } : {}) });
      toast(`${number(r.retried_count)} failed ${r.retried_count === 1 ? 'job' : 'jobs'} retried`
        + (r.skipped.length ? `, ${number(r.skipped.length)} skipped` : ''), 'ok');
      load();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  function draw() {
    const filtered = isFiltered(filter);
    const mayRetry = ctx.session.mayAnywhere('job.retry');
    const mayCancel = ctx.session.mayAnywhere('job.cancel');
    render(html`
      <div class="page-head"><h1>Jobs</h1>
        <div class="actions">
          ${csvLink('/api/v1/jobs', { ...urlQuery(serverFilter(filter, ctx.folder)) })}
          ${mayRetry ? html`<button type="button" id="retry-dead-letters" @click=${retryDeadLetters}>Retry dead letters</button>` : nothing}
        </div></div>
      <form class="filters" role="search" aria-label="Filter jobs"
          @change=${(e) => apply(e.currentTarget)} @submit=${(e) => { e.preventDefault(); apply(e.currentTarget); }}>
        <div class="field grow"><label for="jobs-q">Search</label>
          <input id="jobs-q" name="q" type="search" .value=${filter.q} maxlength="200" aria-describedby="jobs-q-hint"
            placeholder="job id, workflow, tag or variable">
          <div class="hint" id="jobs-q-hint">A job id, part of a workflow's name, a tag or text in the input variables.</div></div>
        <fieldset class="field states"><legend>State</legend>
          ${STATES.map((s) => html`<label class="check"><input type="checkbox" name="state" value=${s} .checked=${filter.state.includes(s)}>${s.replace('_', ' ')}</label>`)}
        </fieldset>
        <div class="field"><label for="jobs-workflow">Workflow</label>
          <select id="jobs-workflow" name="workflow_id">
            <option value="" ?selected=${!filter.workflow_id}>Any</option>
            ${filter.workflow_id && !workflows.names.has(filter.workflow_id) ? html`<option value=${filter.workflow_id} selected>${filter.workflow_id}</option>` : nothing}
            ${workflows.list.map((w) => html`<option value=${w.id} ?selected=${filter.workflow_id === w.id}>${w.name}</option>`)}
          </select></div>
        <div class="field"><label for="jobs-robot">Robot id</label>
          <input id="jobs-robot" name="robot_id" .value=${filter.robot_id} size="14"></div>
        <div class="field"><label for="jobs-tag">Tag</label>
          <input id="jobs-tag" name="tag" .value=${filter.tag} size="10"></div>
        <div class="field"><label for="jobs-range">Created</label>
          <select id="jobs-range" name="range">
            ${RANGES.map((r) => html`<option value=${r.key} ?selected=${filter.range === r.key}>${r.label}</option>`)}
          </select></div>
        ${filter.range === 'custom' ? html`
          <div class="field"><label for="jobs-since">From</label>
            <input id="jobs-since" name="since" type="datetime-local" .value=${isoToLocal(filter.since)}></div>
          <div class="field"><label for="jobs-until">Until</label>
            <input id="jobs-until" name="until" type="datetime-local" .value=${isoToLocal(filter.until)}></div>` : nothing}
        <div class="field"><button type="submit" class="primary">Search</button>
          ${filtered ? html`<button type="button" @click=${clear}>Clear</button>` : nothing}</div>
      </form>
      ${filter.error_signature ? html`<p class="notice" role="status">Only jobs whose error has the signature
        <span class="mono">${filter.error_signature}</span> (<a href="/failures">failure groups</a>).</p>` : nothing}
      ${mayRetry || mayCancel ? bulkPanel(mayRetry, mayCancel) : nothing}
      ${error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      ${page === null && !error ? html`<p class="muted">Loading…</p>` : page ? jobTable(page.items, filtered) : nothing}
      ${page && (previous.length || page.next_cursor) ? html`<nav class="pager" aria-label="Pages of jobs">
          <button type="button" id="jobs-prev" ?disabled=${!previous.length} @click=${back}>Previous</button>
          <span class="muted small">page ${previous.length + 1}</span>
          <button type="button" id="jobs-next" ?disabled=${!page.next_cursor} @click=${next}>Next</button>
        </nav>` : nothing}`, host);
  }

  function bulkPanel(mayRetry, mayCancel) {
    return html`<section class="panel bulk" aria-labelledby="bulk-title">
      <div class="row"><h2 id="bulk-title">Act on the whole filter</h2>
        <span class="muted small">every job the filter matches, not only this page; a dry run counts them first</span>
        <span class="spacer"></span>
        ${mayRetry ? html`<button type="button" id="bulk-retry" @click=${() => act('retry')}>Retry all…</button>` : nothing}
        ${mayCancel ? html`<button type="button" id="bulk-cancel" class="danger" @click=${() => act('cancel')}>Cancel all…</button>` : nothing}
      </div>
      ${bulk ? batchProgress(bulk) : nothing}
    </section>`;
  }

  function jobTable(items, filtered) {
    return table({
      caption: 'Jobs, newest first',
      rows: items,
      key: (j) => j.id,
      empty: filtered
        ? empty('No job matches this filter.', html`Change the filter or <button type="button" class="link" @click=${clear}>clear it</button>.`)
        : empty('No jobs yet.', ctx.session.mayAnywhere('job.run') ? html`Run a workflow from <a href="/workflows">Workflows</a>.`
          : 'Jobs show here once someone runs a workflow.'),
      columns: [
        { label: 'Job', cell: (j) => html`<a class="mono small" href=${'/jobs/' + encodeURIComponent(j.id)}>${j.id}</a>` },
        { label: 'Workflow', cell: (j) => workflowCell(j, workflows.names) },
        { label: 'State', cell: (j) => html`${badge(j.state)}${j.stopping ? html` <span class="muted small">stopping</span>` : nothing}` },
        { label: 'Robot', cell: (j) => robotLink(j.robot_id) },
        { label: 'Created', cls: 'nowrap', cell: (j) => ago(j.created_at) },
        { label: 'Duration', cls: 'nowrap num', cell: (j) => jobDuration(j) },
        { label: 'Attempts', cls: 'num', cell: (j) => html`<span title=${`${j.max_retries} retries allowed`}>${j.attempt}</span>` },
        { label: 'Error', cls: 'error-summary', cell: (j) => errorLine(j) },
      ],
    });
  }

  draw();
  Promise.all([workflowNames(ctx).then((w) => { workflows = w; }), load()]).then(() => { if (!stopped) draw(); });
  return () => {
    stopped = true;
    unsubscribe();
    if (bulk && bulk.stop) bulk.stop();
  };
}

/** The filter as `GET /api/v1/jobs` (and the CSV) takes it: a preset time range becomes `since`. */
export function serverFilter(f, folder) {
  const range = RANGES.find((r) => r.key === f.range);
  const since = range && range.seconds ? new Date(Date.now() - range.seconds * 1000).toISOString() : f.since;
  return {
    state: f.state.length ? f.state : undefined, q: f.q, workflow_id: f.workflow_id, robot_id: f.robot_id, tag: f.tag,
    since, until: f.range === 'custom' ? f.until : '', error_signature: f.error_signature, folder,
  };
}

/** A bulk action's filter (the listing's parameters, by the same names; none empty). */
export function bulkFilter(f, folder) {
  return Object.fromEntries(Object.entries(serverFilter(f, folder)).filter(([, v]) => v !== undefined && v !== '' && v !== null));
}

function urlFilter(f) {
  return {
    state: f.state.join(','), q: f.q, workflow_id: f.workflow_id, robot_id: f.robot_id, tag: f.tag,
    range: f.range === 'custom' ? '' : f.range, since: f.range === 'custom' ? f.since : '', until: f.range === 'custom' ? f.until : '',
    error_signature: f.error_signature,
  };
}

function urlQuery(params) {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : v]));
}

function isFiltered(f) {
  return f.state.length > 0 || !!(f.q || f.workflow_id || f.robot_id || f.tag || f.range || f.error_signature);
}

function localToIso(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

function isoToLocal(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The workflows the caller may read (for names and the filter): {list, names: Map id → name}. */
export async function workflowNames(ctx) {
  try {
    const list = (await ctx.api.get('/api/v1/workflows', { folder: ctx.folder, limit: 500 })).items;
    return { list, names: new Map(list.map((w) => [w.id, w.name])) };
  } catch {
    return { list: [], names: new Map() };
  }
}

export function workflowCell(j, names) {
  return html`<a href=${'/workflows/' + encodeURIComponent(j.workflow_id)}>${names.get(j.workflow_id) || j.workflow_name || j.workflow_id}</a>
    <span class="muted small">v${j.workflow_version}</span>`;
}

export function robotLink(id) {
  return id ? html`<a href=${'/robots/' + encodeURIComponent(id)}>${id}</a>` : html`<span class="muted">—</span>`;
}

/** How long it ran (or has been running). */
export function jobDuration(j) {
  if (!j.started_at) return html`<span class="muted">—</span>`;
  const end = j.finished_at ? Date.parse(j.finished_at) : Date.now();
  const text = duration(Math.max(0, (end - Date.parse(j.started_at)) / 1000));
  return j.finished_at ? text : html`<span title="still running">${text}…</span>`;
}

/** The one-line error of a listed job (`error_summary`; an older server's `error` cut to a line). */
export function errorLine(j) {
  let line = j.error_summary;
  if (!line && j.error) {
    const first = (j.error.message || '').split('\n').find((l) => l.trim()) || '';
    line = [j.error.type, first.trim()].filter(Boolean).join(': ');
    if (line.length > 200) line = line.slice(0, 199) + '…';
  }
  return line ? html`<span class="small" title=${line}>${line}</span>` : nothing;
}

const VERB = { retry: ['Retry', 'retried'], cancel: ['Cancel', 'cancelled'] };

/**
 * A bulk action on a filter: the dry run's count in a confirmation, then the batch, whose
 * progress is read every second while it runs (a tracked operation) and given to `update`.
 * Resolves with the first state of the batch ({batch, stop}), or null when nothing ran.
 */
export async function runBulk(ctx, action, filter, { update }) {
  const [Verb, done] = VERB[action];
  let dry;
  try {
    dry = await ctx.api.post('/api/v1/jobs/bulk', { action, filter, dry_run: true });
  } catch (err) {
    toast(err.status === 404 || err.status === 405 ? 'This server has no bulk actions yet (POST /api/v1/jobs/bulk).' : err.message, 'bad');
    return null;
  }
  if (dry.count === 0) {
    toast(`No job of this filter can be ${done} now.`, 'info');
    return null;
  }
  const ok = await confirm({
    title: `${Verb} ${number(dry.count)} ${dry.count === 1 ? 'job' : 'jobs'}?`,
    body: html`<p>The dry run found <strong id="bulk-count">${number(dry.count)}</strong> ${dry.count === 1 ? 'job' : 'jobs'}
      of this filter that can be ${done}${action === 'retry' ? ' (failed, cancelled or timed out)' : ' (pending, assigned or running)'}.
      They are ${done} one by one as a batch; its progress shows here and under <a href="/batches">Bulk actions</a>.</p>
      ${dry.sample.length ? html`<p class="small muted">Among them: ${dry.sample.slice(0, 5).map((id, i) => html`${i ? ', ' : ''}<span class="mono">${id}</span>`)}${dry.count > 5 ? ' …' : ''}</p>` : nothing}`,
    confirmLabel: `${Verb} ${number(dry.count)}`,
    danger: action === 'cancel',
  });
  if (!ok) return null;
  let batch;
  try {
    batch = await ctx.api.post('/api/v1/jobs/bulk', { action, filter });
  } catch (err) {
    toast(err.message, 'bad');
    return null;
  }
  const state = { batch, stop: null };
  state.stop = watchBatch(ctx, batch, (b) => {
    state.batch = b;
    update(state);
    if (b.state !== 'running') toast(`Batch ${b.state}: ${number(b.done)} ${done}, ${number(b.skipped)} skipped`, b.state === 'succeeded' ? 'ok' : 'bad');
  });
  return state;
}

/** Reads a running batch every second until it ends; returns a function that stops. */
export function watchBatch(ctx, batch, update) {
  let timer = null;
  let stopped = false;
  async function tick() {
    try {
      const b = await ctx.api.get(`/api/v1/jobs/bulk/${encodeURIComponent(batch.id)}`);
      if (stopped) return;
      update(b);
      if (b.state === 'running') timer = setTimeout(tick, 1000);
    } catch (err) {
      if (!stopped) timer = setTimeout(tick, 3000);
    }
  }
  if (batch.state === 'running') timer = setTimeout(tick, 1000);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/** A batch's progress bar and counts; `inList`: without its state and the link to the list (the list shows them). */
export function batchProgress(state, { inList = false } = {}) {
  const b = state.batch || state;
  const handled = b.done + b.skipped + b.failed;
  return html`<div class="batch-progress" role="status" data-batch=${b.id}>
    <progress max=${Math.max(1, b.total)} .value=${handled} aria-label=${`${b.action} batch: ${handled} of ${b.total} jobs handled`}></progress>
    <span class="small">${inList ? nothing : badge(b.state)} <span class="batch-counts">${number(handled)} of ${number(b.total)} handled ·
      ${number(b.done)} ${VERB[b.action] ? VERB[b.action][1] : b.action} · ${number(b.skipped)} skipped${b.failed ? ` · ${number(b.failed)} failed` : ''}</span>
      ${b.error ? html`· <span class="error">${b.error}</span>` : nothing}
      ${inList ? nothing : html`· <a href="/batches">Bulk actions</a>`}</span>
  </div>`;
}
