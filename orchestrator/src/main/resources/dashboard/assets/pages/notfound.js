import { html, render } from '../lib/vendor.js';
import { empty } from '../lib/ui.js';

export default function mount(host) {
  render(html`<div class="page-head"><h1>Not found</h1></div>
    <div class="panel">${empty('There is no page at this address.', html`Go to the <a href="/">overview</a>.`)}</div>`, host);
}
