/** A page (or, until it exists, the API path) where the values of a rule option are created. */
export interface ConfigPage {
  /** What the option names, in words ("SMTP configuration"). */
  readonly what: string;
  /** The admin page that lists and creates them (planned routes: the pages are built separately). */
  readonly page: string;
  /** The API path that creates them today. */
  readonly api: string;
}

/**
 * Where each option whose choices are stored configurations gets its values: the one place that
 * names these routes, so an empty select can link to the page that fills it and the pages, once
 * built, are linked from every form by changing this table alone.
 */
export const CONFIG_PAGES: Readonly<Record<string, ConfigPage>> = {
  emailconfig: { what: 'SMTP configuration', page: '/admin/smtp', api: '/api/smtp' },
  smsconfig: { what: 'SMS gateway configuration', page: '/admin/sms-gateways', api: '/api/sms-gateways' },
};
