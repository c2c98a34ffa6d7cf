// POST /users/register, upstream's self-registration (off unless `enabled_http_plugins` turns
// `user_registration` on): a new tenant named after the user, the user in it, and a confirmation
// mail for its address, which stays unconfirmed (not a login) until the link is followed.

import type {User} from '../domain/types.js';
import type {EmailService} from './emails.js';
import type {GroupService} from './groups.js';
import type {LinkParams} from './mail/messages.js';
import type {TenantService} from './tenants.js';
import type {UserService} from './users.js';

export interface Registration {
  username: string | null;
  password: string;
  firstname: string | null;
  lastname: string | null;
  emailAddress: string;
}

export class RegistrationService {
  constructor(
    private readonly tenants: TenantService,
    private readonly groups: GroupService,
    private readonly users: UserService,
    private readonly emails: EmailService,
  ) {}

  async register(input: Registration, link: LinkParams): Promise<User> {
    // Checked first so that a taken login leaves no tenant behind.
    await this.users.assertLoginFree(input.username);
    await this.users.assertLoginFree(input.emailAddress, 'email_address');
    const top = await this.tenants.top();
    const tenant = await this.tenants.create(top, {
      name: input.username,
      slug: null,
      contactUuid: null,
      phone: null,
      address: {line_1: null, line_2: null, city: null, state: null, country: null, zip_code: null},
      domainNames: [],
      defaultAuthenticationMethod: 'native',
    });
    let user: User;
    try {
      await this.groups.setUpTenant(tenant.uuid);
      user = await this.users.create(tenant.uuid, {
        username: input.username,
        firstname: input.firstname,
        lastname: input.lastname,
        purpose: 'user',
        enabled: true,
        authenticationMethod: 'default',
        password: input.password,
        emailAddress: input.emailAddress,
        emailConfirmed: false,
      });
    } catch (error) {
      // A login taken meanwhile: the tenant goes too.
      await this.tenants.delete(top, tenant.uuid);
      throw error;
    }
    this.emails.sendConfirmation(user, user.emails[0]!, link);
    return user;
  }
}
