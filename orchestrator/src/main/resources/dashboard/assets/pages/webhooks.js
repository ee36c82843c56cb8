// Webhooks: the list with the URL to call (copy button), enable/disable, delete (confirmed), and
// create; a new webhook's secret or key is shown once (the answer is Cache-Control: no-store, and
// the page keeps it only until it is dismissed).
import { html, render, nothing } from '../lib/vendor.js';
import { when, empty, table, toast, deleteConfirmed, debounce, fieldError, formError, invalid, copyButton } from '../lib/ui.js';
import { workflowNames } from './schedules.js';

const HEADERS = {
  hmac: 'Sign each delivery: X-Casare-Timestamp, X-Casare-Delivery and X-Casare-Signature: sha256=HMAC(secret, "timestamp.delivery.body"), see docs/webhooks.md.',
  key: 'Send it in the header X-Casare-Webhook-Key with each delivery.',
};

export default function mount(host, ctx) {
  let items = null;
  let names = new Map();
  let error = null;
  let stopped = false;
  let creating = ctx.query.new === '1';
  let created = null; // the webhook just made, with its secret: shown once
  const form = { name: '', workflow: '', auth_mode: 'hmac', variables_path: '', error: null, busy: false };

  async function load() {
    try {
      const [list, wf] = await Promise.all([ctx.api.get('/api/v1/webhooks', { folder: ctx.folder }), workflowNames(ctx)]);
      items = list.items;
      names = wf;
      error = null;
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }
  const reload = debounce(load, 700);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset) reload();
  });

  const may = (w) => ctx.session.may('webhook.change', (w.folder && w.folder.id) || 'root');

  async function setEnabled(w, enabled) {
    try {
      await ctx.api.post(`/api/v1/webhooks/${encodeURIComponent(w.id)}/${enabled ? 'enable' : 'disable'}`);
      toast(`${w.name} ${enabled ? 'enabled' : 'disabled: its URL answers 404'}`, 'ok');
    } catch (err) {
      toast(err.message, 'bad');
    }
    load();
  }

  async function remove(w) {
    if (await deleteConfirmed(ctx.api, {
      title: `Delete webhook ${w.name}?`,
      body: html`<p>Its URL answers 404 from then on; senders that still call it start nothing. The jobs it started stay.</p>`,
      path: `/api/v1/webhooks/${encodeURIComponent(w.id)}`,
      done: `${w.name} deleted`,
    })) load();
  }

  async function create(e) {
    e.preventDefault();
    form.busy = true;
    form.error = null;
    draw();
    const body = { name: form.name.trim(), workflow_id: form.workflow, auth_mode: form.auth_mode };
    if (form.variables_path.trim()) body.variables_path = form.variables_path.trim();
    try {
      created = await ctx.api.post('/api/v1/webhooks', body);
      Object.assign(form, { name: '', variables_path: '', error: null });
      creating = false;
      ctx.setQuery({ folder: ctx.folder });
      load();
    } catch (err) {
      form.error = err;
    }
    form.busy = false;
    draw();
    if (created) host.querySelector('#new-secret')?.focus();
  }

  function openForm(open) {
    creating = open;
    ctx.setQuery({ new: open ? '1' : '', folder: ctx.folder });
    draw();
    if (open) host.querySelector('#webhook-name')?.focus();
  }

  function draw() {
    if (stopped) return;
    const mayCreate = (ctx.session.folders.length ? ctx.session.folders : [{ id: 'root' }]).some((f) => ctx.session.may('webhook.change', f.id));
    render(html`
      <div class="page-head"><h1>Webhooks</h1>
        <span class="muted">${items ? `${items.length} in all` : ''}</span>
        ${mayCreate && !creating ? html`<div class="actions"><button type="button" class="primary" id="new-webhook" @click=${() => openForm(true)}>New webhook</button></div>` : nothing}</div>
      ${error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      ${created ? secretPanel() : nothing}
      ${creating ? createPanel() : nothing}
      ${items === null && !error ? html`<p class="muted">Loading…</p>` : table({
        caption: 'Webhooks',
        rows: items,
        key: (w) => w.id,
        empty: empty('No webhook yet.', mayCreate
          ? html`A webhook lets another system start a workflow by posting JSON to a URL. <button type="button" class="link" @click=${() => openForm(true)}>Create one</button>.`
          : 'Someone with the operator role creates webhooks.'),
        columns: [
          { label: 'Webhook', cell: (w) => html`<strong>${w.name}</strong><div class="muted small mono">${w.id}</div>` },
          { label: 'Workflow', cell: (w) => html`<a href=${'/workflows/' + encodeURIComponent(w.workflow_id)}>${names.get(w.workflow_id) || w.workflow_id}</a>` },
          { label: 'URL to call', cell: (w) => html`<div class="url-row"><code class="url">${w.url}</code> ${copyButton(w.url, `the URL of ${w.name}`)}</div>` },
          { label: 'Auth', cell: (w) => (w.auth_mode === 'key' ? 'key' : 'HMAC signature') },
          { label: 'Variables from', cell: (w) => (w.variables_path ? html`<code>${w.variables_path}</code>` : 'the whole body') },
          { label: 'State', cell: (w) => html`<span class="badge ${w.enabled ? 'ok' : ''}">${w.enabled ? 'enabled' : 'disabled'}</span>` },
          { label: 'Created', cell: (w) => when(w.created_at) },
          { label: 'Actions', cls: 'nowrap', cell: (w) => (may(w) ? html`
              <button type="button" data-action="toggle" @click=${() => setEnabled(w, !w.enabled)}>${w.enabled ? 'Disable' : 'Enable'}<span class="visually-hidden"> ${w.name}</span></button>
              <button type="button" class="danger" data-action="delete" @click=${() => remove(w)}>Delete<span class="visually-hidden"> ${w.name}</span></button>` : nothing) },
        ],
      })}`, host);
  }

  function secretPanel() {
    const w = created;
    const what = w.auth_mode === 'key' ? 'key' : 'secret';
    return html`<section class="panel secret" aria-labelledby="secret-title">
      <h2 id="secret-title">Webhook ${w.name} created: copy its ${what} now</h2>
      <p>This is the only time the ${what} is shown; the server keeps ${w.auth_mode === 'key' ? 'only its hash' : 'it for checking signatures and never shows it again'}.
        To change it later, create a new webhook and delete this one.</p>
      <div class="field"><label for="new-secret">${what[0].toUpperCase() + what.slice(1)}</label>
        <div class="url-row"><input id="new-secret" class="mono wide" readonly .value=${w.secret || ''} @focus=${(e) => e.target.select()}> ${copyButton(w.secret || '', 'the ' + what)}</div>
        <div class="hint">${HEADERS[w.auth_mode] || ''}</div></div>
      <div class="field"><label for="new-url">URL to call</label>
        <div class="url-row"><input id="new-url" class="mono wide" readonly .value=${w.url}> ${copyButton(w.url, 'the URL')}</div></div>
      <button type="button" class="primary" id="secret-done" @click=${() => { created = null; draw(); host.querySelector('#new-webhook')?.focus(); }}>I have stored it</button>
    </section>`;
  }

  function createPanel() {
    const ids = [...names.keys()].sort((a, b) => names.get(a).localeCompare(names.get(b)));
    if (!form.workflow && ids.length) form.workflow = ids[0];
    const err = form.error;
    const set = (k) => (e) => { form[k] = e.target.value; };
    return html`<section class="panel" aria-labelledby="new-title"><h2 id="new-title">New webhook</h2>
      <form @submit=${create} novalidate>
        <div class="form-grid">
          <div class="field"><label for="webhook-name">Name</label>
            <input id="webhook-name" .value=${form.name} @input=${set('name')} aria-invalid=${invalid(err, 'name')}>${fieldError(err, 'name')}</div>
          <div class="field"><label for="webhook-workflow">Workflow</label>
            ${ids.length ? html`<select id="webhook-workflow" @change=${set('workflow')} aria-invalid=${invalid(err, 'workflow_id')}>
                ${ids.map((id) => html`<option value=${id} ?selected=${form.workflow === id}>${names.get(id)}</option>`)}</select>`
              : html`<input id="webhook-workflow" .value=${form.workflow} @input=${set('workflow')} placeholder="workflow id" aria-invalid=${invalid(err, 'workflow_id')}>`}
            ${fieldError(err, 'workflow_id')}</div>
          <div class="field"><label for="webhook-auth">Senders prove themselves with</label>
            <select id="webhook-auth" @change=${set('auth_mode')} aria-invalid=${invalid(err, 'auth_mode')}>
              <option value="hmac" ?selected=${form.auth_mode === 'hmac'}>an HMAC signature (recommended)</option>
              <option value="key" ?selected=${form.auth_mode === 'key'}>a key in a header</option></select>
            ${fieldError(err, 'auth_mode')}</div>
          <div class="field"><label for="webhook-path">Variables from (JSON pointer, optional)</label>
            <input id="webhook-path" class="mono" placeholder="/order" .value=${form.variables_path} @input=${set('variables_path')} aria-invalid=${invalid(err, 'variables_path')}>
            <div class="hint">The object at this place in the body becomes the job's variables; empty: the whole body.</div>
            ${fieldError(err, 'variables_path')}</div>
        </div>
        ${formError(err, ['name', 'workflow_id', 'auth_mode', 'variables_path'])}
        <div class="row"><button type="submit" class="primary" ?disabled=${form.busy}>${form.busy ? 'Creating…' : 'Create webhook'}</button>
          <button type="button" @click=${() => openForm(false)}>Cancel</button></div>
      </form></section>`;
  }

  draw();
  load();
  return () => {
    stopped = true;
    created = null;
    unsubscribe();
  };
}
