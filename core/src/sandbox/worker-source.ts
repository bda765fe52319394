/**
 * The code a sandbox worker runs (`new Worker(WORKER_SOURCE, { eval: true })`): plain
 * JavaScript, so it runs the same under ts-node, tsx, jest and the built package. It imports the
 * extension module with the copy of core that the module itself requires (the metadata lives in
 * `Reflect` under `Symbol.for` keys), constructs the extension without the host's container, and
 * answers calls by listener index. While calls are in flight it sends a heartbeat, which stops
 * when a listener keeps the event loop busy: that is how the host tells CPU from waiting.
 */
export const WORKER_SOURCE = String.raw`
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
const EXTENSION = Symbol.for('plugboard.extension');
const OBSERVERS = Symbol.for('plugboard.observers');
const wire = (e) => (e instanceof Error ? { name: e.name, message: e.message, stack: e.stack, code: typeof e.code === 'string' ? e.code : undefined } : { name: 'Error', message: String(e) });
const post = (m) => parentPort.postMessage(m);
const NEVER_ABORTED = new AbortController().signal;
const meta = (v) => (typeof v === 'function' && typeof Reflect.getMetadata === 'function' ? Reflect.getMetadata(EXTENSION, v) : undefined);

function findExtension(ns) {
  const found = [];
  const visit = (v, depth) => {
    if (meta(v) !== undefined) { if (!found.includes(v)) found.push(v); }
    else if (Array.isArray(v)) v.forEach((x) => visit(x, depth));
    else if (depth < 2 && v !== null && typeof v === 'object') Object.values(v).forEach((x) => visit(x, depth + 1));
  };
  visit(ns, 0);
  if (workerData.exportName !== undefined) return found.find((c) => meta(c).name === workerData.exportName);
  if (found.length > 1) throw new Error('the module exports ' + found.length + ' extensions (' + found.map((c) => meta(c).name).join(', ') + '); load one per call with the extension option');
  return found[0];
}

function observersOf(cls) {
  const chain = [];
  for (let c = cls; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.unshift(c);
  const out = [];
  for (const c of chain) for (const o of Reflect.getOwnMetadata(OBSERVERS, c) || []) out.push(o);
  return out;
}

let instance;
let observers = [];
let inFlight = 0;
let nextService = 1;
const services = new Map();
globalThis.plugboardSandbox = {
  /** Calls a service the host exposes; resolves with its (cloned) result. */
  call(name, ...args) {
    const id = nextService++;
    return new Promise((resolve, reject) => {
      services.set(id, { resolve, reject });
      post({ type: 'service-call', id, name, args });
    });
  },
};

setInterval(() => { if (inFlight > 0) post({ type: 'alive' }); }, workerData.beatMs);

function answer(id, run) {
  inFlight++;
  let started;
  try { started = Promise.resolve(run()); } catch (e) { started = Promise.reject(e); }
  started
    .then(
      (value) => {
        try { post({ type: 'result', id, ok: true, value }); }
        catch (e) { post({ type: 'result', id, ok: false, error: { name: 'DataCloneError', message: 'its result cannot be cloned: ' + e.message, code: 'PB_SANDBOX_NOT_CLONEABLE' } }); }
      },
      (e) => post({ type: 'result', id, ok: false, error: wire(e) }),
    )
    .finally(() => { inFlight--; });
}

parentPort.on('message', (m) => {
  if (m.type === 'call') {
    const o = observers[m.index];
    answer(m.id, () => instance[o.method](...m.args, { hook: m.hook, extension: meta(instance.constructor).name, signal: NEVER_ABORTED }));
  } else if (m.type === 'lifecycle') {
    answer(m.id, () => (typeof instance[m.method] === 'function' ? instance[m.method]() : undefined));
  } else if (m.type === 'service-result') {
    const s = services.get(m.id);
    services.delete(m.id);
    if (s) m.ok ? s.resolve(m.value) : s.reject(Object.assign(new Error(m.error.message), { name: m.error.name, code: m.error.code }));
  }
});

(async () => {
  const ns = await import(pathToFileURL(workerData.file).href);
  const cls = findExtension(ns);
  if (cls === undefined) throw new Error(workerData.exportName !== undefined ? 'it exports no extension named "' + workerData.exportName + '"' : 'it exports no extension (a class decorated with @extension or a defineExtension() result)');
  if (cls.length > 0) throw new Error('its constructor takes ' + cls.length + ' argument(s): a sandboxed extension cannot inject the host\'s services; call the services the host exposes with plugboardSandbox.call(name, ...args)');
  const m = meta(cls);
  observers = observersOf(cls);
  instance = new cls();
  post({ type: 'ready', manifest: {
    name: m.name, version: m.version, requires: m.requires, description: m.description, priority: m.priority, before: m.before, after: m.after,
    listeners: observers.map((o, index) => ({ index, hook: o.hook, priority: o.options.priority, before: o.options.before, after: o.options.after, timeoutMs: o.options.timeoutMs })),
    lifecycle: { onEnable: typeof instance.onEnable === 'function', onDisable: typeof instance.onDisable === 'function' },
  } });
})().catch((e) => {
  post({ type: 'load-error', error: wire(e) });
});
`;
