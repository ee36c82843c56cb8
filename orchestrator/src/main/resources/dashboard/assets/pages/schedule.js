// One schedule: what it runs and when (the next fires in its zone, with the UTC offset), enable
// and disable, trigger now, edit (with the live cron preview), delete, and its history: each
// fire's planned and actual time, the lag between them, and the job it started (or why none).
import { html, render, nothing } from '../lib/vendor.js';
import { when, badge, empty, table, toast, deleteConfirmed, debounce, fireTimes, duration } from '../lib/ui.js';
import { scheduleForm, scheduleState, enabledToggle, triggerNow, workflowNames } from './schedules.js';

export default function mount(host, ctx) {
  const id = ctx.params.id;
  let s = null;
  let next = [];
  let history = [];
  let names = new Map();
  let error = null;
  let stopped = false;
  let form = null; // the edit form's state while editing

  async function load() {
    try {
      s = await ctx.api.get(`/api/v1/schedules/${encodeURIComponent(id)}`);
      ctx.setTitle(`Schedule ${s.name}`);
      error = null;
      const [n, h, wf] = await Promise.allSettled([
        s.enabled ? ctx.api.get(`/api/v1/schedules/${encodeURIComponent(s.id)}/next`, { count: 10 }) : Promise.resolve({ items: [] }),
        ctx.api.get(`/api/v1/schedules/${encodeURIComponent(s.id)}/history`, { limit: 50 }),
        names.size ? Promise.resolve(names) : workflowNames(ctx),
      ]);
      next = n.status === 'fulfilled' ? n.value.items : (s.next_fire_times || []);
      history = h.status === 'fulfilled' ? h.value.items : [];
      if (wf.status === 'fulfilled') names = wf.value;
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }
  const reload = debounce(load, 700);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.kind === 'schedule' && c.id === s?.id)) reload();
  });

  async function setEnabled(_, enabled) {
    try {
      s = await ctx.api.post(`/api/v1/schedules/${encodeURIComponent(s.id)}/${enabled ? 'enable' : 'disable'}`);
      toast(`${s.name} ${enabled ? 'enabled' : 'disabled'}`, 'ok');
    } catch (err) {
      toast(err.message, 'bad');
    }
    load();
  }

  async function remove() {
    if (await deleteConfirmed(ctx.api, {
      title: `Delete schedule ${s.name}?`,
      body: html`<p>Its history goes with it; the jobs it started stay.</p>`,
      path: `/api/v1/schedules/${encodeURIComponent(s.id)}`,
      done: `${s.name} deleted`,
    })) ctx.navigate('/schedules');
  }

  function edit(open) {
    if (form) clearTimeout(form.previewTimer);
    form = open ? scheduleState(s) : null;
    draw();
    host.querySelector(open ? '#schedule-cron' : '#edit-schedule')?.focus();
  }

  function draw() {
    if (stopped) return;
    if (error && !s) {
      render(html`<div class="crumbs"><a href="/schedules">Schedules</a></div>
        <div class="notice bad" role="alert">${error.status === 404 ? `There is no schedule ${id} (or you may not see it).` : error.message}</div>`, host);
      return;
    }
    if (!s) {
      render(html`<div class="crumbs"><a href="/schedules">Schedules</a></div><p class="muted">Loading…</p>`, host);
      return;
    }
    const may = ctx.session.may('schedule.change', (s.folder && s.folder.id) || 'root');
    const job = s.job || {};
    render(html`
      <div class="crumbs"><a href="/schedules">Schedules</a></div>
      <div class="page-head"><h1>${s.name}</h1> ${badge(s.enabled ? 'enabled' : 'disabled')}
        ${may ? html`<div class="actions">
          ${enabledToggle(ctx, s, setEnabled)}
          <button type="button" data-action="trigger" @click=${() => triggerNow(ctx, s, load)}>Trigger now</button>
          ${form ? nothing : html`<button type="button" id="edit-schedule" @click=${() => edit(true)}>Edit</button>`}
          <button type="button" class="danger" @click=${remove}>Delete</button>
        </div>` : nothing}</div>
      ${error ? html`<div class="notice warn" role="status">Showing what was read before: ${error.message}</div>` : nothing}
      ${form ? html`<section class="panel" aria-labelledby="edit-title"><h2 id="edit-title">Edit</h2>
          ${scheduleForm(ctx, form, draw, { names, onSaved: (saved) => { s = saved; edit(false); load(); }, onCancel: () => edit(false) })}</section>` : nothing}
      <div class="grid">
        <section class="panel" aria-labelledby="facts"><h2 id="facts">Schedule</h2>
          <dl class="facts">
            <dt>Workflow</dt><dd><a href=${'/workflows/' + encodeURIComponent(s.workflow_id)}>${names.get(s.workflow_id) || s.workflow_id}</a></dd>
            <dt>Cron</dt><dd><code>${s.cron}</code></dd>
            <dt>Time zone</dt><dd>${s.timezone}</dd>
            <dt>Missed fires</dt><dd>${s.misfire_policy}${s.misfire_policy === 'fire_all' ? ` (at most ${s.misfire_limit})` : ''}</dd>
            <dt>Overlap</dt><dd>${s.overlap_policy}</dd>
            <dt>Folder</dt><dd>${s.folder ? s.folder.path : '—'}</dd>
            <dt>Job</dt><dd>${job.priority !== undefined ? `priority ${job.priority}` : ''}${job.version ? ` · version ${job.version}` : ''}
              ${job.variables && Object.keys(job.variables).length ? html`<pre class="small" tabindex="0">${JSON.stringify(job.variables, null, 2)}</pre>` : html`<span class="muted">no variables</span>`}</dd>
            <dt>Last fire</dt><dd>${s.last_job_id ? html`<a href=${'/jobs/' + encodeURIComponent(s.last_job_id)}>${s.last_job_id}</a>` : '—'}</dd>
            <dt>Created</dt><dd>${when(s.created_at)} by ${s.created_by || '—'}</dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="next-title"><h2 id="next-title">Next fires (${s.timezone})</h2>
          ${s.enabled ? fireTimes(next) : empty('Disabled: it does not fire.', may ? 'Enable it to plan its next fire from now.' : nothing)}
        </section>
      </div>
      <section aria-labelledby="history-title"><h2 id="history-title">History</h2>
        ${table({
          caption: 'The latest fires of this schedule, newest first',
          rows: history,
          empty: empty('It has not fired yet.', may ? 'Trigger it now to try it.' : nothing),
          columns: [
            { label: 'Planned', cell: (f) => when(f.scheduled_at) },
            { label: 'Fired', cell: (f) => when(f.fired_at) },
            { label: 'Lag', cls: 'num', cell: (f) => lag(f.lag_ms) },
            { label: 'Kind', cell: (f) => f.kind },
            { label: 'Outcome', cell: (f) => html`<span class="badge ${f.outcome === 'started' ? 'ok' : 'warn'}">${f.outcome}</span>` },
            // A started fire with a reason made a job that waits for max_concurrent_schedules.
            { label: 'Job', cell: (f) => (f.job_id ? html`<a class="mono" href=${'/jobs/' + encodeURIComponent(f.job_id)}>${f.job_id}</a>${f.reason ? html`<div class="small">${f.reason}</div>` : ''}` : html`<span class="small">${f.reason || '—'}</span>`) },
          ],
        })}
      </section>`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    if (form) clearTimeout(form.previewTimer);
    unsubscribe();
  };
}

function lag(ms) {
  if (ms === null || ms === undefined) return '—';
  return ms < 1000 ? `${ms} ms` : duration(ms / 1000);
}
