// Small pieces every page uses: times in the viewer's zone (UTC on hover), badges, empty
// states, tables, field errors, confirmations and notices.
import { html, nothing, render } from './vendor.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const timeOnly = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** An instant in the viewer's time zone, UTC on hover; '—' when absent. */
export function when(iso, { short = false } = {}) {
  if (!iso) return html`<span class="muted">—</span>`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const today = new Date().toDateString() === d.toDateString();
  const text = short && today ? timeOnly.format(d) : dateTime.format(d);
  return html`<time datetime=${d.toISOString()} title=${d.toISOString().replace('.000Z', 'Z') + ' (UTC)'}>${text}</time>`;
}

/** "3 min ago", "in 2 h" (with the instant on hover). */
export function ago(iso) {
  if (!iso) return html`<span class="muted">—</span>`;
  const d = new Date(iso);
  return html`<time datetime=${d.toISOString()} title=${dateTime.format(d) + ' · ' + d.toISOString() + ' (UTC)'}>${relative(d)}</time>`;
}

export function relative(d, now = Date.now()) {
  const s = Math.round((d.getTime() - now) / 1000);
  const a = Math.abs(s);
  const text = a < 45 ? `${a} s` : a < 5400 ? `${Math.round(a / 60)} min` : a < 129600 ? `${Math.round(a / 3600)} h` : `${Math.round(a / 86400)} d`;
  return s <= 0 ? `${text} ago` : `in ${text}`;
}

/** A duration in seconds as "1 h 5 min", "42 s", "850 ms". */
export function duration(seconds) {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 90) return `${Math.round(seconds)} s`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  return `${h} h ${Math.round((seconds - h * 3600) / 60)} min`;
}

export const number = (n) => (n === null || n === undefined ? '—' : new Intl.NumberFormat().format(n));

const TONES = {
  succeeded: 'ok', online: 'ok', enabled: 'ok', active: 'ok', healthy: 'ok',
  running: 'info', assigned: 'info', busy: 'info', pending: 'warn', retrying: 'warn', maintenance: 'warn', cancelling: 'warn',
  failed: 'bad', timed_out: 'bad', offline: 'bad', disabled: '', cancelled: '', revoked: 'bad', expired: '',
};

/** A state or status as a coloured badge (its text says it; colour is never the only sign). */
export function badge(state) {
  if (!state) return nothing;
  return html`<span class="badge ${TONES[state] ?? ''}">${String(state).replace('_', ' ')}</span>`;
}

/** What an empty list says, and what to do next. */
export function empty(title, next) {
  return html`<div class="empty"><strong>${title}</strong>${next ? html`<span>${next}</span>` : nothing}</div>`;
}

/**
 * A table: columns [{label, cell(row), cls}] over rows; `empty` shows when there are none.
 * Wrapped so that it scrolls sideways on a narrow screen; the wrapper takes the focus (a region
 * named by the caption), so that a table without links or buttons scrolls by keyboard too.
 */
export function table({ columns, rows, empty: emptyView, caption, key }) {
  if (!rows || rows.length === 0) return html`<div class="panel">${emptyView ?? empty('Nothing here yet.')}</div>`;
  return html`<div class="table-wrap" role="region" tabindex="0" aria-label=${caption || 'Table'}><table>
    ${caption ? html`<caption class="visually-hidden">${caption}</caption>` : nothing}
    <thead><tr>${columns.map((c) => html`<th scope="col" class=${c.cls ?? ''}>${c.label}</th>`)}</tr></thead>
    <tbody>${rows.map((r) => html`<tr data-key=${key ? key(r) : nothing}>${columns.map((c) => html`<td class=${c.cls ?? ''}>${c.cell(r)}</td>`)}</tr>`)}</tbody>
  </table></div>`;
}

/** The server's error for one field of a form, shown next to it ({field, message} from ApiError). */
export function fieldError(error, name) {
  if (!error || error.field !== name) return nothing;
  return html`<div class="error" id=${'err-' + name} role="alert">${error.message}</div>`;
}

/** The error of a form that names no field of it (or any other failure). */
export function formError(error, fields = []) {
  if (!error || (error.field && fields.includes(error.field))) return nothing;
  return html`<div class="form-error notice bad" role="alert">${error.message}</div>`;
}

/** aria-invalid for an input the server refused. */
export const invalid = (error, name) => (error && error.field === name ? 'true' : 'false');

// Notices in a corner, gone after a while.
let toastHost;
export function toast(message, tone = 'info') {
  if (!toastHost) {
    toastHost = document.createElement('div');
    toastHost.className = 'toasts';
    toastHost.setAttribute('role', 'status');
    toastHost.setAttribute('aria-live', 'polite');
    document.body.append(toastHost);
  }
  const el = document.createElement('div');
  el.className = `toast ${tone}`;
  el.textContent = message;
  toastHost.append(el);
  setTimeout(() => el.remove(), tone === 'bad' ? 9000 : 4500);
}

/**
 * A modal dialog (the browser's <dialog>): resolves true when confirmed. `body` is a template;
 * `danger` makes the confirming button say so.
 */
export function confirm({ title, body, confirmLabel = 'Confirm', danger = false }) {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    dialog.setAttribute('aria-labelledby', 'dialog-title');
    document.body.append(dialog);
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    render(html`<h2 id="dialog-title">${title}</h2><div>${body}</div>
      <div class="buttons">
        <button type="button" @click=${() => close(false)}>Cancel</button>
        <button type="button" class=${danger ? 'danger' : 'primary'} @click=${() => close(true)}>${confirmLabel}</button>
      </div>`, dialog);
    dialog.addEventListener('cancel', () => close(false));
    dialog.showModal();
  });
}

/** A dialog holding a form (template built by `view(close)`); resolves with what close() is given. */
export function dialogForm(view) {
  return new Promise((resolve) => {
    const dialog = document.createElement('dialog');
    document.body.append(dialog);
    const close = (value) => {
      dialog.close();
      dialog.remove();
      resolve(value);
    };
    const draw = () => render(view(close, draw), dialog);
    draw();
    dialog.addEventListener('cancel', () => close(undefined));
    dialog.showModal();
  });
}

/** A link to the CSV export of a list with its current filter. */
export function csvLink(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries({ ...query, format: 'csv' })) {
    if (v !== undefined && v !== null && v !== '') q.append(k, v);
  }
  return html`<a class="button" href=${`${path}?${q}`} download>Export CSV</a>`;
}

/**
 * After the pager button `pressed` read its page: when that was the last (or the first) page, the
 * button is now disabled and would take the focus with it to the top of the document; the focus
 * moves to the `other` button instead.
 */
export function keepPagerFocus(host, pressed, other) {
  const was = host.querySelector(pressed);
  const then = host.querySelector(other);
  if (was && was.disabled && then && !then.disabled && [was, document.body].includes(document.activeElement)) then.focus();
}

/** Debounces fn: runs once, `ms` after the last call. */
export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}

/** A tiny line chart of recent values (a robot's cpu and memory). */
export function sparkline(series, { max = 100, cls = '' } = {}) {
  const values = series.filter((v) => v !== null && v !== undefined);
  if (values.length < 2) return html`<span class="muted small">no data</span>`;
  const w = 90;
  const h = 22;
  const step = w / (series.length - 1);
  const points = series
    .map((v, i) => (v === null || v === undefined ? null : `${(i * step).toFixed(1)},${(h - 1 - (Math.min(v, max) / max) * (h - 2)).toFixed(1)}`))
    .filter(Boolean)
    .join(' ');
  return html`<svg class="spark" viewBox="0 0 ${w} ${h}" role="img" aria-label=${`last ${values.length} samples, latest ${Math.round(values[values.length - 1])}`}>
    <polyline class=${cls} points=${points}></polyline></svg>`;
}

// ---- Administration pages (people, groups, folders, keys, audit) ----

/**
 * A dialog with a form of `fields` ({name, label, type ('text', 'email', 'textarea', 'select',
 * 'date', 'number'), value, options [{value, label}], hint, required, autocomplete}). `submit(values)`
 * saves; a refusal keeps the dialog open with what was typed, the server's error next to its
 * field (or above the form). Resolves with what `submit` returned, or undefined when cancelled.
 */
export function formDialog({ title, intro, fields, submitLabel = 'Save', submit, danger = false }) {
  const values = Object.fromEntries(fields.map((f) => [f.name, f.value ?? '']));
  let error = null;
  let busy = false;
  const titleId = 'dialog-title-' + Math.random().toString(36).slice(2, 8);
  return dialogForm((close, draw) => {
    async function onSubmit(e) {
      e.preventDefault();
      busy = true;
      error = null;
      draw();
      try {
        const result = await submit({ ...values });
        close(result === undefined ? true : result);
      } catch (err) {
        error = err;
        busy = false;
        draw();
        const bad = document.querySelector('dialog [aria-invalid="true"]') || document.querySelector('dialog input, dialog select, dialog textarea');
        if (bad) bad.focus();
      }
    }
    const set = (name) => (e) => { values[name] = e.target.value; };
    const control = (f) => {
      const id = 'f-' + f.name;
      const described = [f.hint ? id + '-hint' : null, error && error.field === f.name ? 'err-' + f.name : null].filter(Boolean).join(' ') || nothing;
      if (f.type === 'select') {
        return html`<select id=${id} name=${f.name} aria-invalid=${invalid(error, f.name)} aria-describedby=${described} @change=${set(f.name)}>
          ${f.options.map((o) => html`<option value=${o.value} ?selected=${String(values[f.name]) === String(o.value)}>${o.label}</option>`)}</select>`;
      }
      if (f.type === 'textarea') {
        return html`<textarea id=${id} name=${f.name} aria-invalid=${invalid(error, f.name)} aria-describedby=${described}
          .value=${values[f.name]} @input=${set(f.name)}></textarea>`;
      }
      return html`<input id=${id} name=${f.name} type=${f.type || 'text'} ?required=${!!f.required} list=${f.list || nothing}
        autocomplete=${f.autocomplete || 'off'} aria-invalid=${invalid(error, f.name)} aria-describedby=${described}
        .value=${String(values[f.name])} @input=${set(f.name)}>`;
    };
    return html`<form class="admin-form" aria-labelledby=${titleId} @submit=${onSubmit} novalidate>
      <h2 id=${titleId}>${title}</h2>
      ${intro ? html`<p class="muted">${intro}</p>` : nothing}
      ${formError(error, fields.map((f) => f.name))}
      ${fields.map((f) => html`<div class="field"><label for=${'f-' + f.name}>${f.label}</label>${control(f)}
        ${f.hint ? html`<div class="hint" id=${'f-' + f.name + '-hint'}>${f.hint}</div>` : nothing}
        ${fieldError(error, f.name)}</div>`)}
      <div class="buttons">
        <button type="button" @click=${() => close(undefined)}>Cancel</button>
        <button type="submit" class=${danger ? 'danger' : 'primary'} ?disabled=${busy}>${busy ? 'Saving…' : submitLabel}</button>
      </div></form>`;
  });
}

/**
 * Shows a secret made just now (an API key, a personal token, a set-password token) once, in a
 * dialog with a copy button and a notice to store it now. It is never put in the URL, in storage
 * or in a toast, and it leaves the page when the dialog closes.
 */
export function showSecretOnce({ title, secret, what = 'key', about }) {
  let copied = '';
  return dialogForm((close, draw) => {
    async function copy() {
      const input = document.getElementById('secret-once');
      try {
        await navigator.clipboard.writeText(secret);
        copied = 'Copied.';
      } catch {
        input.select();
        copied = document.execCommand('copy') ? 'Copied.' : 'Select the text and copy it.';
      }
      draw();
    }
    return html`<div class="secret-once">
      <h2 id="secret-title">${title}</h2>
      <div class="notice warn" role="alert"><strong>Store it now.</strong> This ${what} is shown only this once: the server
        keeps only its hash, and it cannot be shown again.</div>
      ${about ? html`<div class="secret-about">${about}</div>` : nothing}
      <div class="field"><label for="secret-once">The ${what}</label>
        <div class="row nowrap-row"><input id="secret-once" class="mono secret-value" readonly .value=${secret}
          @focus=${(e) => e.target.select()}>
        <button type="button" id="copy-secret" @click=${copy}>Copy</button></div>
        <div class="hint" role="status">${copied}</div></div>
      <div class="buttons"><button type="button" class="primary" id="secret-done" @click=${() => close(true)}>I have stored it</button></div>
    </div>`;
  });
}

/** The message of a refusal, with the server's reason code when it says more (last_admin, …). */
export function refusal(err) {
  return err && err.code && !['http_' + err.status, 'invalid_request', 'forbidden', 'not_found', 'conflict'].includes(err.code)
    ? `${err.message} (${err.code})` : (err ? err.message : '');
}

/** A notice the page keeps until the next action (a refusal said clearly, not in a passing toast). */
export function pageNotice(notice) {
  if (!notice) return nothing;
  return html`<div class="notice ${notice.tone || 'bad'} page-notice" role=${notice.tone === 'ok' ? 'status' : 'alert'}>${notice.text}</div>`;
}

// --- Appended for the workflow, schedule and webhook pages (flowpages). ---

/**
 * A local time as the server wrote it, ISO-8601 with its zone's offset
 * ("2027-03-28T09:00:00+02:00"), shown in that zone, not the viewer's: "Sun 28 Mar 2027, 09:00
 * UTC+02:00" (the instant in UTC on hover). A schedule's fires read as its zone's clock, and the
 * offset shows a daylight-saving change.
 */
export function zoned(at, { weekday } = {}) {
  if (!at) return html`<span class="muted">—</span>`;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:\d{2})/.exec(at);
  if (!m) return at;
  const [, y, mo, d, h, mi, , off] = m;
  const day = weekday || new Date(Date.UTC(+y, +mo - 1, +d)).toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  const month = new Date(Date.UTC(+y, +mo - 1, 1)).toLocaleDateString('en-GB', { month: 'short', timeZone: 'UTC' });
  const offset = off === 'Z' ? 'UTC' : `UTC${off}`;
  const instant = new Date(at);
  return html`<time datetime=${at} title=${Number.isNaN(instant.getTime()) ? at : instant.toISOString().replace('.000Z', 'Z') + ' (UTC)'}>${day.slice(0, 3)} ${+d} ${month} ${y}, ${h}:${mi} <span class="offset">${offset}</span></time>`;
}

/** The "+02:00" of an ISO-8601 time with an offset ('Z' for UTC), or null. */
export function offsetOf(at) {
  const m = /(Z|[+-]\d{2}:\d{2})$/.exec(at || '');
  return m ? m[1] : null;
}

/**
 * Fire times [{at, weekday}] (or ISO strings) in their zone, one a line; where the offset changes
 * from the time before (daylight saving), the line says so.
 */
export function fireTimes(items, { cls = '' } = {}) {
  if (!items || !items.length) return html`<span class="muted">none</span>`;
  const list = items.map((i) => (typeof i === 'string' ? { at: i } : i));
  return html`<ol class="fires ${cls}">${list.map((f, i) => {
    const before = i > 0 ? offsetOf(list[i - 1].at) : null;
    const now = offsetOf(f.at);
    const changed = before && now && before !== now;
    return html`<li class=${changed ? 'dst' : ''}>${zoned(f.at, { weekday: f.weekday })}${changed
      ? html` <span class="badge warn">clocks change: ${utc(before)} → ${utc(now)}</span>` : nothing}</li>`;
  })}</ol>`;
}

const utc = (off) => (off === 'Z' ? 'UTC' : `UTC${off}`);

/**
 * Reads text as a JSON object: {value} or {error: "line 3, column 7: …", line, column}. Empty
 * text is {} when `emptyIs` says so.
 */
export function parseJsonObject(text, { emptyIs = {} } = {}) {
  if (!text.trim()) return emptyIs === null ? { error: 'must not be empty' } : { value: emptyIs };
  let value;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const found = jsonProblem(text);
    if (!found) return { error: err.message };
    const before = text.slice(0, found.at).split('\n');
    const line = before.length;
    const column = before[before.length - 1].length + 1;
    return { error: `line ${line}, column ${column}: ${found.message}`, line, column };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: `must be a JSON object of name to value, such as {"name": "world"}, not ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}` };
  }
  return { value };
}

/**
 * Where JSON text goes wrong and why ({at, message}), or null when it is valid: the browsers'
 * own messages do not all say where (Chromium's "Unexpected token '}', ..." does not).
 */
export function jsonProblem(text) {
  let i = 0;
  const fail = (message) => {
    throw { at: i, message };
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const seen = () => (i >= text.length ? 'the end of the text' : JSON.stringify(text[i]));
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('\\u needs four hex digits');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] || 'x')) fail(`unknown escape \\${text[i] || ''}`);
      } else if (text.charCodeAt(i) < 0x20) {
        fail('a line break or control character inside a string (write \\n)');
      }
      i++;
    }
    if (i >= text.length) fail('the string is not closed (a " is missing)');
    i++;
  };
  const value = () => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      i++;
      ws();
      if (text[i] === close) {
        i++;
        return;
      }
      for (;;) {
        if (c === '{') {
          ws();
          if (text[i] !== '"') fail(`expected a property name in double quotes, found ${seen()}`);
          string();
          ws();
          if (text[i] !== ':') fail(`expected ':' after the property name, found ${seen()}`);
          i++;
        }
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === close) {
          i++;
          return;
        }
        fail(`expected ',' or '${close}', found ${seen()}`);
      }
    }
    if (c === '"') return string();
    const m = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;
    m.lastIndex = i;
    const n = m.exec(text);
    if (n) {
      i += n[0].length;
      return;
    }
    fail(`expected a value (a string in double quotes, a number, true, false, null, an object or a list), found ${seen()}`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${seen()} after the end of the JSON value`);
    return null;
  } catch (e) {
    if (e && typeof e.at === 'number') return e;
    throw e;
  }
}

/** A button that copies `text` to the clipboard (said in a toast); `label` names what it copies. */
export function copyButton(text, label) {
  return html`<button type="button" class="copy" aria-label=${'Copy ' + label} @click=${() => copy(text, label)}>Copy</button>`;
}

async function copy(text, label) {
  try {
    await navigator.clipboard.writeText(text);
    toast(`${label[0].toUpperCase() + label.slice(1)} copied`, 'ok');
  } catch {
    toast(`The browser did not allow copying: select the ${label} and copy it by hand`, 'bad');
  }
}

/** Asks to confirm (a dialog whose button says Delete), then DELETEs `path` and says so; true when deleted. */
export async function deleteConfirmed(api, { title, body, path, done }) {
  if (!await confirm({ title, body, confirmLabel: 'Delete', danger: true })) return false;
  try {
    await api.del(path);
    toast(done, 'ok');
    return true;
  } catch (err) {
    toast(err.message, 'bad');
    return false;
  }
}
