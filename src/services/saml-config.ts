// Each tenant's SAML identity provider (upstream's SAMLConfigService): the provider's metadata,
// the domain its users name at login, our entity id and ACS URL for it.

import {DuplicateSamlConfig, SamlConfigRefused, UnknownSamlConfig} from '../domain/errors.js';
import type {SamlConfigRecord, Store} from '../store/store.js';
import {InvalidMetadata, parseIdpMetadata} from './saml-metadata.js';

export type {SamlConfigRecord} from '../store/store.js';

export interface SamlConfigFields {
  domain_uuid?: string | undefined;
  entity_id?: string | undefined;
  acs_url?: string | undefined;
}

export class SamlConfigService {
  constructor(
    private readonly store: Store,
    readonly acsUrlTemplate: string,
  ) {}

  async get(tenantUuid: string): Promise<SamlConfigRecord> {
    const config = await this.store.samlConfigs.get(tenantUuid);
    if (!config) throw new UnknownSamlConfig(tenantUuid);
    return config;
  }

  /** The metadata must be one a login can use: well-formed, with a login URL and a signing certificate. */
  checkMetadata(tenantUuid: string, xml: string): void {
    try {
      parseIdpMetadata(xml);
    } catch (error) {
      if (error instanceof InvalidMetadata) throw new SamlConfigRefused(tenantUuid, `Invalid XML (${error.message})`, 400);
      throw error;
    }
  }

  private async checkDomain(tenantUuid: string, domainUuid: string): Promise<void> {
    const domains = await this.store.tenants.domains(tenantUuid);
    if (!domains.some((d) => d.uuid === domainUuid)) throw new SamlConfigRefused(tenantUuid, 'Domain not from tenant', 400);
  }

  async create(tenantUuid: string, fields: Required<SamlConfigFields>, idpMetadata: string): Promise<SamlConfigRecord> {
    this.checkMetadata(tenantUuid, idpMetadata);
    if (await this.store.samlConfigs.get(tenantUuid)) throw new DuplicateSamlConfig(tenantUuid);
    await this.checkDomain(tenantUuid, fields.domain_uuid);
    try {
      return await this.store.samlConfigs.create({tenantUuid, domainUuid: fields.domain_uuid, entityId: fields.entity_id, acsUrl: fields.acs_url, idpMetadata});
    } catch (error) {
      if ((error as {code?: string}).code === 'conflict') throw new DuplicateSamlConfig(tenantUuid);
      throw error;
    }
  }

  async update(tenantUuid: string, fields: SamlConfigFields, idpMetadata: string | undefined): Promise<SamlConfigRecord> {
    if (idpMetadata !== undefined) this.checkMetadata(tenantUuid, idpMetadata);
    if (fields.domain_uuid !== undefined) await this.checkDomain(tenantUuid, fields.domain_uuid);
    const current = await this.get(tenantUuid);
    const updated = await this.store.samlConfigs.update({
      tenantUuid,
      domainUuid: fields.domain_uuid ?? current.domainUuid,
      entityId: fields.entity_id ?? current.entityId,
      acsUrl: fields.acs_url ?? current.acsUrl,
      idpMetadata: idpMetadata ?? current.idpMetadata,
    });
    if (!updated) throw new UnknownSamlConfig(tenantUuid);
    return updated;
  }

  /** Removing none is no error, as upstream. */
  async delete(tenantUuid: string): Promise<void> {
    await this.store.samlConfigs.delete(tenantUuid);
  }
}
