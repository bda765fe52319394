import { html, type SafeHtml } from './html';

/** The login form: the same credentials as `POST /api/login`; the session lands in an HttpOnly cookie. */
export function loginView(o: { readonly username?: string; readonly next?: string; readonly error?: string }): SafeHtml {
  const invalid = o.error !== undefined;
  return html`<div class="login card">
<p class="lead">Administrators with the SuperAdmins role log in with their usual username and password.</p>
<form method="post" action="/admin/login" class="stack">
${o.next !== undefined ? html`<input type="hidden" name="next" value="${o.next}">` : ''}
${invalid ? html`<p class="problem" id="login-error" role="alert">${o.error}</p>` : ''}
<div class="field"><label for="login-username">Username</label><input id="login-username" name="username" type="text" autocomplete="username" required value="${o.username ?? ''}"${
    invalid ? html` aria-invalid="true" aria-describedby="login-error"` : ''
  }></div>
<div class="field"><label for="login-password">Password</label><input id="login-password" name="password" type="password" autocomplete="current-password" required></div>
<div class="actions"><button type="submit">Log in</button></div>
</form></div>`;
}
