// The dashboard's libraries, served from the orchestrator's jar (webjars, pinned in pom.xml):
// upgrading one means changing its version here and there, nowhere else.
export { html, svg, render, nothing } from '/webjars/lit-html/3.3.1/lit-html.js';
export { repeat } from '/webjars/lit-html/3.3.1/directives/repeat.js';
export { live } from '/webjars/lit-html/3.3.1/directives/live.js';
export { ref, createRef } from '/webjars/lit-html/3.3.1/directives/ref.js';
export { classMap } from '/webjars/lit-html/3.3.1/directives/class-map.js';

/** uPlot (charts), loaded only by the pages that draw one. */
export async function loadUPlot() {
  const css = '/webjars/uplot/1.6.30/dist/uPlot.min.css';
  if (!document.querySelector(`link[href="${css}"]`)) {
    const link = document.createElement('link');
    link.rel = 'stylesheet';
    link.href = css;
    document.head.append(link);
  }
  return (await import('/webjars/uplot/1.6.30/dist/uPlot.esm.js')).default;
}
