// SAML: the tenant's identity provider configuration (/backends/saml), in the tenant the client
// acts in (its `tenant`, else the token's).

import {randomBytes} from 'node:crypto';
import type {Transport} from './transport.js';
import type {SamlConfig} from './types.js';

/** The fields of a configuration; on creation all of them and the metadata. */
export type SamlConfigFields = {
  domain_uuid?: string;
  entity_id?: string;
  acs_url?: string;
};

/** A multipart/form-data body (RFC 7578) with the fields and the metadata file. */
function formOf(fields: SamlConfigFields, metadataXml: string | undefined): {body: Buffer; contentType: string} {
  const boundary = `wazo-auth-${randomBytes(16).toString('hex')}`;
  const parts: Buffer[] = [];
  const part = (headers: string, content: string) =>
    parts.push(Buffer.from(`--${boundary}\r\n${headers}\r\n\r\n`), Buffer.from(content, 'utf8'), Buffer.from('\r\n'));
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) part(`Content-Disposition: form-data; name="${name}"`, value);
  if (metadataXml !== undefined) part('Content-Disposition: form-data; name="metadata"; filename="metadata.xml"\r\nContent-Type: application/xml', metadataXml);
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}`};
}

export class Saml {
  constructor(private readonly transport: Transport) {}

  /** ApiError 404 when the tenant has none. */
  get(): Promise<SamlConfig> {
    return this.transport.json('GET', '/backends/saml');
  }

  /** ApiError 409 when the tenant has one; 400 when the domain is not the tenant's or the metadata unusable. */
  create(fields: Required<SamlConfigFields>, metadataXml: string): Promise<SamlConfig> {
    return this.transport.json('POST', '/backends/saml', {raw: formOf(fields, metadataXml)});
  }

  /** Changes the fields given, and the metadata when given. */
  update(fields: SamlConfigFields, metadataXml?: string): Promise<SamlConfig> {
    return this.transport.json('PUT', '/backends/saml', {raw: formOf(fields, metadataXml)});
  }

  delete(): Promise<void> {
    return this.transport.empty('DELETE', '/backends/saml');
  }

  /** The identity provider's metadata XML, as uploaded. */
  async providerMetadata(): Promise<string> {
    return String(this.transport.expectSuccess(await this.transport.send('GET', '/backends/saml/metadata')).body ?? '');
  }

  /** This daemon's service provider metadata for the tenant: what the identity provider's administrator needs. */
  async serviceProviderMetadata(): Promise<string> {
    return String(this.transport.expectSuccess(await this.transport.send('GET', '/backends/saml/sp_metadata')).body ?? '');
  }

  async acsUrlTemplate(): Promise<string> {
    return (await this.transport.json<{acs_url: string}>('GET', '/backends/saml/acs_url_template')).acs_url;
  }
}
