// One workflow: its versions, a version's graph (SVG, drawn from its nodes and connections, with
// a text alternative), run now with variables (POST /api/v1/jobs) and deploy a new version.
import { html, svg, render, nothing } from '../lib/vendor.js';
import { ago, when, empty, table, toast, debounce, fieldError, formError, invalid, parseJsonObject, number } from '../lib/ui.js';
import { health, jobs24h, deployForm, deployState } from './workflows.js';

export default function mount(host, ctx) {
  const id = ctx.params.id;
  let workflow = null;
  let versions = [];
  let shown = null; // the version whose graph is drawn, with workflow_data
  let error = null;
  let stopped = false;
  let selected = null; // a node picked in the graph
  const run = { text: null, check: { value: {} }, version: '', error: null, busy: false };
  const deploy = deployState();
  const wanted = () => Number(new URLSearchParams(location.search).get('version')) || null;

  async function load({ graph = true } = {}) {
    try {
      workflow = await ctx.api.get(`/api/v1/workflows/${encodeURIComponent(id)}`);
      ctx.setTitle(`Workflow ${workflow.name}`);
      versions = (await ctx.api.get(`/api/v1/workflows/${encodeURIComponent(id)}/versions`)).items.slice().sort((a, b) => b.version - a.version);
      error = null;
      if (graph || !shown) await showVersion(wanted() || workflow.latest_version, { quiet: true });
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }

  async function showVersion(version, { quiet = false } = {}) {
    try {
      shown = version === workflow.version && workflow.workflow_data
        ? { version, workflow_data: workflow.workflow_data }
        : await ctx.api.get(`/api/v1/workflows/${encodeURIComponent(workflow.id)}/versions/${version}`);
      selected = null;
      if (run.text === null || !run.touched) {
        run.text = JSON.stringify(declaredVariables(shown.workflow_data), null, 2);
        run.check = parseJsonObject(run.text);
      }
      run.version = String(version);
    } catch (err) {
      if (!quiet) toast(err.message, 'bad');
      else throw err;
    }
    if (!quiet && !stopped) {
      ctx.setQuery({ version: version === workflow.latest_version ? '' : version, folder: ctx.folder });
      draw();
    }
  }

  // Its health and jobs of the last 24 h change as jobs end; the graph stays as it is.
  const reload = debounce(() => load({ graph: false }), 2000);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.kind === 'job' && ['succeeded', 'failed', 'timed_out'].includes(c.to))) reload();
  });

  const checkVariables = debounce(() => {
    run.check = parseJsonObject(run.text);
    draw();
  }, 150);

  async function submitRun(e) {
    e.preventDefault();
    run.check = parseJsonObject(run.text);
    if (run.check.error) {
      run.error = null;
      draw();
      host.querySelector('#run-variables').focus();
      return; // refused before sending
    }
    run.busy = true;
    run.error = null;
    draw();
    try {
      const job = await ctx.api.post('/api/v1/jobs', { workflow_id: workflow.id, version: Number(run.version), variables: run.check.value });
      toast(`Job ${job.id} submitted`, 'ok');
      run.busy = false;
      run.lastJob = job.id;
      ctx.navigate('/jobs/' + encodeURIComponent(job.id));
      return;
    } catch (err) {
      run.error = err;
    }
    run.busy = false;
    if (!stopped) draw();
  }

  function draw() {
    if (stopped) return;
    if (error && !workflow) {
      render(html`<div class="crumbs"><a href="/workflows">Workflows</a></div>
        <div class="notice bad" role="alert">${error.status === 404 ? `There is no workflow ${id} (or you may not see it).` : error.message}</div>`, host);
      return;
    }
    if (!workflow) {
      render(html`<div class="crumbs"><a href="/workflows">Workflows</a></div><p class="muted">Loading…</p>`, host);
      return;
    }
    const w = workflow;
    const folder = (w.folder && w.folder.id) || 'root';
    const mayRun = ctx.session.may('job.run', folder);
    const mayDeploy = ctx.session.may('workflow.deploy', folder);
    render(html`
      <div class="crumbs"><a href="/workflows">Workflows</a></div>
      <div class="page-head"><h1>${w.name}</h1> <span class="badge info">v${w.latest_version}</span>
        <div class="actions">
          ${mayRun ? html`<a class="button primary" href="#run">Run now</a>` : nothing}
          ${mayDeploy ? html`<a class="button" href="#deploy">Deploy a new version</a>` : nothing}
        </div></div>
      ${error ? html`<div class="notice warn" role="status">Showing what was read before: ${error.message}</div>` : nothing}
      <div class="grid">
        <section class="panel" aria-labelledby="facts"><h2 id="facts">Workflow</h2>
          <dl class="facts">
            <dt>Id</dt><dd class="mono">${w.id}</dd>
            <dt>Folder</dt><dd>${w.folder ? w.folder.path : '—'}</dd>
            <dt>Description</dt><dd>${w.description || '—'}</dd>
            <dt>Tags</dt><dd>${(w.tags || []).join(', ') || '—'}</dd>
            <dt>Created</dt><dd>${when(w.created_at)} by ${w.created_by || '—'}</dd>
            <dt>Updated</dt><dd>${ago(w.updated_at)}</dd>
            ${w.health !== undefined ? html`<dt>Health</dt><dd>${health(w.health)}</dd><dt>Jobs, 24 h</dt><dd>${jobs24h(w.jobs_24h)}</dd>` : nothing}
            <dt>Jobs</dt><dd><a href=${'/jobs?workflow_id=' + encodeURIComponent(w.id)}>This workflow's jobs</a></dd>
          </dl>
        </section>
        <section aria-labelledby="versions-title"><h2 id="versions-title">Versions</h2>
          ${table({
            caption: 'Versions of this workflow, newest first',
            rows: versions,
            key: (v) => v.version,
            empty: empty('No version.'),
            columns: [
              { label: 'Version', cell: (v) => (shown && v.version === shown.version
                ? html`<strong aria-current="true">v${v.version} (shown)</strong>`
                : html`<button type="button" class="link" data-version=${v.version} @click=${() => showVersion(v.version)}>v${v.version}</button>`) },
              { label: 'Nodes', cls: 'num', cell: (v) => number(v.node_count) },
              { label: 'Deployed', cell: (v) => when(v.created_at) },
              { label: 'By', cell: (v) => html`<span class="small">${v.created_by || '—'}</span>` },
            ],
          })}
        </section>
      </div>
      ${shown ? graphSection(shown, selected, (n) => { selected = n; draw(); }) : nothing}
      ${mayRun ? runSection(w) : nothing}
      ${mayDeploy ? html`<section class="panel" id="deploy" aria-labelledby="deploy-title"><h2 id="deploy-title">Deploy a new version</h2>
          ${deployForm(ctx, deploy, draw, { fixed: w, onDeployed: () => { run.touched = false; ctx.setQuery({ folder: ctx.folder }); load(); } })}</section>` : nothing}`, host);
  }

  function runSection(w) {
    const c = run.check;
    const serverError = run.error && run.error.field === 'variables' ? run.error : null;
    return html`<section class="panel" id="run" aria-labelledby="run-title"><h2 id="run-title">Run now</h2>
      <form @submit=${submitRun} novalidate>
        <div class="field"><label for="run-version">Version</label>
          <select id="run-version" @change=${(e) => { run.version = e.target.value; }} aria-invalid=${invalid(run.error, 'version')}>
            ${versions.map((v) => html`<option value=${v.version} ?selected=${String(v.version) === run.version}>v${v.version}${v.version === w.latest_version ? ' (latest)' : ''}</option>`)}
          </select>${fieldError(run.error, 'version')}</div>
        <div class="field"><label for="run-variables">Variables (JSON)</label>
          <textarea id="run-variables" spellcheck="false" rows="8" .value=${run.text ?? '{}'}
            aria-invalid=${c.error || serverError ? 'true' : 'false'} aria-describedby="run-variables-hint"
            @input=${(e) => { run.text = e.target.value; run.touched = true; run.error = null; checkVariables(); }}></textarea>
          <div class="hint" id="run-variables-hint">An object of name to value. ${declaredHint(shown && shown.workflow_data)}</div>
          ${c.error ? html`<div class="error" id="err-variables-json" role="alert">Not valid JSON yet: ${c.error}</div>` : nothing}
          ${fieldError(run.error, 'variables')}
        </div>
        ${formError(run.error, ['variables', 'version'])}
        <button type="submit" class="primary" ?disabled=${run.busy}>${run.busy ? 'Submitting…' : 'Run now'}</button>
      </form></section>`;
  }

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
  };
}

/** The variables a workflow declares, with their defaults; sensitive ones (shown as ***) are left out. */
export function declaredVariables(data) {
  const out = {};
  const vars = data && data.variables;
  if (!vars || typeof vars !== 'object' || Array.isArray(vars)) return out;
  for (const [name, v] of Object.entries(vars)) {
    const declared = v !== null && typeof v === 'object' && !Array.isArray(v) && ('default_value' in v || 'type' in v || 'sensitive' in v);
    const value = declared ? (v.default_value ?? v.value ?? null) : v;
    if (value === '***' || (declared && v.sensitive)) continue;
    out[name] = value;
  }
  return out;
}

function declaredHint(data) {
  const vars = (data && data.variables) || {};
  const names = Object.keys(vars);
  if (!names.length) return 'This version declares no variables.';
  const hidden = names.filter((n) => !(n in declaredVariables(data)));
  return html`Prefilled with the defaults this version declares (${names.join(', ')}).${hidden.length
    ? ` ${hidden.join(', ')} ${hidden.length === 1 ? 'is' : 'are'} sensitive: left out, so the workflow's own value is used unless you add it.` : ''}`;
}

// ---- The graph ----

const CONTROL_PORTS = new Set(['true', 'false', 'body', 'completed', 'try_body', 'catch_body', 'finally_body', 'default']);

/** Execution flow or data, as the server decides it (domain/ExecutionFlow.java). */
export function isExecPort(port) {
  const p = String(port || '').toLowerCase();
  return p.startsWith('exec') || p.startsWith('case_') || CONTROL_PORTS.has(p);
}
export const isExecWire = (c) => isExecPort(c.source_port) || isExecPort(c.target_port);

const W = 176;
const H = 50;
const MARGIN = 24;

/**
 * Where each node goes: the designer's positions when every node has one (`position: [x, y]`,
 * or a snippet's `node_positions: {id: {x, y}}`), scaled; else layers by the execution flow
 * (a node one layer right of the furthest node wired into it), in file order within a layer.
 */
export function layout(data) {
  const nodes = Object.entries(data.nodes || {}).map(([key, n]) => ({ id: key, node: n || {} }));
  const wires = (data.connections || []).filter((c) => c && data.nodes[c.source_node] && data.nodes[c.target_node]);
  const pos = (n) => {
    const p = n.node.position;
    if (Array.isArray(p) && p.length >= 2 && Number.isFinite(+p[0]) && Number.isFinite(+p[1])) return [+p[0], +p[1]];
    const q = data.node_positions && data.node_positions[n.id];
    if (q && Number.isFinite(+q.x) && Number.isFinite(+q.y)) return [+q.x, +q.y];
    return null;
  };
  const given = nodes.map(pos);
  let at;
  if (nodes.length && given.every(Boolean)) {
    const minX = Math.min(...given.map((p) => p[0]));
    const minY = Math.min(...given.map((p) => p[1]));
    // One scale for both axes (the designer's picture keeps its shape), the smallest that
    // keeps any two boxes apart along at least one axis, within 0.5 to 1.5.
    let scale = 0.5;
    for (let i = 0; i < given.length && scale < 1.5; i++) {
      for (let j = i + 1; j < given.length; j++) {
        const dx = Math.abs(given[i][0] - given[j][0]);
        const dy = Math.abs(given[i][1] - given[j][1]);
        scale = Math.max(scale, Math.min(dx ? (W + 24) / dx : Infinity, dy ? (H + 20) / dy : Infinity));
      }
    }
    scale = Math.min(scale, 1.5);
    at = new Map(nodes.map((n, i) => [n.id, { x: MARGIN + (given[i][0] - minX) * scale, y: MARGIN + (given[i][1] - minY) * scale }]));
  } else {
    const layer = new Map(nodes.map((n) => [n.id, 0]));
    const into = new Map(nodes.map((n) => [n.id, 0]));
    const out = new Map(nodes.map((n) => [n.id, []]));
    for (const c of wires.filter(isExecWire)) {
      out.get(c.source_node).push(c.target_node);
      into.set(c.target_node, into.get(c.target_node) + 1);
    }
    const queue = nodes.filter((n) => into.get(n.id) === 0).map((n) => n.id);
    while (queue.length) {
      const from = queue.shift();
      for (const to of out.get(from)) {
        layer.set(to, Math.max(layer.get(to), layer.get(from) + 1));
        into.set(to, into.get(to) - 1);
        if (into.get(to) === 0) queue.push(to);
      }
    }
    const rows = new Map();
    at = new Map(nodes.map((n) => {
      const l = layer.get(n.id);
      const r = rows.get(l) || 0;
      rows.set(l, r + 1);
      return [n.id, { x: MARGIN + l * (W + 60), y: MARGIN + r * (H + 36) }];
    }));
  }
  const width = Math.max(...[...at.values()].map((p) => p.x), 0) + W + MARGIN;
  const height = Math.max(...[...at.values()].map((p) => p.y), 0) + H + MARGIN;
  return { nodes, wires, at, width, height };
}

const label = (n) => String(n.node.name || (n.node.config && n.node.config.name) || n.id);
const cut = (s, max) => (s.length > max ? s.slice(0, max - 1) + '…' : s);

function wirePath(a, b, exec) {
  // Execution wires leave and enter at the upper part of a box, data wires at the lower part.
  const dy = exec ? H * 0.38 : H * 0.74;
  const x1 = a.x + W;
  const y1 = a.y + dy;
  const x2 = b.x;
  const y2 = b.y + dy;
  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
  return `M${x1.toFixed(1)},${y1.toFixed(1)} C${(x1 + bend).toFixed(1)},${y1.toFixed(1)} ${(x2 - bend).toFixed(1)},${y2.toFixed(1)} ${x2.toFixed(1)},${y2.toFixed(1)}`;
}

function graphSection(version, selected, select) {
  const data = version.workflow_data || {};
  const g = layout(data);
  const exec = g.wires.filter(isExecWire);
  const dataWires = g.wires.filter((c) => !isExecWire(c));
  const name = (id) => label(g.nodes.find((n) => n.id === id));
  const key = (e, n) => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      select(n);
    }
  };
  return html`<section class="panel" aria-labelledby="graph-title">
    <div class="row"><h2 id="graph-title">Version ${version.version}: ${g.nodes.length} nodes</h2><span class="spacer"></span>
      <div class="legend-row"><span><svg class="legend-wire" viewBox="0 0 30 8" aria-hidden="true"><line class="wire exec" x1="0" y1="4" x2="30" y2="4"></line></svg>execution (${exec.length})</span>
        <span><svg class="legend-wire" viewBox="0 0 30 8" aria-hidden="true"><line class="wire data" x1="0" y1="4" x2="30" y2="4"></line></svg>data (${dataWires.length})</span></div></div>
    <div class="graph" tabindex="0" role="region" aria-label="The workflow's graph; scroll to pan, Tab to go from node to node">
      <svg width=${g.width} height=${g.height} viewBox="0 0 ${g.width} ${g.height}" aria-labelledby="graph-title" role="group">
        ${svg`<defs>
          <marker id="arrow-exec" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow exec" d="M0,0 L10,5 L0,10 z"></path></marker>
          <marker id="arrow-data" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow data" d="M0,0 L10,5 L0,10 z"></path></marker>
        </defs>
        ${g.wires.map((c) => {
          const ex = isExecWire(c);
          return svg`<path class=${'wire ' + (ex ? 'exec' : 'data')} marker-end=${ex ? 'url(#arrow-exec)' : 'url(#arrow-data)'}
            d=${wirePath(g.at.get(c.source_node), g.at.get(c.target_node), ex)}><title>${name(c.source_node)}.${c.source_port} → ${name(c.target_node)}.${c.target_port}</title></path>`;
        })}
        ${g.nodes.map((n) => {
          const p = g.at.get(n.id);
          const type = String(n.node.node_type || '?');
          return svg`<g class=${'node' + (selected && selected.id === n.id ? ' selected' : '')} data-node=${n.id} tabindex="0" role="button"
              aria-label=${`${label(n)}, ${type}`} transform=${`translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`}
              @click=${() => select(n)} @keydown=${(e) => key(e, n)}>
            <title>${label(n)} (${type})</title>
            <rect width=${W} height=${H} rx="7"></rect>
            <text x="10" y="20">${cut(label(n), 24)}</text>
            <text class="type" x="10" y="38">${cut(type, 28)}</text>
          </g>`;
        })}`}
      </svg>
    </div>
    ${selected ? html`<div class="node-detail" role="status"><h3>${label(selected)}</h3>
        <p class="small"><span class="mono">${selected.id}</span> · ${selected.node.node_type}</p>
        <pre tabindex="0">${JSON.stringify(selected.node.config || {}, null, 2)}</pre></div>`
      : html`<p class="muted small">Select a node (click, or Tab to it and press Enter) to see its settings.</p>`}
    <details class="graph-text"><summary>The graph as text: ${g.nodes.length} nodes, ${exec.length} execution wires, ${dataWires.length} data wires</summary>
      <h3>Nodes</h3>
      <ul>${g.nodes.map((n) => html`<li><strong>${label(n)}</strong> (${n.node.node_type})${label(n) !== n.id ? html` <span class="mono small">${n.id}</span>` : nothing}</li>`)}</ul>
      <h3>Execution wires</h3>
      ${exec.length ? html`<ul>${exec.map((c) => html`<li>${name(c.source_node)} <span class="mono small">${c.source_port}</span> → ${name(c.target_node)} <span class="mono small">${c.target_port}</span></li>`)}</ul>` : html`<p class="muted">None.</p>`}
      <h3>Data wires</h3>
      ${dataWires.length ? html`<ul>${dataWires.map((c) => html`<li>${name(c.source_node)} <span class="mono small">${c.source_port}</span> → ${name(c.target_node)} <span class="mono small">${c.target_port}</span></li>`)}</ul>` : html`<p class="muted">None.</p>`}
    </details>
  </section>`;
}
