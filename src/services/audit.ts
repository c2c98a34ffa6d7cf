// The audit trail: one record per administrative change, as Vault's audit devices keep one per
// request: who (the token's user and session), from where, in which tenant, what (the route, its
// parameters, the fields sent) and the answer. A line at info in the log, and optionally a JSON
// line in a file of its own (`audit.file`, mode 0600, reopened on SIGHUP as the log).
// Records never hold a secret: the routes' records are built without token values, passwords or
// any field not known to be harmless (src/http/audit.ts); only their names are kept.

import type {Clock} from '../clock.js';
import {clientValue, type Logger} from '../log.js';
import type {LogDestination} from '../log-destination.js';

export interface AuditRecord {
  time: string;
  /** The caller: the token's user and session and the token's tenant; null on a route whose credential is what it acts on (a token revoking itself). */
  actor: {user_uuid: string; session_uuid: string; tenant_uuid: string | null} | null;
  remote_addr: string;
  /** The tenant the request acted in (Wazo-Tenant, else the token's). */
  tenant_uuid: string | null;
  method: string;
  /** The route as declared, e.g. `/0.1/policies/{policy_uuid}`. */
  route: string;
  /** The path's parameters; a token value is never shown. */
  params: Record<string, string>;
  /** The fields sent whose values are not secrets, as sent. */
  fields: Record<string, unknown>;
  /** The other fields sent, by name only. */
  hidden: string[];
  status: number;
  /** The uuid of what the change created, when the answer names one. */
  created_uuid?: string;
}

export type AuditEntry = Omit<AuditRecord, 'time'>;

export class AuditTrail {
  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    /** The JSON lines file, when configured. */
    private readonly file: LogDestination | undefined,
  ) {}

  record(entry: AuditEntry): void {
    const record: AuditRecord = {time: new Date(this.clock.nowMicros() / 1000).toISOString(), ...entry};
    this.log.info(textOf(record));
    this.file?.write(JSON.stringify(record) + '\n');
  }
}

/** `audit: user U (session S) from ADDR in tenant T: PUT /0.1/policies/{policy_uuid} policy_uuid=P; fields name, acl -> 200` */
function textOf(r: AuditRecord): string {
  const who = r.actor ? `user ${r.actor.user_uuid} (session ${r.actor.session_uuid})` : 'anonymous';
  const params = Object.entries(r.params).map(([key, value]) => ` ${key}=${clientValue(value)}`);
  const sent = [...Object.keys(r.fields), ...r.hidden];
  const fields = sent.length ? `; fields ${sent.map(clientValue).join(', ')}` : '';
  const created = r.created_uuid ? ` created ${r.created_uuid}` : '';
  return `audit: ${who} from ${clientValue(r.remote_addr)} in tenant ${r.tenant_uuid ?? 'none'}: ${r.method} ${r.route}${params.join('')}${fields} -> ${r.status}${created}`;
}
