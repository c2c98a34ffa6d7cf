// An example wazo-auth plugin package (docs/plugins.md): the http plugin `example` serves
// GET /0.1/example/greeting, and the metadata plugin `example_display_name` adds `display_name`
// to the metadata of the tokens whose user's purpose maps to it. Plain ESM, no build step.

/** @param {{uuid: string, username: string | null, firstname: string | null, lastname: string | null}} user */
function displayName(user) {
  return [user.firstname, user.lastname].filter(Boolean).join(' ') || user.username || user.uuid;
}

const example = {
  name: 'example',
  load: () => [
    {
      method: 'GET',
      path: '/example/greeting',
      tag: 'example',
      summary: 'Greets the owner of the token by name',
      access: 'example.greeting.read',
      responses: {200: 'The greeting', 401: 'No valid token, or one without the access'},
      async handle(ctx) {
        const user = await ctx.services.users.find(ctx.token.tenantUuid, ctx.token.record.authId);
        return {status: 200, body: {greeting: `Hello, ${user ? displayName(user) : 'stranger'}!`}};
      },
    },
  ],
};

const exampleDisplayName = {
  name: 'example_display_name',
  load: () => ({tokenMetadata: (user) => ({display_name: displayName(user)})}),
};

export default {http: [example], metadata: [exampleDisplayName]};
