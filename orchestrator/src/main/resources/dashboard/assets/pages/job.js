// One job: its facts, why it is still waiting, its attempts as a timeline, variables (sensitive
// values come masked from the server), result, error, and its logs tailing live while it runs
// (a feed of this job's changes and log batches; each log event reads the lines after the last
// one shown). Cancel and retry for those who may, when the state allows.
import { html, render, nothing } from '../lib/vendor.js';
import { Feed } from '../lib/feed.js';
import { when, badge, empty, toast, confirm, debounce, duration } from '../lib/ui.js';
import { robotLink, jobDuration } from './jobs.js';

const CANCELLABLE = ['pending', 'assigned', 'running'];
const RETRYABLE = ['failed', 'cancelled', 'timed_out'];
const MASK = '***';
const MAX_LINES = 5000;

export default function mount(host, ctx) {
  const id = ctx.params.id;
  const path = `/api/v1/jobs/${encodeURIComponent(id)}`;
  let job = null;
  let workflowName = null;
  let error = null;
  let stopped = false;
  let logs = [];
  let lastSeq = 0;
  let dropped = 0;
  let logError = null;
  let fetching = false;
  let fetchAgain = false;
  let stick = true; // follow the newest line unless the person scrolled up

  async function load() {
    try {
      job = await ctx.api.get(path);
      error = null;
      ctx.setTitle(`Job ${job.id}`);
      if (workflowName === null) {
        workflowName = '';
        ctx.api.get(`/api/v1/workflows/${encodeURIComponent(job.workflow_id)}`)
          .then((w) => { workflowName = w.name; if (!stopped) draw(); }).catch(() => {});
      }
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }

  async function fetchLogs() {
    if (fetching) {
      fetchAgain = true;
      return;
    }
    fetching = true;
    try {
      let cursor = null;
      do {
        const p = await ctx.api.get(`${path}/logs`, { after_seq: lastSeq, limit: 500, cursor });
        // A server without after_seq answers from the start: keep only what is new.
        const fresh = p.items.filter((e) => e.id > lastSeq);
        if (fresh.length) {
          logs = logs.concat(fresh);
          lastSeq = fresh[fresh.length - 1].id;
          if (logs.length > MAX_LINES) {
            dropped += logs.length - MAX_LINES;
            logs = logs.slice(-MAX_LINES);
          }
        }
        cursor = p.next_cursor;
      } while (cursor && !stopped);
      logError = null;
    } catch (err) {
      logError = err;
    } finally {
      fetching = false;
    }
    if (stopped) return;
    draw();
    if (fetchAgain) {
      fetchAgain = false;
      fetchLogs();
    }
  }

  // This job's own feed: its state changes and its log batches, as they happen.
  const feed = new Feed({ kinds: 'job,log', job: id });
  const reload = debounce(load, 250);
  feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.id === id || c.job_id === id)) reload();
    if (batch.reset || batch.logs.some((l) => l.job_id === id && l.seq > lastSeq)) fetchLogs();
  });
  feed.start();

  async function cancel() {
    const running = job.state !== 'pending';
    const ok = await confirm({
      title: `Cancel job ${job.id}?`,
      body: html`<p>${running ? 'Its robot is told to stop it; it ends cancelled when the robot stops or its lease ends.'
        : 'It will not run.'} A cancelled job can be retried later.</p>`,
      confirmLabel: 'Cancel the job', danger: true,
    });
    if (!ok) return;
    try {
      await ctx.api.post(`${path}/cancel`, {});
      toast(running ? 'Cancel asked: the robot is stopping it' : 'Job cancelled', 'ok');
      await load();
      keepFocus();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  async function retry() {
    try {
      await ctx.api.post(`${path}/retry`, {});
      toast('Job pending again: it runs on the next free robot', 'ok');
      await load();
      keepFocus();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  // The button pressed goes once the state changes: the focus moves to the action the new state
  // allows (Retry after Cancel, Cancel after Retry), else to the page, not to the top of the document.
  function keepFocus() {
    if (!stopped && !host.contains(document.activeElement)) (host.querySelector('#job-retry, #job-cancel') || host).focus();
  }

  function draw() {
    const crumbs = html`<div class="crumbs"><a href="/jobs">Jobs</a></div>`;
    if (error && !job) {
      render(html`${crumbs}<div class="page-head"><h1>Job ${id}</h1></div>
        <div class="notice bad" role="alert">${error.status === 404 ? `There is no job ${id} (or you may not see it).` : error.message}</div>`, host);
      return;
    }
    if (!job) {
      render(html`${crumbs}<div class="page-head"><h1>Job ${id}</h1></div><p class="muted">Loading…</p>`, host);
      return;
    }
    const j = job;
    const folder = j.folder ? j.folder.id : 'root';
    const mayCancel = CANCELLABLE.includes(j.state) && !j.stopping && ctx.session.may('job.cancel', folder);
    const mayRetry = RETRYABLE.includes(j.state) && ctx.session.may('job.retry', folder);
    const logsEl = host.querySelector('#job-logs');
    render(html`${crumbs}
      <div class="page-head"><h1>Job <span class="mono">${j.id}</span></h1>
        <span id="job-state">${badge(j.state)}</span>
        ${j.stopping ? html`<span class="badge warn">stopping: will end ${j.stopping.replace('_', ' ')}</span>` : nothing}
        <div class="actions">
          ${mayCancel ? html`<button type="button" class="danger" id="job-cancel" @click=${cancel}>Cancel</button>` : nothing}
          ${mayRetry ? html`<button type="button" class="primary" id="job-retry" @click=${retry}>Retry</button>` : nothing}
        </div></div>
      ${error ? html`<div class="notice warn" role="status">Showing what was last read: ${error.message}</div>` : nothing}
      ${j.state === 'pending' ? html`<div class="notice warn waiting" id="waiting-reason" role="status">
          <strong>Why it is still waiting:</strong> ${j.waiting_reason || 'waiting for a robot'}</div>` : nothing}
      <div class="grid">
        <section class="panel" aria-labelledby="facts"><h2 id="facts">Job</h2>
          <dl class="facts">
            <dt>Workflow</dt><dd><a href=${'/workflows/' + encodeURIComponent(j.workflow_id)}>${workflowName || j.workflow_id}</a>
              · <a href=${`/workflows/${encodeURIComponent(j.workflow_id)}?version=${j.workflow_version}`}>version ${j.workflow_version}</a></dd>
            <dt>Folder</dt><dd>${j.folder ? j.folder.path : '—'}</dd>
            <dt>State</dt><dd>${badge(j.state)}${j.progress !== null && j.progress !== undefined && j.state === 'running'
              ? html` <progress max="100" .value=${j.progress} aria-label="progress"></progress> ${j.progress} %` : nothing}</dd>
            <dt>Priority</dt><dd>${j.priority}</dd>
            <dt>Robot</dt><dd>${robotLink(j.robot_id)}</dd>
            <dt>Created</dt><dd>${when(j.created_at)} <span class="muted small">by ${j.created_by} (${j.source})</span></dd>
            <dt>Started</dt><dd>${when(j.started_at)}</dd>
            <dt>Finished</dt><dd>${when(j.finished_at)}</dd>
            <dt>Duration</dt><dd>${jobDuration(j)}</dd>
            <dt>Attempts</dt><dd>${j.attempt} <span class="muted small">(${j.max_retries} retries allowed)</span></dd>
            ${j.timeout_seconds ? html`<dt>Timeout</dt><dd>${duration(j.timeout_seconds)}</dd>` : nothing}
            <dt>Idempotency key</dt><dd>${j.idempotency_key ? html`<span class="mono">${j.idempotency_key}</span>` : '—'}</dd>
            <dt>Tags</dt><dd>${(j.tags || []).length ? j.tags.map((t) => html`<a class="tag" href=${'/jobs?tag=' + encodeURIComponent(t)}>${t}</a> `) : '—'}</dd>
            ${(j.required_capabilities || []).length ? html`<dt>Needs</dt><dd>${j.required_capabilities.join(', ')}</dd>` : nothing}
            ${j.environment ? html`<dt>Environment</dt><dd>${j.environment}</dd>` : nothing}
          </dl>
        </section>
        <section class="panel" aria-labelledby="attempts"><h2 id="attempts">Attempts</h2>
          ${(j.attempts || []).length ? html`<ol class="timeline" id="job-attempts">${j.attempts.map(attempt)}</ol>`
            : empty('No attempt yet.', j.state === 'pending' ? 'It starts when a robot takes it.' : nothing)}
        </section>
      </div>
      ${j.error ? html`<section class="panel" aria-labelledby="error-title"><h2 id="error-title">Error</h2>
          <p><strong>${j.error.type || 'error'}</strong></p><pre id="job-error" tabindex="0">${j.error.message || ''}</pre></section>` : nothing}
      <div class="grid">
        <section class="panel" aria-labelledby="vars-title"><h2 id="vars-title">Variables</h2>${variables(j.variables)}</section>
        <section class="panel" aria-labelledby="result-title"><h2 id="result-title">Result</h2>
          ${j.result === null || j.result === undefined ? html`<p class="muted">${j.state === 'succeeded' ? 'It returned nothing.' : 'None until it succeeds.'}</p>`
            : html`<pre id="job-result" tabindex="0">${JSON.stringify(j.result, null, 2)}</pre>`}</section>
      </div>
      <section class="panel" aria-labelledby="logs-title">
        <div class="row"><h2 id="logs-title">Logs</h2><span class="spacer"></span>
          <span class="muted small">${logs.length} ${logs.length === 1 ? 'line' : 'lines'}${['assigned', 'running'].includes(j.state) ? ' · following live' : ''}</span></div>
        ${logError ? html`<div class="notice bad" role="alert">${logError.message}</div>` : nothing}
        ${logs.length ? html`<div class="logs" id="job-logs" tabindex="0" role="log" aria-label="Log lines of the job"
            @scroll=${(e) => { stick = atBottom(e.target); }}>
            ${dropped ? html`<div class="muted">${dropped} older lines not shown</div>` : nothing}
            ${logs.map((l) => html`<div class=${'lvl-' + l.level}><span class="muted">${time(l.logged_at)}</span> <span class="lvl">${l.level}</span>${l.node_id ? html` <span class="muted">[${l.node_id}]</span>` : nothing} ${l.message}${j.attempts && j.attempts.length > 1 ? html` <span class="muted small">(attempt ${l.attempt})</span>` : nothing}</div>`)}
          </div>` : empty('No log lines yet.', ['pending', 'assigned', 'running'].includes(j.state) ? 'They appear here as the robot sends them.' : nothing)}
      </section>`, host);
    const el = host.querySelector('#job-logs');
    if (el && (stick || !logsEl)) el.scrollTop = el.scrollHeight;
  }

  function attempt(a) {
    return html`<li class=${'attempt outcome-' + (a.outcome || 'open')}>
      <div><strong>Attempt ${a.attempt}</strong> ${a.outcome ? badge(a.outcome) : badge('running')} on ${robotLink(a.robot_id)}</div>
      <div class="small muted">assigned ${when(a.assigned_at, { short: true })} · started ${when(a.started_at, { short: true })}
        · ended ${when(a.ended_at, { short: true })}${a.started_at && a.ended_at
          ? ` · ${duration((Date.parse(a.ended_at) - Date.parse(a.started_at)) / 1000)}` : ''}</div>
      ${a.error ? html`<div class="small error">${a.error.type ? html`<strong>${a.error.type}</strong>: ` : nothing}${firstLine(a.error.message)}</div>` : nothing}
    </li>`;
  }

  draw();
  load();
  fetchLogs();
  return () => {
    stopped = true;
    feed.stop();
  };
}

function variables(vars) {
  const entries = vars && typeof vars === 'object' ? Object.entries(vars) : [];
  if (!entries.length) return html`<p class="muted">No input variables.</p>`;
  return html`<dl class="facts" id="job-variables">${entries.map(([k, v]) => html`<dt class="mono">${k}</dt><dd>${v === MASK
    ? html`<span class="masked" title="A sensitive value: hidden for every role">hidden</span>`
    : html`<span class="mono">${typeof v === 'string' ? v : JSON.stringify(v)}</span>`}</dd>`)}</dl>`;
}

function firstLine(message) {
  return (message || '').split('\n').find((l) => l.trim()) || '';
}

function atBottom(el) {
  return el.scrollHeight - el.scrollTop - el.clientHeight < 24;
}

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });
function time(iso) {
  const d = new Date(iso);
  return html`<time datetime=${d.toISOString()} title=${d.toISOString() + ' (UTC)'}>${clock.format(d)}</time>`;
}
