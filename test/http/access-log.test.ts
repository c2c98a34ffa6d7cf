// What the log shows of a request: the debug access line hides token values however the client
// percent-encodes them, and values a client sent (login, user agent, forwarded address, path) are
// cut and escaped before they reach any line.

import assert from 'node:assert/strict';
import {request} from 'node:http';
import {connect} from 'node:net';
import {mkdtemp, readFile, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {after, before, describe, test} from 'node:test';
import {createLogger, type DaemonLogger} from '../../src/log.js';
import {basic, startTestDaemon, type TestDaemon} from '../helpers/daemon.js';

let td: TestDaemon;
let log: DaemonLogger;
let logDir: string;
let logFile: string;

before(async () => {
  logDir = await mkdtemp(join(tmpdir(), 'wazo-auth-access-log-'));
  logFile = join(logDir, 'auth.log');
  log = createLogger({level: 'debug', file: logFile});
  td = await startTestDaemon({log});
});
after(async () => {
  await td.stop();
  log.close();
  await rm(logDir, {recursive: true, force: true});
});

/** Sends `path` byte for byte (no client-side normalisation); resolves with the status. */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<number> {
  const {hostname, port} = new URL(td.url);
  return new Promise((resolve, reject) => {
    const req = request({host: hostname, port, method, path, headers}, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode!));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Sends `text` as Latin-1 bytes on a new connection; resolves with what came back once the daemon closes it. */
function rawBytes(text: string): Promise<string> {
  const {hostname, port} = new URL(td.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(Buffer.from(text, 'latin1')));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

/** The lines the daemon wrote while `act` ran. */
async function linesOf(act: () => Promise<unknown>): Promise<string> {
  const before = (await readFile(logFile, 'utf8')).length;
  await act();
  return (await readFile(logFile, 'utf8')).slice(before);
}

const percent = (c: string) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
/** Every character of `text` percent-encoded, in upper or lower case hex. */
const encoded = (text: string, upper: boolean) => [...text].map((c) => (upper ? percent(c).toUpperCase() : percent(c).toLowerCase())).join('');

describe('the debug access line hides tokens however they are encoded', () => {
  let token: string;
  before(async () => {
    token = (await td.login(td.admin.username, td.admin.password)).token;
  });

  const cases: Array<[string, (t: string) => string]> = [
    ['plain', (t) => `/0.1/token/${t}`],
    ['the first character as %35-style escape', (t) => `/0.1/token/${percent(t[0]!)}${t.slice(1)}`],
    ['dashes as %2D', (t) => `/0.1/token/${t.replaceAll('-', '%2D')}`],
    ['dashes as %2d, lower case', (t) => `/0.1/token/${t.replaceAll('-', '%2d')}`],
    ['every character encoded', (t) => `/0.1/token/${encoded(t, true)}`],
    ['the word token encoded in the path', (t) => `/0.1/${encoded('token', false)}/${t}`],
    ['with a check after it', (t) => `/0.1/token/${t.replaceAll('-', '%2D')}/scopes/check`],
    ['?token=', (t) => `/0.1/users?token=${t}`],
    ['?%74oken=', (t) => `/0.1/users?%74oken=${t}`],
    ['?ToKeN= in mixed case', (t) => `/0.1/users?recurse=false&ToKeN=${encoded(t, false)}`],
    ['?%54OKEN= then a repeat', (t) => `/0.1/users?%54OKEN=${t.replaceAll('-', '%2D')}&token=${t}`],
    ['an encoded slash before it', (t) => `/0.1%2Ftoken%2F${t}`],
    ['among malformed escapes', (t) => `/0.1/token/%ZZ%E2%82${t.replaceAll('-', '%2D')}?%zz=%E2%28%A1&token=%${t}`],
  ];
  for (const [name, pathOf] of cases) {
    test(name, async () => {
      const path = pathOf(token);
      const lines = await linesOf(() => raw('HEAD', path));
      assert.match(lines, /\(DEBUG\) \(wazo-auth\): 127\.0\.0\.1 "HEAD /);
      assert.ok(lines.includes(`XXXXXXXX-XXXX-XXXX-XXXX-XXXX${token.slice(-8)}`), lines);
      // Nothing of the token but its last 8 characters, in any encoding.
      const hidden = token.slice(0, -8);
      for (const form of [hidden, hidden.slice(1), hidden.replaceAll('-', '%2D'), encoded(hidden, true), encoded(hidden, false)]) {
        assert.ok(!lines.includes(form), `${form} in ${lines}`);
      }
      for (const segment of hidden.split('-').filter((s) => s.length >= 4)) assert.ok(!lines.includes(segment), `${segment} in ${lines}`);
    });
  }

  test('the rest of the path and query is shown decoded, its control characters escaped', async () => {
    const lines = await linesOf(() => raw('GET', '/0.1/users?search=caf%C3%A9%0A(INFO)%20forged&limit=2'));
    assert.ok(lines.includes('"GET /0.1/users?search=café\\n(INFO) forged&limit=2" 401'), lines);
  });

  test('a long path is cut', async () => {
    const lines = await linesOf(() => raw('GET', `/0.1/${'a'.repeat(5000)}`));
    assert.ok(lines.includes(`"GET /0.1/${'a'.repeat(251)}… (5005 characters)" 404`), lines);
  });
});

describe('client values in login lines are cut and escaped', () => {
  test('a 12 kB login is cut to 256 characters', async () => {
    const login = 'L'.repeat(12_000);
    const lines = await linesOf(() => td.call('POST', '/0.1/token', {body: {}, headers: {authorization: basic(login, 'pw'), 'user-agent': 'ua/1'}}));
    assert.ok(lines.includes(`Failed login: "${'L'.repeat(256)}… (12000 characters)" from 127.0.0.1 using agent "ua/1"`), lines);
    assert.ok(lines.length < 1000, `${lines.length} characters logged`);
  });

  test('a user agent cannot forge a line or a terminal escape, and a forwarded value that is no address is not believed', async () => {
    // Node's parser refuses C0 controls in headers but passes bytes 0x80-0xff as Latin-1: 0x9b is
    // the 8-bit terminal escape (CSI), 0x85 a line break to some readers.
    const userAgent = `a"\u009b2J\u0085${'u'.repeat(300)}`;
    const lines = await linesOf(() =>
      rawBytes(
        `POST /0.1/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n` +
          `Authorization: ${basic('nobody', 'pw')}\r\nUser-Agent: ${userAgent}\r\nX-Forwarded-For: 10.0.0.1, "evil"\\\r\n` +
          `Connection: close\r\n\r\n{}`,
      ),
    );
    assert.ok(lines.includes(`Failed login: "nobody" from 127.0.0.1 using agent "a\\"\\u009b2J\\u0085${'u'.repeat(250)}… (306 characters)"`), lines);
  });

  test('a successful login shows the cleaned login and agent', async () => {
    const lines = await linesOf(() => td.login(td.admin.username, td.admin.password, {}, {'user-agent': 'tab\there'}));
    assert.match(lines, /Successful login: "admin" got token XXXXXXXX-XXXX-XXXX-XXXX-XXXX\S{8} from 127\.0\.0\.1 using agent "tab\\there"/);
  });
});
