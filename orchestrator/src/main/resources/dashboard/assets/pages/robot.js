// One robot: what it is and offers, its slots and current jobs, cpu and memory over the last
// hour, its recent jobs; maintenance and delete.
import { html, render, nothing } from '../lib/vendor.js';
import { ago, when, badge, empty, table, toast, confirm, sparkline, debounce } from '../lib/ui.js';
import { slots, currentJobs, lost, statusBadge, everySecondWhile } from './robots.js';

export default function mount(host, ctx) {
  const id = ctx.params.id;
  let robot = null;
  let samples = [];
  let jobs = [];
  let error = null;
  let stopped = false;
  const ticker = everySecondWhile(() => robot !== null && lost(robot), () => draw());

  async function load() {
    try {
      robot = await ctx.api.get(`/api/v1/robots/${encodeURIComponent(id)}`);
      ctx.setTitle(`Robot ${robot.name}`);
      error = null;
      const [s, j] = await Promise.allSettled([
        ctx.api.get(`/api/v1/robots/${encodeURIComponent(id)}/samples`, { minutes: 60 }),
        ctx.api.get('/api/v1/jobs', { robot_id: id, limit: 20 }),
      ]);
      samples = s.status === 'fulfilled' ? (s.value.items || s.value) : [];
      jobs = j.status === 'fulfilled' ? j.value.items : [];
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
    if (batch.reset || batch.changes.some((c) => (c.kind === 'robot' && c.id === id) || c.kind === 'job')) reload();
  });

  async function maintenance(enabled) {
    try {
      await ctx.api.post(`/api/v1/robots/${encodeURIComponent(id)}/maintenance`, { enabled });
      toast(`Maintenance ${enabled ? 'on' : 'off'}`, 'ok');
      load();
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  async function remove() {
    if (!await confirm({ title: `Delete robot ${robot.name}?`, body: html`<p>Its record and folder assignments go.</p>`, confirmLabel: 'Delete', danger: true })) return;
    try {
      await ctx.api.del(`/api/v1/robots/${encodeURIComponent(id)}`);
      toast(`${robot.name} deleted`, 'ok');
      ctx.navigate('/robots');
    } catch (err) {
      toast(err.message, 'bad');
    }
  }

  function draw() {
    if (error && !robot) {
      render(html`<div class="crumbs"><a href="/robots">Robots</a></div>
        <div class="notice bad" role="alert">${error.status === 404 ? `There is no robot ${id} (or you may not see it).` : error.message}</div>`, host);
      return;
    }
    if (!robot) {
      render(html`<div class="crumbs"><a href="/robots">Robots</a></div><p class="muted">Loading…</p>`, host);
      return;
    }
    const r = robot;
    const folder = (r.folders && r.folders[0] && r.folders[0].id) || 'root';
    render(html`
      <div class="crumbs"><a href="/robots">Robots</a></div>
      <div class="page-head"><h1>${r.name}</h1> ${statusBadge(r)}
        <div class="actions">
          ${ctx.session.may('robot.maintain', folder) ? html`<button type="button" data-action="maintenance" @click=${() => maintenance(!r.maintenance)}>
            ${r.maintenance ? 'End maintenance' : 'Maintenance'}</button>` : nothing}
          ${ctx.session.may('robot.manage', 'root') ? html`<button type="button" class="danger" @click=${remove}>Delete</button>` : nothing}
        </div></div>
      <div class="grid">
        <section class="panel" aria-labelledby="facts"><h2 id="facts">Robot</h2>
          <dl class="facts">
            <dt>Id</dt><dd class="mono">${r.id}</dd>
            <dt>Host</dt><dd>${r.hostname || '—'}</dd>
            <dt>Slots</dt><dd>${slots(r)}</dd>
            <dt>Last heartbeat</dt><dd>${ago(r.last_heartbeat)}</dd>
            <dt>Connected to</dt><dd>${r.instance ? html`<span class="mono">${r.instance}</span>` : lost(r) ? 'connection lost' : '—'} (${r.protocol})</dd>
            <dt>Agent</dt><dd>${r.agent_version || '—'}</dd>
            <dt>Registered</dt><dd>${when(r.registered_at)}</dd>
            <dt>Folders</dt><dd>${(r.folders || []).map((f) => f.path).join(', ') || '—'}</dd>
            <dt>Environment</dt><dd>${r.environment || '—'}</dd>
          </dl>
        </section>
        <section class="panel" aria-labelledby="usage"><h2 id="usage">CPU and memory, last hour</h2>
          <dl class="facts">
            <dt>CPU</dt><dd>${sparkline(samples.map((s) => s.cpu_percent))} ${pct(r.cpu_percent)}</dd>
            <dt>Memory</dt><dd>${sparkline(samples.map((s) => s.memory_percent), { cls: 'mem' })} ${pct(r.memory_percent)}${r.memory_mb ? ` · ${Math.round(r.memory_mb)} MB` : ''}</dd>
          </dl>
          <h3>Current jobs</h3>${currentJobs(r)}
        </section>
      </div>
      <section class="panel" aria-labelledby="offers"><h2 id="offers">What it offers</h2>
        <p><strong>Capabilities:</strong> ${(r.capabilities || []).join(', ') || 'none'} · <strong>Tags:</strong> ${(r.tags || []).join(', ') || 'none'}</p>
        ${r.node_types ? html`<details><summary>${r.node_types.length} node types</summary><p class="small mono">${r.node_types.join(' · ')}</p></details>` : nothing}
      </section>
      <section aria-labelledby="recent"><h2 id="recent">Recent jobs</h2>
        ${table({
          caption: 'Recent jobs of this robot',
          rows: jobs,
          empty: empty('This robot has run no job yet.'),
          columns: [
            { label: 'Job', cell: (j) => html`<a class="mono" href=${'/jobs/' + j.id}>${j.id}</a>` },
            { label: 'Workflow', cell: (j) => j.workflow_name || j.workflow_id },
            { label: 'State', cell: (j) => badge(j.state) },
            { label: 'Created', cell: (j) => ago(j.created_at) },
          ],
        })}
      </section>`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    ticker.stop();
    unsubscribe();
  };
}

const pct = (v) => (v === null || v === undefined ? '—' : `${Math.round(v)} %`);
