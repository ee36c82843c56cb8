// Overview: the fleet, the queue, jobs per minute by outcome over the last hour, dispatch
// latency, recent failures, the next schedule fires and the instances alive
// (GET /api/v1/overview), re-read when the live feed says something changed.
import { html, render, nothing } from '../lib/vendor.js';
import { loadUPlot } from '../lib/vendor.js';
import { ago, when, badge, empty, number, duration, table } from '../lib/ui.js';

const OUTCOMES = [
  { key: 'succeeded', label: 'Succeeded', color: '#2e9e55' },
  { key: 'failed', label: 'Failed', color: '#d64545' },
  { key: 'timed_out', label: 'Timed out', color: '#d69a2d' },
  { key: 'cancelled', label: 'Cancelled', color: '#8a94a3' },
];
const REFRESH_MS = 2000;

export default function mount(host, ctx) {
  let data = null;
  let error = null;
  let chart = null;
  let timer = null;
  let stopped = false;

  async function load() {
    try {
      data = await ctx.api.get('/api/v1/overview', { folder: ctx.folder });
      error = null;
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }

  // At most one re-read per REFRESH_MS, however many changes arrive.
  const unsubscribe = ctx.feed.subscribe(() => {
    if (!timer) timer = setTimeout(() => { timer = null; load(); }, REFRESH_MS);
  });

  function draw() {
    if (error && !data) {
      render(html`<div class="page-head"><h1>Overview</h1></div><div class="notice bad" role="alert">${error.message}</div>`, host);
      return;
    }
    if (!data) {
      render(html`<div class="page-head"><h1>Overview</h1></div><p class="muted">Loading…</p>`, host);
      return;
    }
    const r = data.robots;
    const q = data.queue;
    const d = data.dispatch_latency || {};
    render(html`
      <div class="page-head"><h1>Overview</h1>
        <div class="actions">${ctx.session.may('job.run') ? html`<a class="button primary" href="/workflows">Run a workflow</a>` : nothing}</div>
      </div>
      ${error ? html`<div class="notice warn" role="status">Showing the last figures: ${error.message}</div>` : nothing}
      <section class="cards" aria-label="Fleet and queue">
        <a class="card" href="/robots?status=online"><div class="label">Robots online</div><div class="value" id="robots-online">${number(r.online)}</div>
          <div class="sub">${number(r.busy)} busy · ${number(r.total)} in all</div></a>
        <a class="card" href="/robots?status=offline"><div class="label">Offline</div><div class="value" id="robots-offline">${number(r.offline)}</div>
          <div class="sub">${number(r.maintenance)} in maintenance</div></a>
        <a class="card" href="/jobs?state=pending"><div class="label">Queue depth</div><div class="value" id="queue-depth">${number(q.pending)}</div>
          <div class="sub">${q.oldest_pending_at ? html`oldest waiting ${duration(q.oldest_pending_age_seconds)}` : 'nothing waiting'}</div></a>
        <div class="card"><div class="label">Dispatch latency (last hour)</div>
          <div class="value">${d.count ? `${Math.round(d.p50_ms)} ms` : '—'}</div>
          <div class="sub">${d.count ? html`p95 ${Math.round(d.p95_ms)} ms · p99 ${Math.round(d.p99_ms)} ms · ${number(d.count)} jobs` : 'no jobs dispatched'}</div></div>
      </section>
      <section class="panel" aria-labelledby="jpm-title">
        <div class="row"><h2 id="jpm-title">Jobs per minute, last hour</h2><span class="spacer"></span>
          <div class="legend-row">${OUTCOMES.map((o) => html`<span><span class="swatch ${o.key}"></span>${o.label}</span>`)}</div></div>
        <div id="jpm" class="chart" role="img" aria-label=${chartSummary(data.jobs_per_minute)}></div>
      </section>
      <div class="grid">
        <section class="panel" aria-labelledby="fail-title">
          <div class="row"><h2 id="fail-title">Recent failures</h2><span class="spacer"></span><a href="/failures">By error</a></div>
          ${data.recent_failures.length ? html`<ul class="plain">${data.recent_failures.map((f) => html`<li class="small">
              <a href=${'/jobs/' + f.job_id}>${f.workflow_name || f.workflow_id}</a> · ${ago(f.finished_at)}
              <div class="muted">${f.error || 'no error message'}</div></li>`)}</ul>`
            : empty('No failures.', 'Failed and timed-out jobs show here.')}
        </section>
        <section class="panel" aria-labelledby="fires-title">
          <div class="row"><h2 id="fires-title">Next schedule fires</h2><span class="spacer"></span><a href="/schedules">Schedules</a></div>
          ${data.next_fires.length ? html`<ul class="plain">${data.next_fires.map((s) => html`<li class="small">
              <a href=${'/schedules/' + s.id}>${s.name}</a> · ${ago(s.next_fire_at)}
              <div class="muted">${when(s.next_fire_at)} · ${s.timezone}</div></li>`)}</ul>`
            : empty('No schedule will fire.', ctx.session.may('schedule.change') ? html`<a href="/schedules">Create a schedule</a>.` : nothing)}
        </section>
      </div>
      <section aria-labelledby="inst-title">
        <h2 id="inst-title">Instances</h2>
        ${table({
          caption: 'Orchestrator instances',
          rows: data.instances,
          columns: [
            { label: 'Instance', cell: (i) => html`<span class="mono">${i.id}</span>` },
            { label: 'Host', cell: (i) => html`${i.host ?? '—'}${i.pid ? html` <span class="muted small">pid ${i.pid}</span>` : nothing}` },
            { label: 'Version', cell: (i) => i.version ?? '—' },
            { label: 'Started', cell: (i) => when(i.started_at) },
            { label: 'Last pulse', cell: (i) => ago(i.last_pulse_at) },
          ],
          empty: empty('No instance has reported.'),
        })}
      </section>`, host);
    drawChart(data.jobs_per_minute);
  }

  async function drawChart(minutes) {
    const el = host.querySelector('#jpm');
    if (!el) return;
    const uPlot = await loadUPlot();
    if (stopped) return;
    const xs = minutes.map((m) => Date.parse(m.minute) / 1000);
    // Stacked bars: each series is the sum of itself and those below it, drawn tallest first.
    const raw = OUTCOMES.map((o) => minutes.map((m) => m[o.key] || 0));
    const stacked = raw.map((_, i) => xs.map((__, j) => raw.slice(i).reduce((s, r) => s + r[j], 0)));
    const series = [{}, ...OUTCOMES.map((o, i) => ({
      label: o.label,
      fill: o.color,
      stroke: o.color,
      width: 0,
      paths: uPlot.paths.bars({ size: [0.8, 40] }),
      value: (u, v, si, di) => (di === null || di === undefined ? '' : String(raw[si - 1][di])),
      points: { show: false },
    }))];
    const width = Math.max(280, el.clientWidth);
    if (chart) chart.destroy();
    el.textContent = '';
    chart = new uPlot({
      width, height: 200, series, legend: { show: false }, cursor: { points: { show: false } },
      axes: [{ stroke: 'currentColor' }, { stroke: 'currentColor', size: 40 }],
      scales: { y: { range: (u, min, max) => [0, Math.max(4, max)] } },
    }, [xs, ...stacked], el);
  }

  function resized() {
    if (chart) {
      const el = host.querySelector('#jpm');
      if (el) chart.setSize({ width: Math.max(280, el.clientWidth), height: 200 });
    }
  }
  window.addEventListener('resize', resized);

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
    clearTimeout(timer);
    window.removeEventListener('resize', resized);
    if (chart) chart.destroy();
  };
}

function chartSummary(minutes) {
  const total = (k) => minutes.reduce((s, m) => s + (m[k] || 0), 0);
  return `Jobs finished per minute over the last hour: ${OUTCOMES.map((o) => `${total(o.key)} ${o.label.toLowerCase()}`).join(', ')}`;
}
