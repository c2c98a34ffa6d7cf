// The mail templates: upstream's Jinja files, rendered with nunjucks so that an operator's
// existing templates work unchanged, and built-in texts of our own for a path that does not
// exist (a fresh machine has no /var/lib/wazo-auth/templates).

import {readFile} from 'node:fs/promises';
import type {Environment} from 'nunjucks';

export type TemplateName =
  | 'password_reset_email'
  | 'password_reset_email_subject'
  | 'email_confirmation'
  | 'email_confirmation_subject'
  | 'email_confirmation_get_body';

/** The variables upstream gives its templates (a mail's: connection ones, then the mail's own). */
export interface TemplateContext {
  hostname?: string;
  port?: number;
  prefix?: string;
  token?: string;
  username?: string | null;
  user_uuid?: string;
  email_uuid?: string;
  email_address?: string;
}

const LINK_HOST = '{{ hostname }}{% if port %}:{{ port }}{% endif %}';

export const BUILTIN_TEMPLATES: Readonly<Record<TemplateName, string>> = {
  password_reset_email: `Hello{% if username %} {{ username }}{% endif %},

A new password was asked for your account. If you did not ask for one, you can ignore this
message: your password stays as it is.

To choose a new password, follow this link:

https://app.wazo.io/reset-password?host=${LINK_HOST}&token={{ token }}&user_uuid={{ user_uuid }}

The link can be used once.
`,
  password_reset_email_subject: 'Choosing a new password',
  email_confirmation: `Hello{% if username %} {{ username }}{% endif %},

Please confirm that {{ email_address }} is your address by following this link:

https://${LINK_HOST}{{ prefix }}/0.1/emails/{{ email_uuid }}/confirm?token={{ token }}
`,
  email_confirmation_subject: 'Please confirm your e-mail address',
  email_confirmation_get_body: `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Address confirmed</title></head>
<body><p>Your e-mail address is confirmed. You can close this page.</p></body></html>
`,
};

let environment: Environment | undefined;

/** Made at the first mail: Jinja's defaults, no HTML escaping (the mails are plain text), missing variables render empty. */
async function jinja(): Promise<Environment> {
  const {default: nunjucks} = await import('nunjucks');
  return (environment ??= new nunjucks.Environment(null, {autoescape: false, throwOnUndefined: false}));
}

export class MailTemplates {
  constructor(private readonly paths: Readonly<Record<TemplateName, string>>) {}

  /** The configured file's text, or the built-in one when the file does not exist; read at each use so edits apply at once. */
  async source(name: TemplateName): Promise<string> {
    try {
      return await readFile(this.paths[name], 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return BUILTIN_TEMPLATES[name];
      throw error;
    }
  }

  async render(name: TemplateName, context: TemplateContext): Promise<string> {
    const text = (await jinja()).renderString(await this.source(name), {...context});
    // Jinja drops a template's last newline (keep_trailing_newline is off).
    return text.endsWith('\n') ? text.slice(0, -1) : text;
  }

  /** A subject is one line whatever the template says. */
  async renderSubject(name: TemplateName, context: TemplateContext): Promise<string> {
    return (await this.render(name, context)).replace(/\s*[\r\n]+\s*/g, ' ').trim();
  }
}
