// Groups (user.manage): each group with its members and the identity provider's group it stands
// for (external name); create, rename or describe, delete (confirmed), add and remove members.
import { html, render, nothing } from '../lib/vendor.js';
import { badge, empty, toast, confirm, debounce, formDialog, refusal, pageNotice } from '../lib/ui.js';

export default function mount(host, ctx) {
  let groups = null;
  let users = [];
  let error = null;
  let notice = null;
  let stopped = false;

  async function load() {
    try {
      const [g, u] = await Promise.all([ctx.api.get('/api/v1/groups'), ctx.api.get('/api/v1/users')]);
      users = u.items;
      if (!groups) {
        groups = g.items.map((x) => ({ ...x, members: null })); // the groups first; their members follow
        if (!stopped) draw();
      }
      groups = await Promise.all(g.items.map((x) => ctx.api.get(`/api/v1/groups/${encodeURIComponent(x.id)}`)));
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

  const fields = (g = {}) => [
    { name: 'name', label: 'Name', required: true, value: g.name || '' },
    { name: 'description', label: 'Description', type: 'textarea', value: g.description || '' },
    { name: 'external_name', label: 'External (single sign-on) name', value: g.external_name || '',
      hint: 'The value of the identity provider\'s groups claim whose members belong to this group; empty for none.' },
  ];
  const body = (v) => ({ name: v.name.trim(), description: v.description.trim(), external_name: v.external_name.trim() || null });

  async function create() {
    const g = await formDialog({
      title: 'New group', submitLabel: 'Create group', fields: fields(),
      submit: (v) => ctx.api.post('/api/v1/groups', body(v)),
    });
    if (g) {
      notice = { text: `Group ${g.name} created. Bind it to roles on the Folders page.`, tone: 'ok' };
      load();
    }
  }

  async function edit(g) {
    const saved = await formDialog({
      title: `Edit group ${g.name}`, fields: fields(g),
      submit: (v) => ctx.api.patch(`/api/v1/groups/${encodeURIComponent(g.id)}`, body(v)),
    });
    if (saved) {
      toast(`Group ${saved.name} saved`, 'ok');
      load();
    }
  }

  async function remove(g) {
    if (!await confirm({
      title: `Delete group ${g.name}?`,
      body: html`<p>Its ${g.member_count} memberships and its role bindings go; its members lose what the group gave them at once.</p>`,
      confirmLabel: 'Delete', danger: true,
    })) return;
    try {
      await ctx.api.del(`/api/v1/groups/${encodeURIComponent(g.id)}`);
      notice = { text: `Group ${g.name} deleted.`, tone: 'ok' };
    } catch (err) {
      notice = { text: `Group ${g.name} was not deleted: ${refusal(err)}` };
    }
    load();
  }

  async function addMember(g) {
    const outside = users.filter((u) => !(g.members || []).some((m) => m.user_id === u.id));
    if (!outside.length) {
      notice = { text: 'Everyone is a member of this group already.', tone: 'warn' };
      return draw();
    }
    const saved = await formDialog({
      title: `Add a member to ${g.name}`,
      intro: 'The member gets the roles bound to the group, at once.',
      submitLabel: 'Add member',
      fields: [{ name: 'user', label: 'Person', type: 'select', value: outside[0].id,
        options: outside.map((u) => ({ value: u.id, label: `${u.display_name || u.username} (${u.username})${u.status === 'disabled' ? ' · disabled' : ''}` })) }],
      submit: (v) => ctx.api.put(`/api/v1/groups/${encodeURIComponent(g.id)}/members/${encodeURIComponent(v.user)}`),
    });
    if (saved) {
      toast(`Member added to ${g.name}`, 'ok');
      load();
    }
  }

  async function removeMember(g, m) {
    if (!await confirm({
      title: `Take ${m.username} out of ${g.name}?`,
      body: html`<p>They lose the roles the group gives at once.${m.source === 'oidc' ? ' Their next single sign-on may add them again (the provider says they belong).' : ''}</p>`,
      confirmLabel: 'Remove', danger: true,
    })) return;
    try {
      await ctx.api.del(`/api/v1/groups/${encodeURIComponent(g.id)}/members/${encodeURIComponent(m.user_id)}`);
      notice = null;
    } catch (err) {
      notice = { text: `${m.username} is still a member: ${refusal(err)}` };
    }
    load();
  }

  function card(g) {
    const headId = 'group-' + g.id;
    return html`<section class="panel group-card" aria-labelledby=${headId} data-group=${g.name}>
      <div class="page-head"><h2 id=${headId}>${g.name}</h2>
        ${g.external_name ? html`<span class="badge info" title="The identity provider's group">SSO: ${g.external_name}</span>` : nothing}
        <div class="actions">
          <button type="button" data-action="add-member" @click=${() => addMember(g)}>Add member</button>
          <button type="button" data-action="edit" @click=${() => edit(g)}>Edit</button>
          <button type="button" class="danger" data-action="delete" @click=${() => remove(g)}>Delete</button></div></div>
      ${g.description ? html`<p class="muted">${g.description}</p>` : nothing}
      ${g.members === null ? html`<p class="muted">${g.member_count} members; loading…</p>` : g.members.length ? html`<ul class="plain members" aria-label=${`Members of ${g.name}`}>${g.members.map((m) => html`<li class="row">
          <span>${m.username}</span> ${m.status === 'disabled' ? badge('disabled') : nothing}
          <span class="muted small">${m.source === 'oidc' ? 'from single sign-on' : 'added here'}</span>
          <span class="spacer"></span>
          <button type="button" class="link" aria-label=${`Remove ${m.username} from ${g.name}`} @click=${() => removeMember(g, m)}>Remove</button></li>`)}</ul>`
        : html`<p class="muted">No members yet: add people with "Add member"${g.external_name ? ', or they join when they sign in with single sign-on' : ''}.</p>`}
    </section>`;
  }

  function draw() {
    render(html`
      <div class="page-head"><h1>Groups</h1>
        <span class="muted">${groups ? `${groups.length} groups` : ''}</span>
        <div class="actions"><button type="button" class="primary" id="new-group" @click=${create}>New group</button></div></div>
      ${pageNotice(notice)}
      ${error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      ${groups === null && !error ? html`<p class="muted">Loading…</p>`
        : groups && groups.length ? groups.map(card)
        : html`<div class="panel">${empty('No groups yet.', 'Create one, add people, then bind it to roles in folders (Folders page).')}</div>`}`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    unsubscribe();
  };
}
