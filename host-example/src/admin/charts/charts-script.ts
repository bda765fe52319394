/**
 * The Charts page's script: reads `/admin/charts/data` and draws it with uPlot (served by the
 * host), then refreshes every sampling interval. Each figure says in words what it shows last,
 * and carries `data-points` (points drawn) so tests and screen readers need not read a canvas.
 */
export const CHARTS_JS = `
(function () {
  'use strict';
  var root = document.querySelector('[data-charts]');
  if (!root || typeof window.uPlot !== 'function') return;
  var source = root.getAttribute('data-source');
  var every = Math.max(2000, Number(root.getAttribute('data-interval')) || 10000);
  var COLORS = ['#0b57d0', '#bf3989', '#1a7f37', '#9a6700'];
  var plots = {};

  function figure(name) { return root.querySelector('[data-chart="' + name + '"]'); }
  function width(el) { return Math.max(200, Math.floor(el.clientWidth)); }
  function height() { return window.innerWidth < 600 ? 190 : 240; }
  function round(v) { return v === null || v === undefined ? '—' : (Math.round(v * 100) / 100).toString(); }

  // Counts and latencies start at zero: an axis from 30 to 70 would make 30 look like nothing.
  function fromZero(u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; }

  /** specs: [{ label, color, dash? }], one per data column after the times. */
  function draw(name, specs, data, unit, summary, whole) {
    var fig = figure(name);
    if (!fig) return;
    var box = fig.querySelector('.chart-plot');
    var key = specs.map(function (s) { return s.label; }).join('|');
    var plot = plots[name];
    if (!plot || plot.key !== key) {
      if (plot) plot.u.destroy();
      var series = [{ label: 'Time' }].concat(specs.map(function (spec) {
        return { label: spec.label, stroke: spec.color, dash: spec.dash, width: 2, spanGaps: false, points: { show: data[0].length < 3 },
          value: function (u, v) { return v === null ? '—' : round(v) + ' ' + unit; } };
      }));
      var opts = { width: width(box), height: height(), series: series, legend: { live: false },
        // Message counts are whole numbers: no 0.2 ticks.
        axes: [{}, whole ? { label: unit, size: 56, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 10000, 50000] } : { label: unit, size: 56 }], scales: { x: { time: true }, y: { range: fromZero } } };
      plots[name] = plot = { key: key, u: new window.uPlot(opts, data, box) };
    } else {
      plot.u.setData(data);
    }
    var points = 0;
    for (var s = 1; s < data.length; s++) for (var i = 0; i < data[s].length; i++) if (data[s][i] !== null) points++;
    fig.setAttribute('data-points', String(points));
    fig.setAttribute('data-series', String(specs.length));
    fig.querySelector('.chart-summary').textContent = summary;
  }

  function render(json) {
    var samples = json.samples || [];
    var xs = samples.map(function (s) { return s.at / 1000; });
    var last = samples[samples.length - 1];
    var col = function (f) { return samples.map(f); };

    draw('deliveries', [{ label: 'delivered', color: '#1a7f37' }, { label: 'failed', color: '#c62828' }], [xs, col(function (s) { return s.deliveredPerMin; }), col(function (s) { return s.failedPerMin; })], '/min',
      last ? 'Last sample: ' + round(last.deliveredPerMin) + ' delivered and ' + round(last.failedPerMin) + ' failed attempts per minute.' : 'No samples yet.');

    var worst = {};
    samples.forEach(function (s) { Object.keys(s.latencyMs).forEach(function (e) { worst[e] = Math.max(worst[e] || 0, s.latencyMs[e].p99); }); });
    // The slowest extensions only: more lines than colours cannot be told apart.
    var exts = Object.keys(worst).sort(function (a, b) { return worst[b] - worst[a]; }).slice(0, 4);
    var specs = [], data = [xs];
    // One colour per extension; its p99 is dashed.
    exts.forEach(function (e, i) {
      specs.push({ label: e + ' p50', color: COLORS[i] }, { label: e + ' p99', color: COLORS[i], dash: [6, 4] });
      data.push(col(function (s) { return s.latencyMs[e] ? s.latencyMs[e].p50 : null; }));
      data.push(col(function (s) { return s.latencyMs[e] ? s.latencyMs[e].p99 : null; }));
    });
    draw('latency', specs, data, 'ms', exts.length === 0 ? 'No listener ran in the last hour.' :
      'Slowest: ' + exts[0] + ', p99 up to ' + round(worst[exts[0]]) + ' ms (' + exts.length + ' of ' + Object.keys(worst).length + ' extensions shown).');

    var states = ['pending', 'delivering', 'dead'];
    var stateColors = { pending: '#9a6700', delivering: '#0b57d0', dead: '#c62828' };
    draw('depth', states.map(function (st) { return { label: st, color: stateColors[st] }; }), [xs].concat(states.map(function (st) { return col(function (s) { return s.depth[st] === undefined ? null : s.depth[st]; }); })), 'messages',
      last ? 'Now: ' + states.map(function (st) { return round(last.depth[st]) + ' ' + st; }).join(', ') + '.' : 'No samples yet.', true);
    root.setAttribute('data-state', 'ready');
  }

  function load() {
    fetch(source, { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(render)
      .catch(function (e) { root.setAttribute('data-state', 'error'); var p = root.querySelector('.charts-error'); if (p) { p.hidden = false; p.textContent = 'Could not load the figures (' + e.message + '); retrying.'; } })
      .then(function () { setTimeout(load, every); });
  }

  var resize = function () { Object.keys(plots).forEach(function (n) { var box = figure(n).querySelector('.chart-plot'); plots[n].u.setSize({ width: width(box), height: height() }); }); };
  if (typeof ResizeObserver === 'function') new ResizeObserver(resize).observe(root); else window.addEventListener('resize', resize);
  load();
})();
`;

/** Layout of the Charts page (uPlot's own stylesheet is served next to it). */
export const CHARTS_CSS = `
.charts { display: grid; gap: .8rem; grid-template-columns: repeat(auto-fill, minmax(min(100%, 520px), 1fr)); }
.chart { margin: 0; min-width: 0; }
.chart-plot { width: 100%; min-height: 190px; overflow: hidden; }
.chart .chart-summary { margin: .25rem 0 .5rem; font-size: .92rem; }
.chart .u-legend { font-size: .85rem; text-align: left; }
`;
