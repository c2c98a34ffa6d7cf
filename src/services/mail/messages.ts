// The two mails wazo-auth sends, each built from its templates with upstream's variables.

import type {OutgoingMail} from './outbox.js';
import {MailTemplates, type TemplateContext} from './templates.js';

/** Where a mail's links point: upstream's `hostname`, `port` and `prefix` variables. */
export interface LinkParams {
  hostname?: string;
  port?: number;
  prefix?: string;
}

export interface Recipient {
  userUuid: string;
  username: string | null;
  address: string;
}

/** The mail keys of the configuration, as upstream names them. */
export interface MailSettings {
  password_reset_from_name: string;
  password_reset_from_address: string;
  password_reset_email_template: string;
  password_reset_email_subject_template: string;
  email_confirmation_from_name: string;
  email_confirmation_from_address: string;
  email_confirmation_template: string;
  email_confirmation_subject_template: string;
  email_confirmation_get_response_body_template: string;
  email_confirmation_get_mimetype: string;
}

export class MailMessages {
  readonly templates: MailTemplates;

  constructor(private readonly config: MailSettings) {
    this.templates = new MailTemplates({
      password_reset_email: config.password_reset_email_template,
      password_reset_email_subject: config.password_reset_email_subject_template,
      email_confirmation: config.email_confirmation_template,
      email_confirmation_subject: config.email_confirmation_subject_template,
      email_confirmation_get_body: config.email_confirmation_get_response_body_template,
    });
  }

  async passwordReset(to: Recipient, token: string, link: LinkParams): Promise<OutgoingMail> {
    const context: TemplateContext = {...link, token, username: to.username, user_uuid: to.userUuid, email_address: to.address};
    return {
      label: `password reset mail for user ${to.userUuid}`,
      from: {name: this.config.password_reset_from_name, address: this.config.password_reset_from_address},
      to: {name: to.username, address: to.address},
      subject: await this.templates.renderSubject('password_reset_email_subject', context),
      text: await this.templates.render('password_reset_email', context),
      secret: token,
    };
  }

  async confirmation(to: Recipient, emailUuid: string, token: string, link: LinkParams): Promise<OutgoingMail> {
    const context: TemplateContext = {...link, token, username: to.username, email_uuid: emailUuid, email_address: to.address};
    return {
      label: `confirmation mail for address ${emailUuid} of user ${to.userUuid}`,
      from: {name: this.config.email_confirmation_from_name, address: this.config.email_confirmation_from_address},
      to: {name: to.username, address: to.address},
      subject: await this.templates.renderSubject('email_confirmation_subject', context),
      text: await this.templates.render('email_confirmation', context),
      secret: token,
    };
  }

  /** The page a followed confirmation link answers, with its content type. */
  async confirmedPage(): Promise<{contentType: string; text: string}> {
    const type = this.config.email_confirmation_get_mimetype;
    const contentType = /charset=/i.test(type) ? type : `${type}; charset=utf-8`;
    return {contentType, text: await this.templates.render('email_confirmation_get_body', {})};
  }
}
