// Workflows: the list (name, folder, latest version, versions, updated, how their jobs have been
// ending), a search, Export CSV of the same search, and deploying a workflow (a new one, or a new
// version) from a CasareRPA workflow file (POST /api/v1/workflows).
import { html, render, nothing } from '../lib/vendor.js';
import { ago, badge, empty, table, toast, debounce, fieldError, formError, invalid, number, csvLink } from '../lib/ui.js';

const PAGE = 100;

export default function mount(host, ctx) {
  const filter = { q: ctx.query.q || '' };
  let items = null;
  let next = null;
  let error = null;
  let stopped = false;
  const deploy = deployState();

  async function load({ more = false } = {}) {
    try {
      const page = await ctx.api.get('/api/v1/workflows', { q: filter.q, folder: ctx.folder, limit: PAGE, cursor: more ? next : undefined });
      items = more ? [...items, ...page.items] : page.items;
      next = page.next_cursor || null;
      error = null;
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }
  const search = debounce(() => load(), 300);
  // Health and jobs of the last 24 h change as jobs end.
  const reload = debounce(() => load(), 2000);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.kind === 'job' && ['succeeded', 'failed', 'timed_out'].includes(c.to))) reload();
  });

  function setQ(q) {
    filter.q = q;
    ctx.setQuery({ q, folder: ctx.folder });
    search();
  }

  function draw() {
    if (stopped) return;
    const withHealth = (items || []).some((w) => w.health !== undefined);
    const mayDeploy = deployFolders(ctx).length > 0;
    render(html`
      <div class="page-head"><h1>Workflows</h1>
        <span class="muted">${items ? `${items.length}${next ? '+' : ''} shown` : ''}</span>
        <div class="actions">${csvLink('/api/v1/workflows', { q: filter.q, folder: ctx.folder })}
          ${mayDeploy ? html`<a class="button primary" href="#deploy">Deploy a workflow</a>` : nothing}</div></div>
      ${error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      <div class="filters" role="search">
        <div class="field"><label for="workflow-q">Name or description</label>
          <input id="workflow-q" type="search" .value=${filter.q} @input=${(e) => setQ(e.target.value)}></div>
      </div>
      ${items === null && !error ? html`<p class="muted">Loading…</p>` : table({
        caption: 'Workflows',
        rows: items,
        key: (w) => w.id,
        empty: filter.q
          ? empty(`No workflow's name or description contains "${filter.q}".`)
          : empty('No workflow yet.', html`Deploy a workflow: <code>casare-rpa orchestrator deploy FILE</code>${mayDeploy ? html`, or <a href="#deploy">Deploy below</a>` : nothing}.`),
        columns: [
          { label: 'Workflow', cell: (w) => html`<a href=${'/workflows/' + encodeURIComponent(w.id)}>${w.name}</a>
              ${w.description ? html`<div class="muted small">${w.description}</div>` : nothing}` },
          { label: 'Folder', cell: (w) => (w.folder ? w.folder.path : '—') },
          { label: 'Latest version', cls: 'num', cell: (w) => `v${w.latest_version}` },
          { label: 'Versions', cls: 'num', cell: (w) => number(w.latest_version) },
          { label: 'Updated', cell: (w) => ago(w.updated_at) },
          ...(withHealth ? [
            { label: 'Health', cell: (w) => health(w.health) },
            { label: 'Jobs, 24 h', cls: 'nowrap', cell: (w) => jobs24h(w.jobs_24h) },
          ] : []),
        ],
      })}
      ${next ? html`<div class="pager"><button type="button" @click=${() => load({ more: true })}>More workflows</button></div>` : nothing}
      ${mayDeploy ? html`<section class="panel" id="deploy" aria-labelledby="deploy-title">
          <h2 id="deploy-title">Deploy a workflow</h2>
          <p class="muted small">A CasareRPA workflow file (JSON, as the designer saves it). The same name again adds a new version.</p>
          ${deployForm(ctx, deploy, draw, { onDeployed: (w) => ctx.navigate('/workflows/' + encodeURIComponent(w.id)) })}
        </section>` : nothing}`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
  };
}

/** How a workflow's jobs have been ending (the overview's health; absent on older servers). */
export function health(h) {
  if (!h || !h.last_outcome) return html`<span class="muted">no runs</span>`;
  if (h.failing_streak > 0) {
    return html`<span class="badge bad">failing ×${h.failing_streak}</span>
      <div class="muted small">last success ${h.last_success_at ? ago(h.last_success_at) : 'never'}</div>`;
  }
  if (h.recovered_at) {
    return html`<span class="badge ok">recovered</span> <span class="muted small">${ago(h.recovered_at)}</span>`;
  }
  return html`${badge(h.last_outcome)} <span class="muted small">${ago(h.last_finished_at)}</span>`;
}

export function jobs24h(j) {
  if (!j) return html`<span class="muted">—</span>`;
  return html`<span title="Jobs ended in the last 24 hours">${number(j.succeeded)} ok · <span class=${j.failed ? 'bad-text' : ''}>${number(j.failed)} failed</span></span>`;
}

/** The folders where the caller may deploy, the switcher's first. */
function deployFolders(ctx) {
  const all = ctx.session.folders.length ? ctx.session.folders : [{ id: 'root', path: 'Default' }];
  const may = all.filter((f) => ctx.session.may('workflow.deploy', f.id));
  return may.sort((a, b) => (b.id === ctx.folder) - (a.id === ctx.folder));
}

/** The state of a deploy form: the file read, the name, the folder, the server's answer. */
export function deployState() {
  return { file: null, data: null, fileName: '', name: '', folder: '', description: '', error: null, busy: false };
}

/**
 * A form that reads a workflow file (FileReader) and deploys it. `fixed`: the workflow whose new
 * version this is ({id, name, folder}; no name or folder to choose). Field errors of the server
 * (workflow_data…, name, folder) show next to their field; an invalid workflow lists every problem.
 */
export function deployForm(ctx, s, redraw, { fixed = null, onDeployed } = {}) {
  const folders = fixed ? [] : deployFolders(ctx);
  if (!fixed && !s.folder && folders.length) s.folder = folders[0].id;
  const fileError = s.error && s.error.field && (s.error.field === 'body' || s.error.field.startsWith('workflow_data')) ? s.error : null;
  const problems = (fileError && fileError.details.problems) || [];

  function pick(e) {
    const file = e.target.files[0];
    s.error = null;
    s.data = null;
    s.fileName = file ? file.name : '';
    if (!file) return redraw();
    const reader = new FileReader();
    reader.onload = () => {
      try {
        s.data = JSON.parse(reader.result);
        if (s.data === null || typeof s.data !== 'object' || Array.isArray(s.data)) throw new Error('the file holds no JSON object');
        if (!fixed && !s.name) s.name = (s.data.metadata && s.data.metadata.name) || s.data.name || file.name.replace(/\.json$/i, '');
      } catch (err) {
        s.data = null;
        s.error = { field: 'workflow_data', message: `${file.name} is not a workflow file: ${err.message}`, details: {} };
      }
      redraw();
    };
    reader.onerror = () => {
      s.error = { field: 'workflow_data', message: `${file.name} could not be read`, details: {} };
      redraw();
    };
    reader.readAsText(file);
  }

  async function submit(e) {
    e.preventDefault();
    if (!s.data) {
      s.error = s.error || { field: 'workflow_data', message: 'Choose a workflow file (JSON) first.', details: {} };
      return redraw();
    }
    s.busy = true;
    s.error = null;
    redraw();
    const body = { name: fixed ? fixed.name : s.name.trim(), workflow_data: s.data };
    if (!fixed && s.folder) body.folder = s.folder;
    if (!fixed && s.description.trim()) body.description = s.description.trim();
    try {
      const w = await ctx.api.post('/api/v1/workflows', body);
      toast(`${w.name}: version ${w.version} deployed`, 'ok');
      Object.assign(s, deployState());
      const form = e.target;
      form.reset();
      onDeployed(w);
    } catch (err) {
      s.error = err;
    }
    s.busy = false;
    redraw();
  }

  return html`<form class="deploy" @submit=${submit} novalidate>
    <div class="field"><label for="deploy-file">Workflow file</label>
      <input id="deploy-file" type="file" accept=".json,application/json" @change=${pick}
        aria-invalid=${fileError ? 'true' : 'false'} aria-describedby=${fileError ? 'err-workflow_data' : nothing}>
      ${fileError ? html`<div class="error" id="err-workflow_data" role="alert">${fileError.field !== 'workflow_data' && fileError.field !== 'body'
        ? html`<span class="mono">${fileError.field}</span>: ` : nothing}${fileError.message}
        ${problems.length > 1 ? html`<ul class="problems">${problems.map((p) => html`<li><span class="mono">${p.field}</span>: ${p.message}</li>`)}</ul>` : nothing}</div>`
        : s.data ? html`<div class="hint">${s.fileName}: ${Object.keys(s.data.nodes || {}).length} nodes, ${(s.data.connections || []).length} connections</div>` : nothing}
    </div>
    ${fixed ? html`<p class="small">A new version of <strong>${fixed.name}</strong>, in ${fixed.folder ? fixed.folder.path : 'its folder'}.</p>` : html`
      <div class="field"><label for="deploy-name">Name</label>
        <input id="deploy-name" .value=${s.name} @input=${(e) => { s.name = e.target.value; }} aria-invalid=${invalid(s.error, 'name')}>
        <div class="hint">An existing workflow's name adds a version to it.</div>
        ${fieldError(s.error, 'name')}</div>
      <div class="field"><label for="deploy-folder">Folder</label>
        <select id="deploy-folder" @change=${(e) => { s.folder = e.target.value; }} aria-invalid=${invalid(s.error, 'folder')}>
          ${folders.map((f) => html`<option value=${f.id} ?selected=${s.folder === f.id}>${f.path}</option>`)}
        </select>
        ${fieldError(s.error, 'folder')}</div>
      <div class="field"><label for="deploy-description">Description (optional)</label>
        <input id="deploy-description" .value=${s.description} @input=${(e) => { s.description = e.target.value; }} aria-invalid=${invalid(s.error, 'description')}>
        ${fieldError(s.error, 'description')}</div>`}
    ${fileError ? nothing : formError(s.error, ['name', 'folder', 'description'])}
    <button type="submit" class="primary" ?disabled=${s.busy}>${s.busy ? 'Deploying…' : fixed ? 'Deploy this version' : 'Deploy'}</button>
  </form>`;
}
