import type { ExtensionInfo, HookPlan } from '@plugboard/core';
import type { HealthFigures } from '../extension-health';
import type { PackageStatus } from '../packages/extension-packages';
import { html, type SafeHtml } from './html';
import { actionButton, badge } from './widgets';

/** What the extensions page reads. */
export interface ExtensionsViewInput {
  readonly extensions: readonly ExtensionInfo[];
  /** The dispatch plan of every hook (`bus.explain` over `bus.names()`). */
  readonly plans: readonly HookPlan[];
  /** Whether the extension has an instance (a construction failure cannot be enabled again). */
  readonly constructed: (name: string) => boolean;
  /** Extension packages, loaded or failed. */
  readonly packages?: readonly PackageStatus[];
  /** Health figures per extension (calls, errors, timeouts, durations, last error). */
  readonly health?: ReadonlyMap<string, HealthFigures>;
}

/** Why an action is refused, computed before the button is offered (the same checks as the manager's). */
export interface Blocker {
  readonly enable?: string;
  readonly disable?: string;
}

/** The `requires` problems of every extension, in the manager's terms. */
export function blockers(extensions: readonly ExtensionInfo[], constructed: (name: string) => boolean): Map<string, Blocker> {
  const byName = new Map(extensions.map((e) => [e.name, e]));
  const out = new Map<string, Blocker>();
  for (const e of extensions) {
    const missing = e.requires.filter((r) => byName.get(r)?.state !== 'enabled');
    const dependants = extensions.filter((d) => d.state === 'enabled' && d.requires.includes(e.name)).map((d) => d.name);
    const enable =
      e.state === 'failed' && !constructed(e.name)
        ? 'It failed while being constructed; fix it and restart the host to reinstall it.'
        : missing.length > 0
          ? `Requires ${missing.map((r) => `"${r}" (${byName.has(r) ? 'not enabled' : 'not installed'})`).join(', ')}; enable ${missing.length > 1 ? 'those' : 'it'} first.`
          : undefined;
    const disable = dependants.length > 0 ? `Required by the enabled extension${dependants.length > 1 ? 's' : ''} ${dependants.map((d) => `"${d}"`).join(', ')}; disable ${dependants.length > 1 ? 'those' : 'it'} first.` : undefined;
    out.set(e.name, { ...(enable !== undefined ? { enable } : {}), ...(disable !== undefined ? { disable } : {}) });
  }
  return out;
}

function hookLine(ext: string, plan: HookPlan): SafeHtml {
  const position = plan.listeners.filter((l) => l.extension === ext).map((l) => l.position);
  return html`<li><code>${plan.hook}</code> <span class="muted">(${plan.kind}; ${
    position.length > 0 ? `position ${position.join(', ')} of ${plan.listeners.length}` : 'not registered'
  })</span>
<ol class="plan" aria-label="Dispatch order of ${plan.hook}">${plan.listeners.map(
    (l) =>
      html`<li${l.extension === ext ? html` class="me"` : ''}>${l.extension} <span class="muted">${l.listener}, priority ${l.priority}${l.enabled ? '' : ', skipped (disabled)'}</span></li>`,
  )}</ol></li>`;
}

function healthBlock(id: string, h: HealthFigures | undefined): SafeHtml {
  if (h === undefined || h.calls === 0) return html`<p class="muted health" id="${id}-health">No calls yet.</p>`;
  const failing = h.errors + h.timeouts + h.invalidResults > 0;
  return html`<dl class="health${failing ? ' failing' : ''}" id="${id}-health" aria-label="Health">
<div><dt>Calls</dt><dd>${h.calls}</dd></div><div><dt>Errors</dt><dd>${h.errors}</dd></div><div><dt>Timeouts</dt><dd>${h.timeouts}</dd></div>
<div><dt>Invalid results</dt><dd>${h.invalidResults}</dd></div><div><dt>Average</dt><dd>${h.avgMs.toFixed(1)} ms</dd></div><div><dt>p99</dt><dd>${h.p99Ms.toFixed(1)} ms</dd></div>
</dl>${
    h.lastError
      ? html`<p class="problem" role="note"><strong>Last error</strong> <time datetime="${h.lastError.at}">${h.lastError.at}</time> in <code>${h.lastError.hook}</code> (${h.lastError.code}): ${h.lastError.message}</p>`
      : ''
  }`;
}

function card(e: ExtensionInfo, block: Blocker, allPlans: readonly HookPlan[], health: HealthFigures | undefined): SafeHtml {
  const id = `ext-${e.name}`;
  const enabled = e.state === 'enabled';
  const why = enabled ? block.disable : block.enable;
  const whyId = `${id}-why`;
  // Listeners registered in code (not through @observe) count too: the bus's plans are the truth.
  const plans = allPlans.filter((p) => e.hooks.includes(p.hook) || p.listeners.some((l) => l.extension === e.name));
  return html`<article class="card" id="${id}" aria-labelledby="${id}-name">
<header><h2 id="${id}-name">${e.name} <span class="muted">${e.version}</span></h2>${badge(e.state)}</header>
${e.description !== undefined ? html`<p>${e.description}</p>` : ''}
${e.state === 'failed' && e.error !== undefined ? html`<p class="problem" role="note"><strong>Error:</strong> ${e.error}</p>` : ''}
${e.state === 'disabled' && e.reason !== undefined ? html`<p class="problem" role="note" id="${id}-reason"><strong>Disabled:</strong> ${e.reason}</p>` : ''}
${healthBlock(id, health)}
${e.requires.length > 0 ? html`<p class="muted">Requires: ${e.requires.join(', ')}</p>` : ''}
<details><summary>Observes ${plans.length} hook${plans.length === 1 ? '' : 's'} (dispatch order)</summary>
<ul>${plans.map((p) => hookLine(e.name, p))}</ul></details>
<div class="actions">${actionButton(`/admin/extensions/${encodeURIComponent(e.name)}/${enabled ? 'disable' : 'enable'}`, {
    id: `${id}-toggle`,
    label: enabled ? 'Disable' : e.state === 'failed' ? 'Retry enabling' : 'Enable',
    ariaLabel: `${enabled ? 'Disable' : 'Enable'} ${e.name}`,
    className: enabled ? 'secondary' : '',
    disabled: why !== undefined,
    ...(why !== undefined ? { describedBy: whyId } : {}),
  })}
${why !== undefined ? html`<p class="problem" id="${whyId}">${why}</p>` : ''}</div>
</article>`;
}

function packagesTable(packages: readonly PackageStatus[]): SafeHtml {
  if (packages.length === 0) return html``;
  return html`<h2>Extension packages</h2>
<table id="packages" aria-label="Extension packages"><thead><tr><th>Package</th><th>Version</th><th>Source</th><th>State</th><th>Extensions</th></tr></thead>
<tbody>${packages.map(
    (p) => html`<tr id="pkg-${p.name}"><td>${p.name}</td><td>${p.version}</td><td><code>${p.source}</code> <span class="muted">(${p.origin})</span></td><td>${badge(p.state)}${p.sandboxed === true ? html` <span class="muted">sandboxed</span>` : ''}${
      p.error !== undefined ? html`<p class="problem" role="note"><strong>${p.error.code}</strong> ${p.error.message}</p>` : ''
    }</td><td>${p.extensions.join(', ')}</td></tr>`,
  )}</tbody></table>`;
}

/** The extensions page's content: one card per installed extension, then the extension packages. */
export function extensionsView(input: ExtensionsViewInput): SafeHtml {
  const block = blockers(input.extensions, input.constructed);
  return html`<p class="lead">Installed extensions, their state and the hooks they observe. Disabled extensions keep their place in each hook's order and are skipped.</p>
<div class="grid" id="extensions">${
    input.extensions.length === 0
      ? html`<p class="card muted">No extension is installed.</p>`
      : input.extensions.map((e) => card(e, block.get(e.name) ?? {}, input.plans, input.health?.get(e.name)))
  }</div>
${packagesTable(input.packages ?? [])}`;
}
