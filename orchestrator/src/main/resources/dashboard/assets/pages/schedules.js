// Schedules: the list (workflow, cron, time zone, the next fires in the schedule's zone with
// their UTC offset, so a daylight-saving change shows), enable/disable, trigger now, Export CSV,
// and the create form with a live cron preview (GET /api/v1/schedules/preview as the person types).
import { html, render, nothing } from '../lib/vendor.js';
import { empty, table, toast, debounce, fieldError, formError, invalid, fireTimes, parseJsonObject, csvLink } from '../lib/ui.js';

const SHOWN_FIRES = 3;
const FIRES_FOR_AT_MOST = 50;

export default function mount(host, ctx) {
  let items = null;
  let fires = new Map(); // schedule id -> [{at, weekday}]
  let names = new Map(); // workflow id -> name
  let error = null;
  let stopped = false;
  let creating = ctx.query.new === '1';
  const form = scheduleState();

  async function load() {
    try {
      const [list, wf] = await Promise.all([
        ctx.api.get('/api/v1/schedules', { folder: ctx.folder }),
        workflowNames(ctx),
      ]);
      items = list.items;
      names = wf;
      error = null;
      // The next fires of each enabled schedule, as its zone's clock reads them; a long list
      // shows the next one only (next_fire_at, with its offset), not a request per schedule.
      const enabled = items.filter((s) => s.enabled);
      const next = enabled.length > FIRES_FOR_AT_MOST ? [] : await Promise.allSettled(enabled
        .map((s) => ctx.api.get(`/api/v1/schedules/${encodeURIComponent(s.id)}/next`, { count: SHOWN_FIRES }).then((r) => [s.id, r.items])));
      fires = new Map(next.filter((r) => r.status === 'fulfilled').map((r) => r.value));
    } catch (err) {
      error = err;
    }
    if (!stopped) draw();
  }
  const reload = debounce(load, 700);
  const unsubscribe = ctx.feed.subscribe((batch) => {
    if (batch.reset || batch.changes.some((c) => c.kind === 'schedule')) reload();
  });

  async function setEnabled(s, enabled) {
    try {
      await ctx.api.post(`/api/v1/schedules/${encodeURIComponent(s.id)}/${enabled ? 'enable' : 'disable'}`);
      toast(`${s.name} ${enabled ? 'enabled' : 'disabled'}`, 'ok');
      load();
    } catch (err) {
      toast(err.message, 'bad');
      draw();
    }
  }

  function openForm(open) {
    creating = open;
    ctx.setQuery({ new: open ? '1' : '', folder: ctx.folder });
    draw();
    host.querySelector(open ? '#schedule-name' : '#new-schedule')?.focus();
  }

  function draw() {
    if (stopped) return;
    const mayCreate = (ctx.session.folders.length ? ctx.session.folders : [{ id: 'root' }]).some((f) => ctx.session.may('schedule.change', f.id));
    render(html`
      <div class="page-head"><h1>Schedules</h1>
        <span class="muted">${items ? `${items.length} in all · ${items.filter((s) => s.enabled).length} enabled` : ''}</span>
        <div class="actions">${csvLink('/api/v1/schedules', { folder: ctx.folder })}
          ${mayCreate && !creating ? html`<button type="button" class="primary" id="new-schedule" @click=${() => openForm(true)}>New schedule</button>` : nothing}</div></div>
      ${error ? html`<div class="notice bad" role="alert">${error.message}</div>` : nothing}
      ${creating ? html`<section class="panel" aria-labelledby="new-title"><h2 id="new-title">New schedule</h2>
          ${scheduleForm(ctx, form, draw, {
            names,
            onSaved: (s) => ctx.navigate('/schedules/' + encodeURIComponent(s.id)),
            onCancel: () => openForm(false),
          })}</section>` : nothing}
      ${items === null && !error ? html`<p class="muted">Loading…</p>` : table({
        caption: 'Schedules',
        rows: items,
        key: (s) => s.id,
        empty: empty('No schedule yet.', mayCreate
          ? html`<button type="button" class="link" @click=${() => openForm(true)}>Create one</button>, or deploy with <code>--trigger schedule --cron "0 9 * * 1-5"</code>.`
          : 'Someone with the operator role creates schedules.'),
        columns: [
          { label: 'Schedule', cell: (s) => html`<a href=${'/schedules/' + encodeURIComponent(s.id)}>${s.name}</a>` },
          { label: 'Workflow', cell: (s) => html`<a href=${'/workflows/' + encodeURIComponent(s.workflow_id)}>${names.get(s.workflow_id) || s.workflow_id}</a>` },
          { label: 'Cron', cls: 'nowrap', cell: (s) => html`<code>${s.cron}</code>` },
          { label: 'Time zone', cell: (s) => s.timezone },
          { label: 'Next fires', cls: 'nowrap', cell: (s) => (s.enabled ? fireTimes(fires.get(s.id) || (s.next_fire_at ? [s.next_fire_at] : [])) : html`<span class="muted">disabled</span>`) },
          { label: 'Enabled', cell: (s) => enabledToggle(ctx, s, setEnabled) },
          { label: 'Actions', cls: 'nowrap', cell: (s) => (may(ctx, s) ? html`<button type="button" data-action="trigger" @click=${() => triggerNow(ctx, s, load)}>Trigger now</button>` : nothing) },
        ],
      })}`, host);
  }

  draw();
  load();
  return () => {
    stopped = true;
    clearTimeout(form.previewTimer);
    unsubscribe();
  };
}

const may = (ctx, s) => ctx.session.may('schedule.change', (s.folder && s.folder.id) || 'root');

/** The enabled switch of a schedule (a plain text state for those who may not change it). */
export function enabledToggle(ctx, s, setEnabled) {
  if (!may(ctx, s)) return html`<span class="badge ${s.enabled ? 'ok' : ''}">${s.enabled ? 'enabled' : 'disabled'}</span>`;
  const id = 'enabled-' + s.id;
  return html`<span class="switch"><input type="checkbox" role="switch" id=${id} .checked=${s.enabled}
      @change=${(e) => setEnabled(s, e.target.checked)}><label for=${id}>${s.enabled ? 'Enabled' : 'Disabled'}<span class="visually-hidden"> (${s.name})</span></label></span>`;
}

/** Starts a job of the schedule now and says which (or why none). */
export async function triggerNow(ctx, s, after) {
  try {
    const f = await ctx.api.post(`/api/v1/schedules/${encodeURIComponent(s.id)}/trigger`);
    toast(f.job_id ? `${s.name}: job ${f.job_id} started` : `${s.name}: nothing started (${f.reason})`, f.job_id ? 'ok' : 'bad');
    after();
  } catch (err) {
    toast(err.message, 'bad');
  }
}

/** Workflow names by id (an empty map for those who may not read workflows). */
export async function workflowNames(ctx) {
  try {
    const page = await ctx.api.get('/api/v1/workflows', { limit: 500 });
    return new Map(page.items.map((w) => [w.id, w.name]));
  } catch {
    return new Map();
  }
}

const MISFIRE = [
  ['fire_once', 'Fire once for the latest missed time'],
  ['skip', 'Skip missed times'],
  ['fire_all', 'Fire every missed time (up to the limit)'],
];
const OVERLAP = [
  ['allow', 'Allow: start a job at every fire'],
  ['skip', 'Skip a fire while the previous job is active'],
];
let zones = null;

/** A create or edit form's state; `from` is the schedule being edited. */
export function scheduleState(from = null) {
  const job = (from && from.job) || {};
  return {
    editing: from,
    name: from ? from.name : '',
    workflow: '',
    cron: from ? from.cron : '0 9 * * 1-5',
    timezone: from ? from.timezone : Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
    misfire_policy: from ? from.misfire_policy : 'fire_once',
    misfire_limit: from ? String(from.misfire_limit ?? 10) : '10',
    overlap_policy: from ? from.overlap_policy : 'allow',
    enabled: from ? from.enabled : true,
    variables: JSON.stringify(job.variables || {}, null, 2),
    priority: job.priority !== undefined ? String(job.priority) : '',
    preview: null, previewError: null, previewSeq: 0, previewFor: null,
    error: null, busy: false,
  };
}

/**
 * The form that creates a schedule (`f.editing` null) or changes one: name, workflow (create
 * only), cron and time zone with the next fire times previewed as they are typed, misfire and
 * overlap policies, enabled, job variables and priority. The server's field errors show next to
 * their fields; nothing is saved when one is wrong.
 */
export function scheduleForm(ctx, f, redraw, { names = new Map(), onSaved, onCancel }) {
  if (f.previewFor === null) queuePreview(ctx, f, redraw, 0);
  const vars = parseJsonObject(f.variables);
  const err = f.error;

  async function submit(e) {
    e.preventDefault();
    if (vars.error) return redraw();
    const body = {
      name: f.name.trim(), cron: f.cron.trim(), timezone: f.timezone.trim(), enabled: f.enabled,
      misfire_policy: f.misfire_policy, overlap_policy: f.overlap_policy,
      job: { variables: vars.value },
    };
    if (f.misfire_policy === 'fire_all') body.misfire_limit = Number(f.misfire_limit);
    if (f.priority.trim() !== '') body.job.priority = Number(f.priority);
    if (!f.editing) body.workflow_id = f.workflow;
    f.busy = true;
    f.error = null;
    redraw();
    try {
      const s = f.editing
        ? await ctx.api.patch(`/api/v1/schedules/${encodeURIComponent(f.editing.id)}`, body)
        : await ctx.api.post('/api/v1/schedules', body);
      toast(`${s.name} ${f.editing ? 'saved' : 'created'}`, 'ok');
      f.busy = false;
      onSaved(s);
      return;
    } catch (ex) {
      f.error = ex;
    }
    f.busy = false;
    redraw();
  }

  const set = (key, again = false) => (e) => {
    f[key] = e.target.type === 'checkbox' ? e.target.checked : e.target.value;
    if (f.error && f.error.field === key) f.error = null;
    if (again) queuePreview(ctx, f, redraw);
    else if (key === 'variables' || key === 'misfire_policy') redraw();
  };
  const cronError = f.previewError && f.previewError.field !== 'timezone' ? f.previewError : null;
  const zoneError = f.previewError && f.previewError.field === 'timezone' ? f.previewError : null;
  const workflowIds = [...names.keys()].sort((a, b) => names.get(a).localeCompare(names.get(b)));
  if (!f.editing && !f.workflow && workflowIds.length) f.workflow = workflowIds[0];
  zones = zones || (Intl.supportedValuesOf ? Intl.supportedValuesOf('timeZone') : []);

  return html`<form class="schedule-form" @submit=${submit} novalidate>
    <div class="form-grid">
      <div class="field"><label for="schedule-name">Name</label>
        <input id="schedule-name" .value=${f.name} @input=${set('name')} aria-invalid=${invalid(err, 'name')}>${fieldError(err, 'name')}</div>
      ${f.editing ? nothing : html`<div class="field"><label for="schedule-workflow">Workflow</label>
        ${workflowIds.length ? html`<select id="schedule-workflow" @change=${set('workflow')} aria-invalid=${invalid(err, 'workflow_id')}>
            ${workflowIds.map((id) => html`<option value=${id} ?selected=${f.workflow === id}>${names.get(id)}</option>`)}
          </select>`
          : html`<input id="schedule-workflow" .value=${f.workflow} @input=${set('workflow')} placeholder="workflow id" aria-invalid=${invalid(err, 'workflow_id')}>`}
        ${fieldError(err, 'workflow_id')}</div>`}
      <div class="field"><label for="schedule-cron">Cron</label>
        <input id="schedule-cron" class="mono" .value=${f.cron} @input=${set('cron', true)} spellcheck="false"
          aria-invalid=${cronError || invalid(err, 'cron') === 'true' ? 'true' : 'false'} aria-describedby="cron-hint">
        <div class="hint" id="cron-hint">minute hour day-of-month month day-of-week, e.g. <code>0 9 * * 1-5</code>, or <code>@daily</code></div>
        ${cronError ? html`<div class="error" id="err-cron" role="alert">${cronError.message}</div>` : fieldError(err, 'cron')}</div>
      <div class="field"><label for="schedule-timezone">Time zone</label>
        <input id="schedule-timezone" list="zones" .value=${f.timezone} @input=${set('timezone', true)} spellcheck="false"
          aria-invalid=${zoneError || invalid(err, 'timezone') === 'true' ? 'true' : 'false'}>
        <datalist id="zones">${zones.map((z) => html`<option value=${z}></option>`)}</datalist>
        ${zoneError ? html`<div class="error" id="err-timezone" role="alert">${zoneError.message}</div>` : fieldError(err, 'timezone')}</div>
    </div>
    <div class="preview" aria-live="polite" id="cron-preview">
      <h3>Next fires${f.preview ? html` in ${f.preview.timezone}` : nothing}</h3>
      ${f.preview ? fireTimes(f.preview.items) : f.previewError ? html`<span class="muted">none: the expression is not valid yet</span>` : html`<span class="muted">…</span>`}
    </div>
    <div class="form-grid">
      <div class="field"><label for="schedule-misfire">When fires were missed (server down)</label>
        <select id="schedule-misfire" @change=${set('misfire_policy')} aria-invalid=${invalid(err, 'misfire_policy')}>
          ${MISFIRE.map(([v, l]) => html`<option value=${v} ?selected=${f.misfire_policy === v}>${l}</option>`)}</select>
        ${fieldError(err, 'misfire_policy')}</div>
      ${f.misfire_policy === 'fire_all' ? html`<div class="field"><label for="schedule-misfire-limit">At most this many missed fires</label>
        <input id="schedule-misfire-limit" type="number" min="1" max="1000" .value=${f.misfire_limit} @input=${set('misfire_limit')} aria-invalid=${invalid(err, 'misfire_limit')}>
        ${fieldError(err, 'misfire_limit')}</div>` : nothing}
      <div class="field"><label for="schedule-overlap">While the previous job is still active</label>
        <select id="schedule-overlap" @change=${set('overlap_policy')} aria-invalid=${invalid(err, 'overlap_policy')}>
          ${OVERLAP.map(([v, l]) => html`<option value=${v} ?selected=${f.overlap_policy === v}>${l}</option>`)}</select>
        ${fieldError(err, 'overlap_policy')}</div>
      <div class="field"><label for="schedule-priority">Job priority (0–20, optional)</label>
        <input id="schedule-priority" type="number" min="0" max="20" .value=${f.priority} @input=${set('priority')} aria-invalid=${invalid(err, 'job.priority')}>
        ${fieldError(err, 'job.priority')}</div>
    </div>
    <div class="field"><label for="schedule-variables">Job variables (JSON)</label>
      <textarea id="schedule-variables" rows="4" spellcheck="false" .value=${f.variables} @input=${set('variables')}
        aria-invalid=${vars.error || invalid(err, 'job.variables') === 'true' ? 'true' : 'false'}></textarea>
      ${vars.error ? html`<div class="error" role="alert">Not valid JSON yet: ${vars.error}</div>` : fieldError(err, 'job.variables')}</div>
    <div class="field"><label class="inline"><input type="checkbox" id="schedule-enabled" .checked=${f.enabled} @change=${set('enabled')}> Enabled</label></div>
    ${formError(err, ['name', 'workflow_id', 'cron', 'timezone', 'misfire_policy', 'misfire_limit', 'overlap_policy', 'job.priority', 'job.variables'])}
    <div class="row">
      <button type="submit" class="primary" ?disabled=${f.busy}>${f.busy ? 'Saving…' : f.editing ? 'Save' : 'Create schedule'}</button>
      <button type="button" @click=${onCancel}>Cancel</button>
    </div>
  </form>`;
}

/** Asks for the fire times of the cron and zone as typed, debounced; only the latest answer counts. */
function queuePreview(ctx, f, redraw, ms = 350) {
  f.previewFor = `${f.cron}\n${f.timezone}`;
  clearTimeout(f.previewTimer);
  f.previewTimer = setTimeout(async () => {
    const seq = ++f.previewSeq;
    try {
      const answer = await ctx.api.get('/api/v1/schedules/preview', { cron: f.cron.trim(), timezone: f.timezone.trim(), count: 6 });
      if (seq !== f.previewSeq) return;
      f.preview = answer;
      f.previewError = null;
    } catch (err) {
      if (seq !== f.previewSeq) return;
      f.preview = null;
      f.previewError = err.status === 400 ? err : { field: null, message: `No preview: ${err.message}` };
    }
    redraw();
  }, ms);
}
