// Failures grouped by error signature (type and normalised message) over the last hour, day or
// week, each with a link to its jobs and one-click retry of the group (a bulk retry of its
// signature: the dry run's count in the confirmation), and Export CSV of every group of the
// period; and, per workflow, those failing now (their failing streak) and those recovered lately.
import { html, render, nothing } from '../lib/vendor.js';
import { ago, badge, empty, table, debounce, number, csvLink } from '../lib/ui.js';
import { runBulk, batchProgress, workflowNames } from './jobs.js';

const RANGES = [
  { key: 'hour', label: 'Last hour', seconds: 3600 },
  { key: 'day', label: 'Last 24 hours', seconds: 86400 },
  { key: 'week', label: 'Last 7 days', seconds: 7 * 86400 },
];

export default function mount(host, ctx) {
  let range = RANGES.find((r) => r.key === ctx.query.range) || RANGES[1];
  let since = sinceOf(range); // the start of the period the groups shown were read for
  let groups = null;
  let error = null;
  let health = null; // null: not read yet; false: this server gives no health
  let stopped = false;
  let bulk = null; // {signature, batch, stop}

  async function load() {
    since = sinceOf(range);
    const [g, w] = await Promise.allSettled([
      ctx.api.get('/api/v1/jobs/failure-groups', { since, folder: ctx.folder, limit: 100 }),
      workflowNames(ctx),
    ]);
    if (g.status === 'fulfilled') {
      groups = g.value.items;
      error = null;
    } else {
      error = g.reason;
    }
    const list = w.status === 'fulfilled' ? w.value.list : [];
    health = list.length && !list.some((x) => x.health) ? false : list.filter((x) => x.health);
    if (!stopped) draw();
  }
  const reload = debounce(load, 1500);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.kind === 'job' && ['failed', 'timed_out', 'succeeded'].includes(c.to))) reload();
  });

  function setRange(key) {
    range = RANGES.find((r) => r.key === key) || RANGES[1];
    ctx.setQuery({ range: range.key, folder: ctx.folder });
    load();
  }

  async function retryGroup(g) {
    const started = await runBulk(ctx, 'retry', { error_signature: g.signature, ...(ctx.folder ? { folder: ctx.folder } : {}) }, {
      update: (s) => { bulk = { ...s, signature: g.signature }; if (!stopped) draw(); },
    });
    if (started) {
      if (bulk && bulk.stop) bulk.stop();
      bulk = { ...started, signature: g.signature };
      draw();
    }
  }

  function draw() {
    const notHere = error && (error.status === 404 || error.status === 405);
    render(html`
      <div class="page-head"><h1>Failures</h1>
        <div class="actions"><label class="inline" for="failures-range">Period</label>
          <select id="failures-range" @change=${(e) => setRange(e.target.value)}>
            ${RANGES.map((r) => html`<option value=${r.key} ?selected=${r.key === range.key}>${r.label}</option>`)}
          </select>
          ${csvLink('/api/v1/jobs/failure-groups', { since, folder: ctx.folder })}</div></div>
      <section class="page-section" aria-labelledby="groups-title">
        <h2 id="groups-title">By error</h2>
        ${notHere ? html`<div class="notice warn" role="status">This server does not group failures yet (GET /api/v1/jobs/failure-groups).
            The <a href="/jobs?state=failed,timed_out">failed jobs</a> are listed under Jobs.</div>`
          : error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
        ${groups === null && !error ? html`<p class="muted">Loading…</p>` : groups ? table({
          caption: `Failures of the ${range.label.toLowerCase()} grouped by error`,
          rows: groups,
          key: (g) => g.signature,
          empty: empty(`No failures in the ${range.label.toLowerCase()}.`, 'Failed and timed-out jobs are grouped here by their error.'),
          columns: [
            { label: 'Error', cell: (g) => html`<strong>${g.error_type}</strong><div class="mono small pattern">${g.message_pattern}</div>
                ${bulk && bulk.signature === g.signature ? batchProgress(bulk) : nothing}` },
            { label: 'Jobs', cls: 'num', cell: (g) => html`<span class="count">${number(g.count)}</span>` },
            { label: 'Workflows', cell: (g) => g.workflows.map((w, i) => html`${i ? ', ' : ''}<a href=${'/workflows/' + encodeURIComponent(w.id)}>${w.name}</a>`) },
            { label: 'First seen', cls: 'nowrap', cell: (g) => ago(g.first_at) },
            { label: 'Last seen', cls: 'nowrap', cell: (g) => ago(g.last_at) },
            { label: 'Actions', cls: 'nowrap', cell: (g) => html`<a class="button" href=${'/jobs?error_signature=' + g.signature}>Jobs</a>
                ${ctx.session.mayAnywhere('job.retry') ? html`<button type="button" data-action="retry-group" @click=${() => retryGroup(g)}>Retry all</button>` : nothing}` },
          ],
        }) : nothing}
      </section>
      ${healthSections(Date.parse(since))}`, host);
  }

  function healthSections(since) {
    if (health === null) return nothing;
    if (health === false) {
      return html`<p class="notice" role="status">Failing streaks per workflow need a server whose workflow list gives their health.</p>`;
    }
    const failing = health.filter((w) => w.health.failing_streak > 0).sort((a, b) => b.health.failing_streak - a.health.failing_streak);
    const recovered = health.filter((w) => w.health.recovered_at && Date.parse(w.health.recovered_at) >= since);
    const name = (w) => html`<a href=${'/workflows/' + encodeURIComponent(w.id)}>${w.name}</a>`;
    return html`<div class="grid">
      <section aria-labelledby="failing-title"><h2 id="failing-title">Workflows failing now</h2>
        ${table({
          caption: 'Workflows whose latest jobs failed',
          rows: failing,
          key: (w) => w.id,
          empty: empty('No workflow is failing.', 'A workflow shows here when its latest finished jobs failed.'),
          columns: [
            { label: 'Workflow', cell: name },
            { label: 'Failures in a row', cls: 'num', cell: (w) => number(w.health.failing_streak) },
            { label: 'Last', cell: (w) => html`${badge(w.health.last_outcome)} ${ago(w.health.last_finished_at)}` },
            { label: 'Last success', cell: (w) => ago(w.health.last_success_at) },
            { label: 'Jobs', cell: (w) => html`<a href=${`/jobs?workflow_id=${encodeURIComponent(w.id)}&state=failed,timed_out`}>failed jobs</a>` },
          ],
        })}
      </section>
      <section aria-labelledby="recovered-title"><h2 id="recovered-title">Recovered</h2>
        ${table({
          caption: `Workflows that recovered in the ${range.label.toLowerCase()}`,
          rows: recovered,
          key: (w) => w.id,
          empty: empty(`No workflow recovered in the ${range.label.toLowerCase()}.`),
          columns: [
            { label: 'Workflow', cell: name },
            { label: 'Recovered', cell: (w) => ago(w.health.recovered_at) },
            { label: 'Last', cell: (w) => badge(w.health.last_outcome) },
          ],
        })}
      </section></div>`;
  }

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
    if (bulk && bulk.stop) bulk.stop();
  };
}

/** The start of a period, from now, as an ISO instant. */
function sinceOf(range) {
  return new Date(Date.now() - range.seconds * 1000).toISOString();
}
