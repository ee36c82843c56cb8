// Stuck jobs: running jobs that have shown no sign of life (start, progress, lease extension,
// log line) for a chosen quiet time, quietest first, with their robot's last heartbeat; cancel.
// Re-read when the feed says jobs or robots changed, and with the Refresh button (no polling:
// a job turns stuck by staying quiet, which no event says).
import { html, render, nothing } from '../lib/vendor.js';
import { ago, badge, empty, table, toast, confirm, debounce, duration } from '../lib/ui.js';
import { workflowNames } from './jobs.js';

const CHOICES = [
  { seconds: 60, label: '1 minute' },
  { seconds: 300, label: '5 minutes' },
  { seconds: 900, label: '15 minutes' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 6 * 3600, label: '6 hours' },
];

export default function mount(host, ctx) {
  const QUIET = [...CHOICES];
  // A quiet time of the URL that the list lacks (a link of a script, say) is kept as a choice.
  const asked = Number.parseInt(ctx.query.quiet_seconds, 10);
  if (asked > 0 && asked <= 604800 && !QUIET.some((x) => x.seconds === asked)) {
    QUIET.unshift({ seconds: asked, label: `${asked} ${asked === 1 ? 'second' : 'seconds'}` });
  }
  let quiet = QUIET.find((x) => x.seconds === asked) || QUIET.find((x) => x.seconds === 300);
  let items = null;
  let error = null;
  let readAt = null;
  let names = new Map();
  let stopped = false;

  async function load() {
    try {
      items = (await ctx.api.get('/api/v1/jobs/stuck', { quiet_seconds: quiet.seconds, folder: ctx.folder })).items;
      readAt = new Date().toISOString();
      error = null;
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }
  const reload = debounce(load, 1000);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.kind === 'job' || c.kind === 'robot')) reload();
  });

  function setQuiet(seconds) {
    quiet = QUIET.find((x) => String(x.seconds) === seconds) || quiet;
    ctx.setQuery({ quiet_seconds: quiet.seconds, folder: ctx.folder });
    load();
  }

  async function cancel(j) {
    const ok = await confirm({
      title: `Cancel job ${j.id}?`,
      body: html`<p>Its robot is told to stop it; it ends cancelled when the robot stops or its lease ends.</p>`,
      confirmLabel: 'Cancel the job', danger: true,
    });
    if (!ok) return;
    try {
      await ctx.api.post(`/api/v1/jobs/${encodeURIComponent(j.id)}/cancel`, {});
      toast(`Cancel asked for ${j.id}`, 'ok');
      load();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  function draw() {
    const notHere = error && (error.status === 404 || error.status === 405);
    render(html`
      <div class="page-head"><h1>Stuck jobs</h1>
        <div class="actions">
          <label class="inline" for="stuck-quiet">Quiet for at least</label>
          <select id="stuck-quiet" @change=${(e) => setQuiet(e.target.value)}>
            ${QUIET.map((x) => html`<option value=${x.seconds} ?selected=${x === quiet}>${x.label}</option>`)}
          </select>
          <button type="button" id="stuck-refresh" @click=${load}>Refresh</button>
        </div></div>
      <p class="muted small">Running jobs with no start, progress report, lease extension or log line for ${quiet.label}.
        ${readAt ? html`Read ${ago(readAt)}.` : nothing}</p>
      ${notHere ? html`<div class="notice warn" role="status">This server does not list stuck jobs yet (GET /api/v1/jobs/stuck).
          The <a href="/jobs?state=running">running jobs</a> are listed under Jobs.</div>`
        : error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      ${items === null && !error ? html`<p class="muted">Loading…</p>` : items ? table({
        caption: 'Running jobs without a sign of life',
        rows: items,
        key: (j) => j.id,
        empty: empty(`No running job has been quiet for ${quiet.label}.`, 'Choose a shorter quiet time to see more.'),
        columns: [
          { label: 'Job', cell: (j) => html`<a class="mono small" href=${'/jobs/' + encodeURIComponent(j.id)}>${j.id}</a>` },
          { label: 'Workflow', cell: (j) => html`<a href=${'/workflows/' + encodeURIComponent(j.workflow_id)}>${j.workflow_name || names.get(j.workflow_id) || j.workflow_id}</a>` },
          { label: 'Robot', cell: (j) => html`<a href=${'/robots/' + encodeURIComponent(j.robot_id)}>${j.robot_id}</a>
              ${j.robot_status ? badge(j.robot_status) : nothing}${j.robot_silent ? html` <span class="badge bad">silent</span>` : nothing}
              <div class="muted small">heartbeat ${ago(j.robot_last_heartbeat)}</div>` },
          { label: 'Started', cls: 'nowrap', cell: (j) => ago(j.started_at) },
          { label: 'Last sign of life', cls: 'nowrap', cell: (j) => ago(j.last_progress_at) },
          { label: 'Quiet for', cls: 'nowrap num', cell: (j) => duration(j.quiet_seconds) },
          { label: 'Progress', cls: 'num', cell: (j) => (j.progress === null || j.progress === undefined ? '—' : `${j.progress} %`) },
          { label: 'Actions', cell: (j) => (ctx.session.may('job.cancel', j.folder ? j.folder.id : 'root')
            ? html`<button type="button" class="danger" data-action="cancel" @click=${() => cancel(j)}>Cancel</button>` : nothing) },
        ],
      }) : nothing}`, host);
  }

  draw();
  load();
  workflowNames(ctx).then((w) => { names = w.names; if (!stopped && items) draw(); });
  return () => {
    stopped = true;
    unsubscribe();
  };
}
