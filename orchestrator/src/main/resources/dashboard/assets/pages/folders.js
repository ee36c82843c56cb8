// Folders (folder.manage where held): the folder tree (keyboard: arrows, Home, End, Enter), a
// folder's subfolders, name and description, deletion (the server's refusal when it is not
// empty said on the page), and its role bindings: who holds which role there, given and taken
// back. A folder admin sees and manages only their folders; the API decides, the page follows
// what the session may do.
import { html, render, nothing } from '../lib/vendor.js';
import { when, empty, table, toast, confirm, debounce, formDialog, refusal, pageNotice } from '../lib/ui.js';

const KINDS = [
  { value: 'user', label: 'Person' },
  { value: 'group', label: 'Group' },
  { value: 'service_account', label: 'Service account' },
];

export default function mount(host, ctx) {
  let folders = null;
  let roles = [];
  let principals = { user: [], group: [], service_account: [] };
  let selected = ctx.query.id || '';
  let bindings = null;
  let bindingsError = null;
  let error = null;
  let notice = null;
  let collapsed = new Set();
  let stopped = false;

  const byId = () => new Map((folders || []).map((f) => [f.id, f]));
  /** folder.manage in the folder, or above it (bindings count below; a folder made since sign-in is not in the session yet). */
  function mayManage(id) {
    const map = byId();
    for (let f = map.get(id); f; f = map.get(f.parent_id)) if (ctx.session.may('folder.manage', f.id)) return true;
    return false;
  }

  async function load() {
    try {
      const [f, r] = await Promise.all([
        ctx.api.get('/api/v1/folders'),
        ctx.api.get('/api/v1/roles').catch(() => ({ items: [] })),
      ]);
      folders = f.items;
      roles = r.items;
      error = null;
      if (!selected || !folders.some((x) => x.id === selected && x.visible !== false)) {
        const first = folders.find((x) => x.id === ctx.folder && x.visible !== false)
          || folders.find((x) => x.visible !== false && mayManage(x.id)) || folders.find((x) => x.visible !== false);
        selected = first ? first.id : '';
      }
    } catch (err) {
      error = err;
    }
    if (!stopped) {
      draw();
      loadBindings();
    }
  }

  async function loadPrincipals() {
    if (!ctx.session.may('user.manage', 'root')) return;
    const [u, g, s] = await Promise.allSettled([ctx.api.get('/api/v1/users'), ctx.api.get('/api/v1/groups'), ctx.api.get('/api/v1/service-accounts')]);
    principals = {
      user: u.status === 'fulfilled' ? u.value.items.map((x) => x.username) : [],
      group: g.status === 'fulfilled' ? g.value.items.map((x) => x.name) : [],
      service_account: s.status === 'fulfilled' ? s.value.items.map((x) => x.name) : [],
    };
  }

  async function loadBindings() {
    bindings = null;
    bindingsError = null;
    const id = selected;
    if (!id || !mayManage(id)) return draw();
    try {
      const b = (await ctx.api.get(`/api/v1/folders/${encodeURIComponent(id)}/bindings`)).items;
      if (id === selected) bindings = b;
    } catch (err) {
      if (id === selected) bindingsError = err;
    }
    if (!stopped) draw();
  }

  const reload = debounce(load, 700);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset) reload();
  });

  function select(id, focus = false) {
    selected = id;
    notice = null;
    ctx.setQuery({ id, folder: ctx.folder });
    draw();
    loadBindings();
    if (focus) host.querySelector(`[data-folder-id="${CSS.escape(id)}"]`)?.focus();
  }

  // ---- Tree ----
  function children(parentId) {
    return (folders || []).filter((f) => f.parent_id === parentId).sort((a, b) => a.name.localeCompare(b.name));
  }

  function visibleOrder() {
    const out = [];
    const walk = (parentId) => {
      for (const f of children(parentId)) {
        out.push(f);
        if (!collapsed.has(f.id)) walk(f.id);
      }
    };
    walk(null);
    return out;
  }

  function onTreeKey(e) {
    const item = e.target.closest('[role="treeitem"]');
    if (!item) return;
    const id = item.dataset.folderId;
    const order = visibleOrder();
    const i = order.findIndex((f) => f.id === id);
    const f = order[i];
    const focusAt = (j) => {
      const target = order[Math.max(0, Math.min(order.length - 1, j))];
      if (target) host.querySelector(`[data-folder-id="${CSS.escape(target.id)}"]`)?.focus();
    };
    const hasKids = children(id).length > 0;
    switch (e.key) {
      case 'ArrowDown': focusAt(i + 1); break;
      case 'ArrowUp': focusAt(i - 1); break;
      case 'Home': focusAt(0); break;
      case 'End': focusAt(order.length - 1); break;
      case 'ArrowRight':
        if (hasKids && collapsed.has(id)) { collapsed.delete(id); draw(); } else if (hasKids) focusAt(i + 1);
        break;
      case 'ArrowLeft':
        if (hasKids && !collapsed.has(id)) { collapsed.add(id); draw(); } else if (f && f.parent_id) {
          host.querySelector(`[data-folder-id="${CSS.escape(f.parent_id)}"]`)?.focus();
        }
        break;
      case 'Enter': case ' ':
        if (f && f.visible !== false) select(id, true);
        break;
      default: return;
    }
    e.preventDefault();
  }

  function toggle(id, e) {
    e.stopPropagation();
    if (collapsed.has(id)) collapsed.delete(id); else collapsed.add(id);
    draw();
  }

  function treeItem(f, level) {
    const kids = children(f.id);
    const open = !collapsed.has(f.id);
    const active = f.id === selected;
    const hidden = f.visible === false;
    return html`<li role="treeitem" data-folder-id=${f.id} tabindex=${active || (!selected && level === 1) ? '0' : '-1'}
        aria-level=${level} aria-selected=${active ? 'true' : 'false'} aria-expanded=${kids.length ? String(open) : nothing}
        aria-disabled=${hidden ? 'true' : nothing}
        @click=${(e) => { e.stopPropagation(); if (!hidden) select(f.id); }}>
      <span class="tree-row ${active ? 'active' : ''} ${hidden ? 'muted' : ''}">
        ${kids.length ? html`<span class="twisty" aria-hidden="true" @click=${(e) => toggle(f.id, e)}>${open ? '▾' : '▸'}</span>` : html`<span class="twisty" aria-hidden="true"></span>`}
        <span class="tree-name">${f.name}</span>${hidden ? html` <span class="small">(not yours)</span>` : nothing}</span>
      ${kids.length && open ? html`<ul role="group">${kids.map((k) => treeItem(k, level + 1))}</ul>` : nothing}
    </li>`;
  }

  // ---- Changes ----
  async function createSub(parent) {
    const f = await formDialog({
      title: `New folder in ${parent.path}`, submitLabel: 'Create folder',
      fields: [
        { name: 'name', label: 'Name', required: true, hint: 'No "/"; unique among its siblings.' },
        { name: 'description', label: 'Description', type: 'textarea' },
      ],
      submit: (v) => ctx.api.post('/api/v1/folders', { name: v.name.trim(), parent: parent.id, description: v.description.trim() }),
    });
    if (!f) return;
    collapsed.delete(parent.id);
    selected = f.id;
    notice = { text: `Folder ${f.path} created.`, tone: 'ok' };
    ctx.setQuery({ id: f.id, folder: ctx.folder });
    load();
  }

  async function edit(f) {
    const rename = f.parent_id && mayManage(f.parent_id);
    const saved = await formDialog({
      title: `Edit ${f.path}`,
      intro: rename ? null : 'Renaming this folder needs folder.manage in its parent.',
      fields: [
        ...(rename ? [{ name: 'name', label: 'Name', required: true, value: f.name }] : []),
        { name: 'description', label: 'Description', type: 'textarea', value: f.description || '' },
      ],
      submit: (v) => {
        const change = {};
        if (rename && v.name.trim() !== f.name) change.name = v.name.trim();
        if (v.description.trim() !== (f.description || '')) change.description = v.description.trim();
        return Object.keys(change).length ? ctx.api.patch(`/api/v1/folders/${encodeURIComponent(f.id)}`, change) : f;
      },
    });
    if (saved) {
      toast(`${saved.path} saved`, 'ok');
      load();
    }
  }

  async function remove(f) {
    if (!await confirm({
      title: `Delete folder ${f.path}?`,
      body: html`<p>Only an empty folder is deleted: no subfolders, workflows, schedules, webhooks, jobs, robots, robot keys or bindings.</p>`,
      confirmLabel: 'Delete', danger: true,
    })) return;
    try {
      await ctx.api.del(`/api/v1/folders/${encodeURIComponent(f.id)}`);
      notice = { text: `Folder ${f.path} deleted.`, tone: 'ok' };
      selected = f.parent_id || '';
      ctx.setQuery({ id: selected, folder: ctx.folder });
      load();
    } catch (err) {
      notice = { text: `${f.path} was not deleted: ${err.message}` };
      draw();
    }
  }

  async function addBinding(f) {
    await loadPrincipals();
    const assignable = roles.filter((r) => r.name !== 'admin' || f.id === 'root');
    const saved = await formDialog({
      title: `Give a role in ${f.path}`,
      intro: 'It counts in this folder and every folder below it, at once.',
      submitLabel: 'Give role',
      fields: [
        { name: 'kind', label: 'Who', type: 'select', value: 'user', options: KINDS },
        { name: 'name', label: 'Name (username, group or service account)', required: true, list: 'principal-names',
          hint: 'As shown on the People, Groups and API keys pages.' },
        { name: 'role', label: 'Role', type: 'select', value: (assignable.find((r) => r.name === 'viewer') || assignable[0] || {}).name,
          options: assignable.map((r) => ({ value: r.name, label: `${r.name}${r.description ? ' · ' + r.description : ''}` })) },
      ],
      submit: (v) => ctx.api.post(`/api/v1/folders/${encodeURIComponent(f.id)}/bindings`,
        { principal: { kind: v.kind, name: v.name.trim() }, role: v.role }),
    });
    if (saved) {
      notice = { text: `${saved.principal.name} now holds ${saved.role} in ${f.path}.`, tone: 'ok' };
      loadBindings();
    }
  }

  async function removeBinding(f, b) {
    if (!await confirm({
      title: `Take back ${b.role} from ${b.principal.name}?`,
      body: html`<p>In ${f.path} and the folders below it, at once.</p>`,
      confirmLabel: 'Take back', danger: true,
    })) return;
    try {
      await ctx.api.del(`/api/v1/folders/${encodeURIComponent(f.id)}/bindings/${encodeURIComponent(b.id)}`);
      notice = { text: `${b.principal.name} no longer holds ${b.role} in ${f.path}.`, tone: 'ok' };
    } catch (err) {
      notice = { text: `Not taken back: ${refusal(err)}` };
    }
    loadBindings();
  }

  // ---- Drawing ----
  function detail(f) {
    if (!f) return html`<div class="panel">${empty('Choose a folder in the tree.')}</div>`;
    const manageHere = mayManage(f.id);
    const manageParent = f.parent_id && mayManage(f.parent_id);
    return html`<section class="panel" aria-labelledby="folder-title" id="folder-detail">
      <div class="page-head"><h2 id="folder-title">${f.path}</h2>
        <div class="actions">
          ${manageHere ? html`<button type="button" id="new-subfolder" @click=${() => createSub(f)}>New subfolder</button>
            <button type="button" data-action="edit" @click=${() => edit(f)}>${manageParent ? 'Rename or describe' : 'Describe'}</button>` : nothing}
          ${manageParent ? html`<button type="button" class="danger" data-action="delete" @click=${() => remove(f)}>Delete</button>` : nothing}
        </div></div>
      <dl class="facts">
        <dt>Id</dt><dd class="mono">${f.id}</dd>
        <dt>Description</dt><dd>${f.description || html`<span class="muted">none</span>`}</dd>
        <dt>Created</dt><dd>${when(f.created_at)} by ${f.created_by}</dd>
      </dl>
    </section>
    <section aria-labelledby="bindings-title" id="bindings">
      <div class="page-head"><h2 id="bindings-title">Who holds which role here</h2>
        <div class="actions">${manageHere ? html`<button type="button" class="primary" id="add-binding" @click=${() => addBinding(f)}>Give a role</button>` : nothing}</div></div>
      ${!manageHere ? html`<div class="notice">You do not manage this folder, so its bindings are not shown.</div>`
        : bindingsError ? html`<div class="notice bad" role="alert">${bindingsError.message}</div>`
        : bindings === null ? html`<p class="muted">Loading…</p>`
        : table({
          caption: `Role bindings of ${f.path}`,
          rows: bindings,
          key: (b) => b.id,
          empty: empty('No one holds a role here yet.', 'Give a person, group or service account a role with "Give a role".'),
          columns: [
            { label: 'Who', cell: (b) => html`<strong>${b.principal.name}</strong> <span class="muted small">${kindLabel(b.principal.kind)}</span>` },
            { label: 'Role', cell: (b) => html`<span class="badge info">${b.role}</span>` },
            { label: 'Where', cell: (b) => (b.inherited ? html`<span class="muted">from ${b.folder_path}</span>` : 'this folder') },
            { label: 'Given', cell: (b) => html`${when(b.created_at)} <span class="muted small">by ${b.created_by}</span>` },
            { label: 'Actions', cls: 'nowrap', cell: (b) => (b.inherited ? html`<span class="muted small">change it in ${b.folder_path}</span>`
              : html`<button type="button" class="danger" data-action="unbind" aria-label=${`Take back ${b.role} from ${b.principal.name}`}
                  @click=${() => removeBinding(f, b)}>Take back</button>`) },
          ],
        })}
    </section>`;
  }

  function draw() {
    const map = byId();
    const f = map.get(selected);
    const names = [...new Set([...principals.user, ...principals.group, ...principals.service_account])];
    render(html`
      <div class="page-head"><h1>Folders</h1><span class="muted">${folders ? `${folders.filter((x) => x.visible !== false).length} you see` : ''}</span></div>
      ${pageNotice(notice)}
      ${error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      <datalist id="principal-names">${names.map((n) => html`<option value=${n}></option>`)}</datalist>
      ${folders === null && !error ? html`<p class="muted">Loading…</p>` : html`<div class="folders-layout">
        <nav class="panel folder-tree" aria-label="Folder tree">
          <ul role="tree" aria-label="Folders" @keydown=${onTreeKey}>${children(null).map((root) => treeItem(root, 1))}</ul>
        </nav>
        <div class="folder-main">${detail(f && f.visible !== false ? f : null)}</div>
      </div>`}`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
  };
}

const kindLabel = (k) => (KINDS.find((x) => x.value === k) || { label: k }).label.toLowerCase();
