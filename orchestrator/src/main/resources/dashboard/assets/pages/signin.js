// Sign in: a person's username and password, single sign-on when configured, or an API key
// (installations with no users yet). Each ends in the HttpOnly session cookie; the page never
// keeps a password or key.
import { html, render, nothing } from '../lib/vendor.js';
import { fieldError, formError, invalid } from '../lib/ui.js';

export default function mount(host, { api, onSignedIn }) {
  const state = { mode: 'password', error: null, busy: false, sso: null };
  const returnTo = () => {
    const r = new URLSearchParams(location.search).get('return_to') || '/';
    return r.startsWith('/') && !r.startsWith('//') ? r : '/';
  };

  async function submit(e) {
    e.preventDefault();
    const form = new FormData(e.target);
    const body = state.mode === 'password'
      ? { username: form.get('username'), password: form.get('password'), session: 'cookie' }
      : { api_key: form.get('api_key'), session: 'cookie' };
    state.busy = true;
    state.error = null;
    draw();
    try {
      await api.post('/api/v1/auth/login', body);
      history.replaceState(null, '', returnTo());
      onSignedIn();
    } catch (err) {
      state.error = err;
      state.busy = false;
      draw();
      const bad = host.querySelector('[aria-invalid="true"]') || host.querySelector('input');
      if (bad) bad.focus();
    }
  }

  function switchMode(mode) {
    state.mode = mode;
    state.error = null;
    draw();
    host.querySelector('input')?.focus();
  }

  function draw() {
    const e = state.error;
    const fields = state.mode === 'password' ? ['username', 'password'] : ['api_key'];
    render(html`<div class="signin">
      <div class="panel">
        <h1>Sign in</h1>
        <p class="muted">CasareRPA Orchestrator</p>
        ${formError(e, fields)}
        <form @submit=${submit} novalidate>
          ${state.mode === 'password' ? html`
            <div class="field"><label for="username">Username</label>
              <input id="username" name="username" autocomplete="username" required aria-invalid=${invalid(e, 'username')}>
              ${fieldError(e, 'username')}</div>
            <div class="field"><label for="password">Password</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required aria-invalid=${invalid(e, 'password')}>
              ${fieldError(e, 'password')}</div>` : html`
            <div class="field"><label for="api_key">API key</label>
              <input id="api_key" name="api_key" type="password" autocomplete="off" required aria-invalid=${invalid(e, 'api_key')}
                aria-describedby="api-key-hint">
              <div class="hint" id="api-key-hint">An admin, operator or viewer key (crpa_…). The browser keeps only a session cookie, never the key.</div>
              ${fieldError(e, 'api_key')}</div>`}
          <button class="primary" type="submit" ?disabled=${state.busy}>${state.busy ? 'Signing in…' : 'Sign in'}</button>
        </form>
        <div class="alt">
          ${state.sso && state.sso.enabled ? html`<p><a class="button" id="sso" href=${state.sso.login_url + '?return_to=' + encodeURIComponent(returnTo())}>Sign in with ${state.sso.display_name}</a></p>` : nothing}
          ${state.mode === 'password'
            ? html`<button type="button" class="link" @click=${() => switchMode('key')}>Sign in with an API key instead</button>`
            : html`<button type="button" class="link" @click=${() => switchMode('password')}>Sign in with a username and password</button>`}
        </div>
      </div>
    </div>`, host);
  }

  draw();
  host.querySelector('input')?.focus();
  api.get('/api/v1/auth/oidc').then((sso) => { state.sso = sso; draw(); }).catch(() => {});
}
