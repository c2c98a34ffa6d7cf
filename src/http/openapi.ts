// Builds the Swagger 2.0 document served at /0.1/api/api.yml from the route declarations
// and their validating schemas.

import type {Route} from './route.js';
import {toSwagger} from './schema.js';

function swaggerPath(path: string): {path: string; params: {name: string; format?: string}[]} {
  const params: {name: string; format?: string}[] = [];
  const out = path.replace(/\{(\w+)(?::(\w+))?\}/g, (_, name: string, converter?: string) => {
    params.push(converter === 'uuid' ? {name, format: 'uuid'} : {name});
    return `{${name}}`;
  });
  return {path: out, params};
}

export function apiDocument(routes: Route[], port: number): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const {path, params} = swaggerPath(route.path);
    const parameters: Record<string, unknown>[] = params.map((p) => ({
      name: p.name,
      in: 'path',
      required: true,
      type: 'string',
      ...(p.format ? {format: p.format} : {}),
    }));
    for (const q of Object.values(route.query ?? {}).flatMap((parser) => parser.parameters)) {
      parameters.push({name: q.name, in: 'query', required: Boolean(q.required), ...toSwagger(q.schema)});
    }
    if (route.access) {
      parameters.push({
        name: 'Wazo-Tenant',
        in: 'header',
        required: false,
        type: 'string',
        description: "Act in this tenant (the token's own or one below it)",
      });
    }
    if (route.body) {
      const schema = route.bodyIsList === undefined ? route.body : route.body.properties[route.bodyIsList]!;
      parameters.push({name: 'body', in: 'body', required: true, schema: toSwagger(schema)});
    }
    const operation: Record<string, unknown> = {
      summary: route.summary,
      tags: [route.tag],
      parameters,
      responses: Object.fromEntries(Object.entries(route.responses).map(([code, description]) => [code, {description}])),
    };
    if (route.access) {
      operation.security = [{wazo_auth_token: []}];
      operation.description = `**Required ACL:** \`${route.access}\``;
    }
    (paths[path] ??= {})[route.method.toLowerCase()] = operation;
  }
  return {
    swagger: '2.0',
    basePath: '/0.1',
    info: {title: 'wazo-auth', version: '0.1', description: 'Authentication service: tokens, users, tenants, groups and policies'},
    consumes: ['application/json'],
    produces: ['application/json'],
    schemes: ['http', 'https'],
    securityDefinitions: {wazo_auth_token: {type: 'apiKey', name: 'X-Auth-Token', in: 'header'}},
    paths,
    'x-xivo-name': 'auth',
    'x-xivo-port': port,
  };
}
