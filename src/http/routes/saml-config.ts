// Upstream's saml_config plugin: /backends/saml (a tenant's identity provider: its metadata as a
// multipart upload, with a domain of the tenant, our entity id and ACS URL), its metadata, and
// the ACS URL template. Each acts in the caller's tenant (Wazo-Tenant).

import {SamlConfigFieldInvalid, SamlConfigRefused} from '../../domain/errors.js';
import type {ObjectSchema} from '../../schema/schema.js';
import type {SamlConfigRecord} from '../../services/saml-config.js';
import {readForm, type FormBody} from '../forms.js';
import {route, type Route} from '../route.js';
import {firstErrors, validate} from '../schema.js';

/** Provider metadata is a few KiB to a few tens (Entra's, with its certificates); aggregates are refused past this. */
const METADATA_BYTES = 1024 * 1024;
const FORM_LIMITS = {parts: 10, fieldBytes: 4096, fileBytes: METADATA_BYTES};

const fields = (required: string[]) =>
  ({
    type: 'object',
    properties: {
      domain_uuid: {type: 'string', minLength: 36, maxLength: 38},
      entity_id: {type: 'string', minLength: 1, maxLength: 512},
      tenant_uuid: {type: 'string', minLength: 36, maxLength: 38},
      acs_url: {type: 'string', minLength: 1, maxLength: 512},
    },
    required,
  }) as const satisfies ObjectSchema;

const creation = fields(['domain_uuid', 'entity_id', 'acs_url']);
const change = fields([]);

function checked(schema: ObjectSchema, form: FormBody): {domain_uuid?: string; entity_id?: string; acs_url?: string} {
  const result = validate(schema, {...form.fields});
  if (!result.ok) {
    const [field, error] = Object.entries(firstErrors(result.errors))[0]!;
    throw new SamlConfigFieldInvalid(field, error as unknown as {message: string});
  }
  return result.value as {domain_uuid?: string; entity_id?: string; acs_url?: string};
}

/** The uploaded metadata: absent is refused on creation, an empty file name always. */
function metadataOf(tenantUuid: string, form: FormBody, required: boolean): string | undefined {
  const file = form.files.metadata;
  if (!file) {
    if (required) throw new SamlConfigRefused(tenantUuid, 'No metadata file provided', 400);
    return undefined;
  }
  if (file.filename === '') throw new SamlConfigRefused(tenantUuid, 'Empty metadata file provided', 400);
  let text: string;
  try {
    text = new TextDecoder('utf-8', {fatal: true}).decode(file.data);
  } catch {
    throw new SamlConfigRefused(tenantUuid, 'Invalid XML (not UTF-8)', 400);
  }
  return text;
}

/** Upstream's view: the metadata is at its own route. */
const view = (config: SamlConfigRecord) => ({
  domain_uuid: config.domainUuid,
  entity_id: config.entityId,
  tenant_uuid: config.tenantUuid,
  acs_url: config.acsUrl,
});

const readConfigForm = (req: Parameters<typeof readForm>[0], maxBytes: number) => readForm(req, maxBytes, FORM_LIMITS);

export const samlConfigRoutes: Route[] = [
  route({
    method: 'GET',
    path: '/backends/saml',
    tag: 'saml_config',
    summary: "The tenant's SAML identity provider configuration",
    access: 'auth.backends.saml.read',
    responses: {200: 'The configuration', 401: 'Unauthorized', 404: 'The tenant has none'},
    async handle({tenantUuid, services}) {
      return {status: 200, body: view(await services.samlConfigs.get(tenantUuid))};
    },
  }),
  route({
    method: 'POST',
    path: '/backends/saml',
    tag: 'saml_config',
    summary: "Sets the tenant's SAML identity provider: multipart form with `metadata` (the provider's XML), `domain_uuid`, `entity_id`, `acs_url`",
    access: 'auth.backends.saml.create',
    maxBodyBytes: METADATA_BYTES + 64 * 1024,
    readForm: readConfigForm,
    responses: {200: 'The configuration', 400: 'Invalid field, metadata or domain', 401: 'Unauthorized', 409: 'The tenant has one', 413: 'Too large'},
    async handle({tenantUuid, form, services}) {
      const body = form as FormBody;
      const values = checked(creation, body);
      const metadata = metadataOf(tenantUuid, body, true)!;
      const config = await services.samlConfigs.create(tenantUuid, values as Required<typeof values>, metadata);
      return {status: 200, body: view(config)};
    },
  }),
  route({
    method: 'PUT',
    path: '/backends/saml',
    tag: 'saml_config',
    summary: "Changes the tenant's SAML configuration: any of the creation's fields and file",
    access: 'auth.backends.saml.update',
    maxBodyBytes: METADATA_BYTES + 64 * 1024,
    readForm: readConfigForm,
    responses: {200: 'The configuration', 400: 'Invalid field, metadata or domain', 401: 'Unauthorized', 404: 'The tenant has none', 413: 'Too large'},
    async handle({tenantUuid, form, services}) {
      const body = form as FormBody;
      const values = checked(change, body);
      const config = await services.samlConfigs.update(tenantUuid, values, metadataOf(tenantUuid, body, false));
      return {status: 200, body: view(config)};
    },
  }),
  route({
    method: 'DELETE',
    path: '/backends/saml',
    tag: 'saml_config',
    summary: "Removes the tenant's SAML configuration",
    access: 'auth.backends.saml.delete',
    responses: {204: 'Removed (or there was none)', 401: 'Unauthorized'},
    async handle({tenantUuid, services}) {
      await services.samlConfigs.delete(tenantUuid);
      return {status: 204};
    },
  }),
  route({
    method: 'GET',
    path: '/backends/saml/metadata',
    tag: 'saml_config',
    summary: "The identity provider's metadata XML the tenant uploaded",
    access: 'auth.backends.saml.read',
    responses: {200: 'The XML', 401: 'Unauthorized', 404: 'The tenant has none'},
    async handle({tenantUuid, services}) {
      const config = await services.samlConfigs.get(tenantUuid);
      return {status: 200, headers: {'Content-Disposition': 'attachment'}, raw: {contentType: 'application/xml', text: config.idpMetadata}};
    },
  }),
  route({
    method: 'GET',
    path: '/backends/saml/sp_metadata',
    tag: 'saml_config',
    summary:
      "Ours: this daemon's service provider metadata for the tenant (entity id, ACS and SLS URLs, signing certificate), for the identity provider's administrator",
    access: 'auth.backends.saml.read',
    responses: {200: 'The XML', 401: 'Unauthorized', 404: 'The tenant has no configuration', 500: 'No key pair (saml.key_file, saml.cert_file)'},
    async handle({tenantUuid, services}) {
      const xml = await services.saml.serviceProviderMetadata(tenantUuid);
      return {status: 200, headers: {'Content-Disposition': 'attachment'}, raw: {contentType: 'application/xml', text: xml}};
    },
  }),
  route({
    method: 'GET',
    path: '/backends/saml/acs_url_template',
    tag: 'saml_config',
    summary: 'The ACS URL to adapt for a tenant (saml.acs_url_template)',
    access: 'auth.backends.saml.read',
    responses: {200: '`acs_url`', 401: 'Unauthorized'},
    handle: ({services}) => ({status: 200, body: {acs_url: services.samlConfigs.acsUrlTemplate}}),
  }),
];
