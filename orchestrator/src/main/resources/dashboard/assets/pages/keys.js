// API keys and service accounts (api_key.manage): the keys (name, role or owner, prefix, created,
// last used, expiry, status) with revoke, robot keys apart; create a key (shown once, never kept);
// service accounts with their keys and bindings: create, issue a key (shown once), delete; and
// the signed-in person's own personal tokens: create (shown once), revoke.
import { html, render, nothing } from '../lib/vendor.js';
import { ago, when, badge, empty, table, confirm, debounce, formDialog, showSecretOnce, refusal, pageNotice } from '../lib/ui.js';

const KEY_ROLES = ['admin', 'operator', 'viewer', 'robot'];

export default function mount(host, ctx) {
  let keys = null;
  let accounts = null; // service accounts with keys and bindings
  let tokens = null;
  let roles = [];
  let error = null;
  let accountsError = null;
  let notice = null;
  let showRevoked = ctx.query.revoked === '1';
  let stopped = false;
  const person = ctx.session.me.kind === 'user';
  const manageAccounts = ctx.session.may('user.manage', 'root');

  async function load() {
    const [k, a, t, r] = await Promise.allSettled([
      ctx.api.get('/api/v1/api-keys', { include_revoked: showRevoked ? 'true' : '' }),
      manageAccounts ? ctx.api.get('/api/v1/service-accounts', { include_disabled: showRevoked ? 'true' : '' }) : Promise.resolve(null),
      person ? ctx.api.get('/api/v1/auth/tokens') : Promise.resolve(null),
      ctx.api.get('/api/v1/roles'),
    ]);
    error = k.status === 'rejected' ? k.reason : null;
    keys = k.status === 'fulfilled' ? k.value.items : keys;
    tokens = t.status === 'fulfilled' && t.value ? t.value.items : null;
    roles = r.status === 'fulfilled' ? r.value.items.map((x) => x.name) : ['viewer', 'operator', 'developer', 'folder_admin'];
    accountsError = a.status === 'rejected' ? a.reason : null;
    if (stopped) return;
    draw(); // the keys first; the accounts' keys and bindings follow
    if (a.status === 'fulfilled' && a.value) {
      const details = await Promise.allSettled(a.value.items.map((x) => ctx.api.get(`/api/v1/service-accounts/${encodeURIComponent(x.id)}`)));
      accounts = details.filter((d) => d.status === 'fulfilled').map((d) => d.value);
    }
    if (!stopped) draw();
  }
  const reload = debounce(load, 700);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset) reload();
  });

  function ownerOf(k) {
    if (k.role === 'robot') return k.robot_id ? html`robot <span class="mono">${k.robot_id}</span>` : 'any robot';
    const acc = (accounts || []).find((a) => a.keys.some((x) => x.id === k.id));
    if (acc) return html`${k.role === 'bindings' ? '' : html`${k.role} · `}service account <strong>${acc.name}</strong>`;
    if ((tokens || []).some((x) => x.id === k.id)) return 'your personal token';
    return k.role === 'bindings' ? html`a person's token <span class="muted small">(${k.created_by || '—'})</span>` : k.role;
  }

  async function revoke(k, personal = false) {
    if (!await confirm({
      title: `Revoke ${k.name}?`,
      body: html`<p>The key <span class="mono">${k.prefix || k.id}…</span> stops working at once, and every dashboard session signed in with it ends.
        This cannot be undone.</p>`,
      confirmLabel: 'Revoke', danger: true,
    })) return;
    try {
      await (personal ? ctx.api.del(`/api/v1/auth/tokens/${encodeURIComponent(k.id)}`) : ctx.api.del(`/api/v1/api-keys/${encodeURIComponent(k.id)}`));
      notice = { text: `${k.name} revoked.`, tone: 'ok' };
    } catch (err) {
      notice = { text: `${k.name} was not revoked: ${refusal(err)}` };
    }
    load();
  }

  function shownOnce(title, created, about) {
    notice = { text: `${created.name} created; its key was shown once.`, tone: 'ok' };
    load();
    return showSecretOnce({ title, secret: created.key, what: 'key', about });
  }

  async function createKey() {
    const created = await formDialog({
      title: 'New API key', submitLabel: 'Create key',
      intro: 'An admin, operator or viewer key gets a service account of its own bound to that role at the root; a robot key speaks the robot protocol.',
      fields: [
        { name: 'name', label: 'Name', required: true },
        { name: 'role', label: 'Role', type: 'select', value: 'viewer', options: KEY_ROLES.map((r) => ({ value: r, label: r })) },
        { name: 'expires_at', label: 'Expires on (empty: never)', type: 'date' },
        { name: 'robot_id', label: 'Robot id (robot keys only; empty: any robot)' },
      ],
      submit: (v) => ctx.api.post('/api/v1/api-keys', {
        name: v.name.trim(), role: v.role, expires_at: endOfDay(v.expires_at), robot_id: v.role === 'robot' ? (v.robot_id.trim() || null) : null,
      }),
    });
    if (created) await shownOnce(`API key ${created.name}`, created, html`<p>Role <strong>${created.role}</strong>; ${created.expires_at ? html`expires ${when(created.expires_at)}` : 'never expires'}.
      Send it as <code>Authorization: Bearer …</code> or <code>X-API-Key</code>.</p>`);
  }

  async function createAccount() {
    const a = await formDialog({
      title: 'New service account', submitLabel: 'Create account',
      intro: 'A caller that is not a person (CI, a script). It holds nothing until bound to roles on the Folders page.',
      fields: [{ name: 'name', label: 'Name', required: true }, { name: 'description', label: 'Description', type: 'textarea' }],
      submit: (v) => ctx.api.post('/api/v1/service-accounts', { name: v.name.trim(), description: v.description.trim() }),
    });
    if (a) {
      notice = { text: `Service account ${a.name} created. Bind it to a role in a folder (Folders page), then issue it a key.`, tone: 'ok' };
      load();
    }
  }

  async function accountKey(a) {
    const created = await formDialog({
      title: `New key for ${a.name}`, submitLabel: 'Create key',
      intro: 'The key acts with the account\'s bindings, and follows them when they change.',
      fields: [{ name: 'name', label: 'Name', required: true }, { name: 'expires_at', label: 'Expires on (empty: never)', type: 'date' }],
      submit: (v) => ctx.api.post(`/api/v1/service-accounts/${encodeURIComponent(a.id)}/keys`, { name: v.name.trim(), expires_at: endOfDay(v.expires_at) }),
    });
    if (created) await shownOnce(`Key ${created.name} of ${a.name}`, created, html`<p>It acts with the bindings of ${a.name}.</p>`);
  }

  async function deleteAccount(a) {
    if (!await confirm({
      title: `Delete service account ${a.name}?`,
      body: html`<p>The account is disabled and its ${a.keys.filter((k) => k.status === 'active').length} active keys are revoked at once.
        Its record and bindings stay for the audit trail.</p>`,
      confirmLabel: 'Delete', danger: true,
    })) return;
    try {
      await ctx.api.del(`/api/v1/service-accounts/${encodeURIComponent(a.id)}`);
      notice = { text: `Service account ${a.name} disabled; its keys are revoked.`, tone: 'ok' };
    } catch (err) {
      notice = { text: `${a.name} was not deleted: ${refusal(err)}` };
    }
    load();
  }

  async function createToken() {
    const folders = ctx.session.folders.length ? ctx.session.folders : [{ id: 'root', path: 'Default' }];
    const created = await formDialog({
      title: 'New personal token', submitLabel: 'Create token',
      intro: 'For your own scripts. It may do what both its role here and your own roles allow, and stops when you are disabled.',
      fields: [
        { name: 'name', label: 'Name', required: true },
        { name: 'role', label: 'Role', type: 'select', value: roles.includes('viewer') ? 'viewer' : roles[0], options: roles.map((r) => ({ value: r, label: r })) },
        { name: 'folder', label: 'In folder', type: 'select', value: ctx.folder || folders[0].id, options: folders.map((f) => ({ value: f.id, label: f.path })) },
        { name: 'expires_in_days', label: 'Days until it expires', type: 'number', value: '30' },
      ],
      submit: (v) => ctx.api.post('/api/v1/auth/tokens', {
        name: v.name.trim(), expires_in_days: v.expires_in_days === '' ? undefined : Number(v.expires_in_days),
        bindings: [{ role: v.role, folder: v.folder }],
      }).catch((err) => {
        // The server names bindings[0].role / bindings[0].folder: show it next to that control.
        if (err.field && err.field.startsWith('bindings')) err.field = err.field.endsWith('folder') ? 'folder' : 'role';
        throw err;
      }),
    });
    if (created) await shownOnce(`Personal token ${created.name}`, created, html`<p>${created.bindings.map((b) => `${b.role} in ${b.folder_path}`).join(', ')};
      expires ${when(created.expires_at)}.</p>`);
  }

  const keyColumns = (personal = false) => [
    { label: 'Name', cell: (k) => html`<strong>${k.name}</strong>` },
    { label: personal ? 'Roles' : 'Role or owner', cell: (k) => (personal ? (k.bindings || []).map((b) => `${b.role} in ${b.folder_path}`).join(', ') : ownerOf(k)) },
    { label: 'Prefix', cell: (k) => html`<span class="mono">${k.prefix || '—'}</span>` },
    { label: 'Created', cell: (k) => ago(k.created_at) },
    { label: 'Last used', cell: (k) => (k.last_used_at ? ago(k.last_used_at) : html`<span class="muted">never</span>`) },
    { label: 'Expires', cell: (k) => (k.expires_at ? when(k.expires_at) : html`<span class="muted">never</span>`) },
    { label: 'Status', cell: (k) => badge(k.status) },
    { label: 'Actions', cls: 'nowrap', cell: (k) => (k.status === 'revoked' ? nothing
      : html`<button type="button" class="danger" data-action="revoke" aria-label=${`Revoke ${k.name}`} @click=${() => revoke(k, personal)}>Revoke</button>`) },
  ];

  function accountCard(a) {
    const id = 'sa-' + a.id;
    return html`<section class="panel" aria-labelledby=${id} data-account=${a.name}>
      <div class="page-head"><h3 id=${id}>${a.name}</h3> ${badge(a.status)}
        <div class="actions">${a.status === 'active' ? html`
          <button type="button" data-action="account-key" @click=${() => accountKey(a)}>New key</button>
          <button type="button" class="danger" data-action="account-delete" @click=${() => deleteAccount(a)}>Delete</button>` : nothing}</div></div>
      ${a.description ? html`<p class="muted">${a.description}</p>` : nothing}
      <p class="small"><strong>Roles:</strong> ${a.bindings.length ? a.bindings.map((b) => `${b.role} in ${b.folder_path}`).join(', ')
        : html`<span class="muted">none yet: bind it on the Folders page</span>`}</p>
      ${a.keys.length ? table({ caption: `Keys of ${a.name}`, rows: a.keys, key: (k) => k.id, columns: keyColumns() })
        : html`<p class="muted small">No keys yet.</p>`}
    </section>`;
  }

  function draw() {
    const all = keys || [];
    const robotKeys = all.filter((k) => k.role === 'robot');
    const otherKeys = all.filter((k) => k.role !== 'robot');
    render(html`
      <div class="page-head"><h1>API keys and service accounts</h1>
        <div class="actions">
          <label class="inline-check"><input type="checkbox" id="show-revoked" .checked=${showRevoked}
            @change=${(e) => { showRevoked = e.target.checked; ctx.setQuery({ revoked: showRevoked ? '1' : '' }); load(); }}> Show revoked and disabled</label>
          <button type="button" class="primary" id="new-key" @click=${createKey}>New API key</button></div></div>
      ${pageNotice(notice)}
      ${error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      <section class="admin-section" aria-labelledby="keys-title"><h2 id="keys-title">API keys</h2>
        ${keys === null && !error ? html`<p class="muted">Loading…</p>` : table({
          caption: 'API keys (people, service accounts, scripts)', rows: otherKeys, key: (k) => k.id, columns: keyColumns(),
          empty: empty('No API keys.', 'Create one with "New API key", or a service account below.'),
        })}</section>
      <section class="admin-section" aria-labelledby="robot-keys-title"><h2 id="robot-keys-title">Robot keys</h2>
        ${keys === null && !error ? nothing : table({
          caption: 'Robot keys', rows: robotKeys, key: (k) => k.id, columns: keyColumns(),
          empty: empty('No robot keys.', 'Create one with "New API key" and the role robot; robots register with it.'),
        })}</section>
      <section class="admin-section" aria-labelledby="accounts-title" id="service-accounts">
        <div class="page-head"><h2 id="accounts-title">Service accounts</h2>
          <div class="actions">${manageAccounts ? html`<button type="button" id="new-account" @click=${createAccount}>New service account</button>` : nothing}</div></div>
        ${!manageAccounts ? html`<div class="notice">Service accounts need user.manage, which you do not hold.</div>`
          : accountsError ? html`<div class="notice bad" role="alert">${accountsError.message}</div>`
          : accounts === null ? html`<p class="muted">Loading…</p>`
          : accounts.length ? accounts.map(accountCard)
          : html`<div class="panel">${empty('No service accounts.', 'Create one for CI or a script, bind it in a folder, then issue it a key.')}</div>`}
      </section>
      <section aria-labelledby="tokens-title" id="personal-tokens">
        <div class="page-head"><h2 id="tokens-title">Your personal tokens</h2>
          <div class="actions">${person ? html`<button type="button" id="new-token" @click=${createToken}>New personal token</button>` : nothing}</div></div>
        ${!person ? html`<div class="notice">Signed in with an API key: only a person has personal tokens.</div>`
          : tokens === null ? html`<p class="muted">Loading…</p>`
          : table({ caption: 'Your personal tokens', rows: tokens, key: (k) => k.id, columns: keyColumns(true),
            empty: empty('You have no personal tokens.', 'Make one for your own scripts with "New personal token".') })}
      </section>`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
  };
}

/** A date input's day as the end of that day in the viewer's zone (ISO), or null. */
function endOfDay(day) {
  if (!day) return null;
  const d = new Date(`${day}T23:59:59`);
  return Number.isNaN(d.getTime()) ? day : d.toISOString();
}
