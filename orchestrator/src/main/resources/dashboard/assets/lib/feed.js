// The live feed (GET /api/v1/events, Server-Sent Events): one stream per Feed, coalesced before
// the page sees it, paused while the tab is hidden, resumed where it stopped, and replaced by a
// slow poll only while the stream cannot be had.
import { api, url } from './api.js';

const FLUSH_MS = 400;
const POLL_MS = 15000;

/**
 * A stream of change events. Subscribers get batches, at most one per FLUSH_MS:
 * {changes: [{kind, id, from, to, folder_id, job_id, at}], logs: [{job_id, seq}], reset: bool}.
 * `changes` holds the latest change of each thing (a job that went pending, running, succeeded
 * within one batch appears once, as succeeded); `reset` says events may have been missed (a
 * gap, an overflow, a reconnect without resume, a poll): re-read what the page shows.
 */
export class Feed {
  constructor(params = {}) {
    this.params = params;
    this.subscribers = new Set();
    this.statusListeners = new Set();
    this.status = 'off';
    this.source = null;
    this.lastId = null;
    this.pending = new Map();
    this.logs = new Map();
    this.reset = false;
    this.flushTimer = null;
    this.pollTimer = null;
    this.retryTimer = null;
    this.failures = 0;
    this.onVisibility = () => (document.hidden ? this.pause() : this.resume());
  }

  /** handler(batch); returns a function that unsubscribes. */
  subscribe(handler) {
    this.subscribers.add(handler);
    return () => this.subscribers.delete(handler);
  }

  onStatus(fn) {
    this.statusListeners.add(fn);
    fn(this.status);
    return () => this.statusListeners.delete(fn);
  }

  start() {
    document.addEventListener('visibilitychange', this.onVisibility);
    if (!document.hidden) this.connect();
    else this.setStatus('paused');
    return this;
  }

  /** New filter (e.g. another folder): reconnects; subscribers are told to re-read. */
  update(params) {
    this.params = params;
    this.lastId = null;
    if (this.status !== 'off' && !document.hidden) {
      this.disconnect();
      this.connect();
    }
  }

  stop() {
    document.removeEventListener('visibilitychange', this.onVisibility);
    this.disconnect();
    clearTimeout(this.flushTimer);
    this.subscribers.clear();
    this.setStatus('off');
  }

  pause() {
    this.disconnect();
    this.setStatus('paused');
  }

  resume() {
    if (this.status === 'paused') this.connect();
  }

  connect() {
    clearTimeout(this.retryTimer);
    const query = { ...this.params };
    if (this.lastId) query.last_event_id = this.lastId;
    const source = new EventSource(url('/api/v1/events', query), { withCredentials: true });
    this.source = source;
    this.setStatus(this.pollTimer ? 'poll' : 'connecting');
    source.onopen = () => {
      this.failures = 0;
      this.stopPolling();
      this.setStatus('on');
    };
    source.addEventListener('change', (e) => this.received(e, (d) => {
      this.pending.set(d.kind + ':' + d.id, d);
    }));
    source.addEventListener('log', (e) => this.received(e, (d) => {
      const seen = this.logs.get(d.job_id);
      if (!seen || seen.seq < d.seq) this.logs.set(d.job_id, d);
    }));
    source.addEventListener('overflow', (e) => this.received(e, () => { this.reset = true; }));
    source.addEventListener('reset', (e) => this.received(e, () => { this.reset = true; }));
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        // The server refused the stream (signed out, too many feeds, not there): poll slowly
        // meanwhile and try the stream again later.
        this.source = null;
        this.failures++;
        // Ended because the session did (signed out elsewhere, user disabled, key revoked)? A
        // 401 here takes the page to the sign-in form at once.
        api.get('/api/v1/auth/me').catch(() => {});
        this.startPolling();
        const wait = Math.min(60000, 5000 * this.failures);
        this.retryTimer = setTimeout(() => { if (!document.hidden) this.connect(); }, wait);
      } else {
        // The browser reconnects by itself, sending Last-Event-ID.
        this.setStatus('retry');
      }
    };
  }

  disconnect() {
    clearTimeout(this.retryTimer);
    this.stopPolling();
    if (this.source) {
      this.source.close();
      this.source = null;
    }
  }

  received(event, take) {
    if (event.lastEventId) this.lastId = event.lastEventId;
    try {
      take(event.data ? JSON.parse(event.data) : {});
    } catch {
      this.reset = true;
    }
    this.scheduleFlush();
  }

  scheduleFlush() {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => requestAnimationFrame(() => this.flush()), FLUSH_MS);
  }

  flush() {
    this.flushTimer = null;
    const batch = { changes: [...this.pending.values()], logs: [...this.logs.values()], reset: this.reset };
    this.pending.clear();
    this.logs.clear();
    this.reset = false;
    if (!batch.reset && batch.changes.length === 0 && batch.logs.length === 0) return;
    for (const fn of this.subscribers) {
      try { fn(batch); } catch (err) { console.warn('feed subscriber failed', err); }
    }
  }

  startPolling() {
    this.setStatus('poll');
    if (this.pollTimer) return;
    this.pollTimer = setInterval(() => {
      this.reset = true;
      this.flush();
    }, POLL_MS);
  }

  stopPolling() {
    clearInterval(this.pollTimer);
    this.pollTimer = null;
  }

  setStatus(status) {
    this.status = status;
    this.statusListeners.forEach((fn) => fn(status));
  }
}
