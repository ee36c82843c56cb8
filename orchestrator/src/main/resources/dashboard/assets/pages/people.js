// People (user.manage): every user with their status, groups, last sign-in and single sign-on
// identities; create (the one-time set-password token shown once), edit, disable and enable
// (the last-admin guard's refusal said on the page), reset a password (a new token shown once).
import { html, render, nothing } from '../lib/vendor.js';
import { ago, when, badge, empty, table, toast, confirm, debounce, formDialog, showSecretOnce, refusal, pageNotice } from '../lib/ui.js';

export default function mount(host, ctx) {
  let users = null;
  let groupsOf = new Map(); // user id -> [group name]
  let identities = new Map(); // user id -> [identity]
  let error = null;
  let notice = null;
  let text = ctx.query.q || '';
  let stopped = false;
  const manage = ctx.session.may('user.manage', 'root');

  async function load() {
    try {
      const [u, g] = await Promise.all([ctx.api.get('/api/v1/users'), ctx.api.get('/api/v1/groups')]);
      users = u.items;
      error = null;
      const details = await Promise.allSettled(g.items.map((x) => ctx.api.get(`/api/v1/groups/${encodeURIComponent(x.id)}`)));
      groupsOf = new Map();
      for (const d of details) {
        if (d.status !== 'fulfilled') continue;
        for (const m of d.value.members) groupsOf.set(m.user_id, [...(groupsOf.get(m.user_id) || []), d.value.name]);
      }
      const ids = await Promise.allSettled(users.slice(0, 200).map((x) => ctx.api.get(`/api/v1/users/${encodeURIComponent(x.id)}/identities`)));
      identities = new Map(users.slice(0, 200).map((x, i) => [x.id, ids[i].status === 'fulfilled' ? ids[i].value.items : null]));
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }
  const reload = debounce(load, 700);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset) reload();
  });

  function say(text, tone = 'bad') {
    notice = { text, tone };
    draw();
  }

  async function create() {
    const result = await formDialog({
      title: 'New user',
      intro: 'The person sets their own password with a one-time token, shown to you once after this.',
      submitLabel: 'Create user',
      fields: [
        { name: 'username', label: 'Username', required: true, hint: 'Letters, digits and . _ @ - (stored lower-case).' },
        { name: 'display_name', label: 'Display name', hint: 'Defaults to the username.' },
        { name: 'email', label: 'Email', type: 'email' },
      ],
      submit: (v) => ctx.api.post('/api/v1/users', {
        username: v.username.trim(), display_name: v.display_name.trim() || null, email: v.email.trim() || null,
      }),
    });
    if (!result) return;
    notice = { text: `User ${result.user.username} created.`, tone: 'ok' };
    load();
    await tokenShown(result.user, result.set_password);
  }

  function tokenShown(user, t) {
    return showSecretOnce({
      title: `Set-password token for ${user.username}`,
      secret: t.token,
      what: 'one-time token',
      about: html`<p>Give it to ${user.display_name || user.username} by a safe way. It works once, until
        ${when(t.expires_at)}, to set a password: <code>POST ${t.path}</code> with <code>{"token", "password"}</code>.
        An earlier token of this user no longer works.</p>`,
    });
  }

  async function edit(u) {
    const result = await formDialog({
      title: `Edit ${u.username}`,
      submitLabel: 'Save',
      fields: [
        { name: 'display_name', label: 'Display name', value: u.display_name || '' },
        { name: 'email', label: 'Email', type: 'email', value: u.email || '', hint: 'Leave empty to remove the address.' },
      ],
      submit: (v) => ctx.api.patch(`/api/v1/users/${encodeURIComponent(u.id)}`, {
        display_name: v.display_name.trim() || u.username, email: v.email.trim() || null,
      }),
    });
    if (result) {
      toast(`${u.username} saved`, 'ok');
      load();
    }
  }

  async function setEnabled(u, enable) {
    if (!enable && !await confirm({
      title: `Disable ${u.username}?`,
      body: html`<p>They can no longer sign in, and every session of theirs ends at once. Their personal tokens stop working.</p>`,
      confirmLabel: 'Disable', danger: true,
    })) return;
    try {
      await ctx.api.post(`/api/v1/users/${encodeURIComponent(u.id)}/${enable ? 'enable' : 'disable'}`);
      say(`${u.username} ${enable ? 'enabled' : 'disabled: their sessions have ended'}.`, 'ok');
    } catch (err) {
      say(err.code === 'last_admin'
        ? `${u.username} was not disabled: they are the last administrator. Make someone else an admin first. (${err.message})`
        : `${u.username} was not ${enable ? 'enabled' : 'disabled'}: ${refusal(err)}`);
    }
    load();
  }

  async function reset(u) {
    if (!await confirm({
      title: `Reset the password of ${u.username}?`,
      body: html`<p>You get a one-time token for them to set a new password. Their current password works until they do.</p>`,
      confirmLabel: 'Make a token',
    })) return;
    try {
      const t = await ctx.api.post(`/api/v1/users/${encodeURIComponent(u.id)}/reset-password`);
      notice = null;
      draw();
      await tokenShown(u, t);
    } catch (err) {
      say(`No token made: ${refusal(err)}`);
    }
  }

  function shown() {
    const t = text.toLowerCase();
    return (users || []).filter((u) => !t || [u.username, u.display_name, u.email, ...(groupsOf.get(u.id) || [])]
      .some((v) => v && v.toLowerCase().includes(t)));
  }

  function draw() {
    render(html`
      <div class="page-head"><h1>People</h1>
        <span class="muted">${users ? `${users.length} in all · ${users.filter((u) => u.status === 'active').length} active` : ''}</span>
        <div class="actions">${manage ? html`<button type="button" class="primary" id="new-user" @click=${create}>New user</button>` : nothing}</div></div>
      ${pageNotice(notice)}
      ${error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      <div class="filters" role="search">
        <div class="field"><label for="people-text">Name, email or group</label>
          <input id="people-text" type="search" .value=${text} @input=${(e) => { text = e.target.value; ctx.setQuery({ q: text }); draw(); }}></div>
      </div>
      ${users === null && !error ? html`<p class="muted">Loading…</p>` : table({
        caption: 'People',
        rows: shown(),
        key: (u) => u.username,
        empty: users && users.length ? empty('No one matches this filter.')
          : empty('No users yet.', 'Create one with "New user"; the first admin comes from casare-rpa orchestrator create-user --admin.'),
        columns: [
          { label: 'Person', cell: (u) => html`<strong>${u.display_name || u.username}</strong>
              <div class="muted small"><span class="mono">${u.username}</span>${u.email ? ` · ${u.email}` : ''}</div>` },
          { label: 'Status', cell: (u) => html`${badge(u.status)}${u.locked_until && new Date(u.locked_until) > new Date()
              ? html`<div class="small">locked until ${when(u.locked_until)}</div>` : nothing}` },
          { label: 'Groups', cell: (u) => (groupsOf.get(u.id) || []).join(', ') || html`<span class="muted">none</span>` },
          { label: 'Last sign-in', cell: (u) => (u.last_login_at ? ago(u.last_login_at) : html`<span class="muted">never</span>`) },
          { label: 'Identities', cell: (u) => identityCell(identities.get(u.id)) },
          { label: 'Actions', cls: 'nowrap', cell: (u) => html`<div class="row">
              <button type="button" data-action="edit" @click=${() => edit(u)}>Edit</button>
              ${u.status === 'active'
                ? html`<button type="button" class="danger" data-action="disable" @click=${() => setEnabled(u, false)}>Disable</button>`
                : html`<button type="button" data-action="enable" @click=${() => setEnabled(u, true)}>Enable</button>`}
              <button type="button" data-action="reset" @click=${() => reset(u)}>Reset password</button></div>` },
        ],
      })}`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
  };
}

function identityCell(list) {
  if (list === undefined || list === null) return html`<span class="muted">—</span>`;
  if (!list.length) return html`<span class="muted">password only</span>`;
  return html`<ul class="plain compact">${list.map((i) => html`<li class="small" title=${`linked ${i.linked_at}`}>
    <span class="mono">${i.subject}</span> at ${hostOf(i.issuer)}${i.email ? html` <span class="muted">(${i.email})</span>` : nothing}</li>`)}</ul>`;
}

function hostOf(issuer) {
  try {
    return new URL(issuer).host;
  } catch {
    return issuer;
  }
}
