import { readFileSync } from 'node:fs';

/**
 * The admin page's stylesheet: hand-written, no framework. Kept in a module (not a .css file)
 * so the normal `tsc -b` build ships it without a copy step.
 */
export const ADMIN_CSS = `
:root { --fg:#1b1f24; --muted:#59636e; --bg:#f6f8fa; --card:#fff; --line:#d1d9e0; --accent:#0b57d0; --ok:#1a7f37; --warn:#9a6700; --bad:#c62828;
  --focus:#fb8c00; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 16px; line-height: 1.45; color: var(--fg); background: var(--bg); }
* { box-sizing: border-box; }
body { margin: 0; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--card); padding: .5rem 1rem; z-index: 10; }
.skip:focus { left: .5rem; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1rem; background: #24292f; color: #fff; }
header.top .brand { font-weight: 700; }
header.top nav ul { display: flex; flex-wrap: wrap; gap: .25rem; list-style: none; margin: 0; padding: 0; }
header.top nav a { color: #fff; text-decoration: none; padding: .35rem .6rem; border-radius: 6px; display: inline-block; }
header.top nav a[aria-current="page"] { background: #fff; color: #24292f; font-weight: 600; }
header.top nav a:hover { text-decoration: underline; }
header.top form { margin-left: auto; }
header.top .who { color: #d0d7de; font-size: .9rem; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 0; }
main > section { margin-top: 1.75rem; display: grid; gap: .6rem; }
ol.attempts { margin: 0; padding-left: 1.2rem; }
p.lead { color: var(--muted); margin-top: -.5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .8rem 1rem; margin-bottom: .8rem; }
.card header { display: flex; flex-wrap: wrap; gap: .5rem; align-items: baseline; justify-content: space-between; }
.grid { display: grid; gap: .8rem; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); }
.muted { color: var(--muted); }
.mono, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88rem; overflow-wrap: anywhere; }
.card, .grid > *, ol.log > li { min-width: 0; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-size: .8rem; font-weight: 600; border: 1px solid currentColor; }
.badge.enabled, .badge.ok, .badge.delivered { color: var(--ok); }
.badge.disabled, .badge.skipped, .badge.pending, .badge.delivering { color: var(--warn); }
.badge.failed, .badge.error, .badge.timeout, .badge.dead { color: var(--bad); }
button, .button { font: inherit; padding: .4rem .9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; min-height: 2.25rem; text-decoration: none; display: inline-block; }
button.secondary, .button.secondary { background: var(--card); color: var(--accent); }
button.danger { background: var(--card); color: var(--bad); border-color: var(--bad); }
button[disabled] { opacity: .55; cursor: not-allowed; }
header.top button { background: transparent; border-color: #d0d7de; }
.actions { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin-top: .5rem; }
.actions form { margin: 0; }
.problem { color: var(--bad); font-size: .92rem; margin: .35rem 0 0; }
.health { display: flex; flex-wrap: wrap; gap: .2rem 1rem; margin: .4rem 0; font-size: .9rem; }
.health div { display: flex; gap: .3rem; }
.health dt { color: var(--muted); }
.health dd { margin: 0; font-variant-numeric: tabular-nums; }
.health.failing dd { font-weight: 600; }
.notice { border-left: 4px solid var(--ok); background: #eaf6ec; padding: .5rem .8rem; margin-bottom: 1rem; }
.notice.error { border-color: var(--bad); background: #fdecea; }
ol.plan { margin: .3rem 0 0; padding-left: 1.2rem; }
ol.plan li { margin: .15rem 0; }
.plan .me { font-weight: 700; }
.table-wrap { overflow-x: auto; background: var(--card); border: 1px solid var(--line); border-radius: 8px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
td .mono { word-break: break-word; }
pre.payload-text, pre.payload-json { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 16rem; overflow: auto; margin: 0; font-size: .85rem; }
.payload dt { font-weight: 600; } .payload dd { margin: 0 0 .4rem; }
.tag-list code { white-space: nowrap; } .tag-list dd { margin: 0 0 .3rem 1rem; }
form.stack { display: grid; gap: .9rem; max-width: 760px; }
.field { display: grid; gap: .25rem; }
.field label, .field legend { font-weight: 600; }
.field p { margin: 0; }
.field .help { color: var(--muted); font-size: .88rem; }
.field .req { color: var(--bad); font-weight: 700; }
.field.invalid input, .field.invalid select, .field.invalid textarea { border-color: var(--bad); box-shadow: 0 0 0 1px var(--bad); }
.field .error { color: var(--bad); font-weight: 600; font-size: .92rem; }
.field.check { grid-template-columns: auto 1fr; align-items: start; column-gap: .5rem; }
.field.check .help, .field.check .error { grid-column: 2; }
input[type=text], input[type=number], input[type=password], input[type=email], input[type=url], input[type=tel], input[type=search], input:not([type]), select, textarea { font: inherit; padding: .4rem .5rem; border: 1px solid #8c959f; border-radius: 6px; width: 100%; background: #fff; color: var(--fg); }
form.search input[type=search] { width: auto; flex: 1 1 12rem; max-width: 24rem; }
input[type=checkbox] { width: 1.2rem; height: 1.2rem; margin: .15rem 0 0; }
textarea { min-height: 6rem; }
fieldset { border: 1px solid var(--line); border-radius: 8px; padding: .6rem 1rem 1rem; margin: 0; display: grid; gap: .9rem; background: var(--card); }
legend { font-weight: 700; padding: 0 .3rem; }
details > summary { cursor: pointer; font-weight: 600; padding: .3rem 0; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; margin-bottom: .8rem; }
.filters .field { min-width: 14rem; }
ol.log { list-style: none; margin: 0; padding: 0; }
ol.log > li { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .5rem .8rem; margin-bottom: .5rem; }
ol.log .head { display: flex; flex-wrap: wrap; gap: .3rem .8rem; align-items: baseline; }
ol.log .head strong { font-size: 1.02rem; }
ol.log ul { margin: .3rem 0 0; padding-left: 1.1rem; }
.sse-state { font-size: .88rem; color: var(--muted); }
.login { max-width: 420px; margin: 3rem auto; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.tabs { display: flex; flex-wrap: wrap; gap: .4rem; list-style: none; padding: 0; margin: 0 0 .8rem; }
.tabs a { display: inline-block; padding: .3rem .7rem; border: 1px solid var(--line); border-radius: 999px; background: var(--card); text-decoration: none; }
.tabs a[aria-current="page"] { background: var(--accent); color: #fff; border-color: var(--accent); }
.errors-summary { border: 2px solid var(--bad); border-radius: 8px; padding: .6rem 1rem; background: #fff; }
.errors-summary h2 { color: var(--bad); }
@media (max-width: 600px) {
  main { padding: .6rem; }
  .grid { grid-template-columns: 1fr; }
  header.top form { margin-left: 0; }
  th, td { padding: .4rem; }
  .hide-narrow { display: none; }
  table.cards thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.cards tr { display: block; border-bottom: 2px solid var(--line); padding: .3rem 0; }
  table.cards td { display: grid; grid-template-columns: 6.5rem minmax(0, 1fr); gap: .5rem; border: 0; padding: .25rem .6rem; }
  table.cards td::before { content: attr(data-label); font-weight: 600; color: var(--muted); }
}
`;

/**
 * Small progressive enhancements, none needed for the page to work: a regular-expression
 * check on `data-regexp` inputs (constraint validation cannot compile a regex by itself), the
 * live log's connection state, and a cap on the live log's length.
 */
export const ADMIN_JS = `
(function () {
  function checkRegexp(input) {
    var v = input.value;
    var msg = '';
    if (v !== '') {
      var m = /^\\/(.*)\\/([a-z]*)$/s.exec(v);
      try { m ? new RegExp(m[1], m[2]) : new RegExp(v); } catch (e) { msg = 'Not a valid regular expression: ' + e.message; }
    }
    input.setCustomValidity(msg);
  }
  document.addEventListener('input', function (e) {
    if (e.target && e.target.matches && e.target.matches('input[data-regexp]')) checkRegexp(e.target);
  });
  document.addEventListener('htmx:sseOpen', function (e) {
    var el = e.target.closest('[data-live]');
    if (el) { el.setAttribute('data-sse-state', 'open'); var s = el.querySelector('.sse-state'); if (s) s.textContent = 'Connected: new events appear at the top.'; }
  });
  document.addEventListener('htmx:sseError', function (e) {
    var el = e.target.closest('[data-live]');
    if (el) { el.setAttribute('data-sse-state', 'error'); var s = el.querySelector('.sse-state'); if (s) s.textContent = 'Disconnected; reconnecting…'; }
  });
  document.addEventListener('htmx:sseMessage', function (e) {
    var list = document.getElementById('live-log');
    while (list && list.children.length > 200) list.removeChild(list.lastElementChild);
  });
})();
`;

/** The vendored htmx 2 and its SSE extension, read once from the installed packages (no CDN). */
export function vendorScripts(): { readonly htmx: string; readonly sse: string } {
  return {
    htmx: readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8'),
    sse: readFileSync(require.resolve('htmx-ext-sse/dist/sse.min.js'), 'utf8'),
  };
}
