// A browser's part of SAML for the tests: follows the identity provider's redirects with its
// cookies, fills its login form, and hands back what a browser would carry to the service provider.
import {request} from 'undici';

/** An HTML form as the page holds it: its absolute action and its fields with their values. */
export interface HtmlForm {
  action: string;
  method: 'GET' | 'POST';
  fields: Record<string, string>;
}

/** Where the browser stands once the identity provider is done with a page or asks for something. */
export type SamlBrowserStep =
  /** An auto-submitting form leaving the provider (HTTP-POST binding: SAMLResponse, RelayState). */
  | {kind: 'post'; form: HtmlForm}
  /** A redirect leaving the provider (HTTP-Redirect binding: a LogoutResponse, a LogoutRequest). */
  | {kind: 'redirect'; url: string}
  /** The provider's login form; `error` is the message it shows above it, after a failed attempt. */
  | {kind: 'login'; form: HtmlForm; error?: string}
  /** Any other page: an error page of the provider, most often. */
  | {kind: 'page'; url: string; status: number; html: string};

export interface SamlBrowserAnswer {
  status: number;
  location?: string;
  text: string;
}

export interface SamlBrowser {
  /** Opens `url` (a provider's URL with a SAMLRequest) and follows the provider's redirects. */
  open(url: string): Promise<SamlBrowserStep>;
  /** Submits the login form with these credentials. */
  login(form: HtmlForm, username: string, password: string): Promise<SamlBrowserStep>;
  /** open(), then login() when the provider asks; a provider session still open skips the form. */
  signIn(url: string, username: string, password: string): Promise<SamlBrowserStep>;
  /** Posts a form to a service provider (the ACS) as a browser would, without following its answer. */
  submit(form: HtmlForm): Promise<SamlBrowserAnswer>;
}

const MAX_REDIRECTS = 20;

export function createSamlBrowser(): SamlBrowser {
  const jar = new Map<string, Map<string, string>>();
  const cookiesOf = (origin: string) => {
    let cookies = jar.get(origin);
    if (!cookies) jar.set(origin, (cookies = new Map()));
    return cookies;
  };

  // Cookies by origin (a real browser shares them across the ports of a host: the providers that
  // saml-idp.ts starts name their cookies after their port for that). A cookie set empty or
  // already expired is a deletion, as PHP sends them.
  const store = (origin: string, setCookie: string | string[] | undefined) => {
    for (const line of [setCookie ?? []].flat()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      if (at < 1) continue;
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => {
        const [key = '', val = ''] = a.split('=').map((s) => s.trim());
        return (key.toLowerCase() === 'max-age' && Number(val) <= 0) || (key.toLowerCase() === 'expires' && Date.parse(val) < Date.now());
      });
      if (expired || value === '' || value === 'deleted') cookiesOf(origin).delete(name);
      else cookiesOf(origin).set(name, value);
    }
  };

  const fetchPage = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>) => {
    const target = new URL(url);
    const origin = target.origin;
    const cookie = [...cookiesOf(origin)].map(([k, v]) => `${k}=${v}`).join('; ');
    const headers: Record<string, string> = {accept: 'text/html'};
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (form && method === 'GET') target.search = new URLSearchParams(form).toString();
    else if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const answer = await request(target, {method, headers, body});
    store(origin, answer.headers['set-cookie']);
    const text = await answer.body.text();
    const location = answer.headers.location;
    return {status: answer.statusCode, text, location: typeof location === 'string' ? new URL(location, url).toString() : undefined};
  };

  // Follows redirects inside the origin first visited; the first one leaving it is where a browser
  // would reach the service provider again.
  const walk = async (method: 'GET' | 'POST', url: string, form?: Record<string, string>): Promise<SamlBrowserStep> => {
    const origin = new URL(url).origin;
    let page = await fetchPage(method, url, form);
    let at = url;
    for (let hops = 0; page.status >= 300 && page.status < 400 && page.location; hops++) {
      if (new URL(page.location).origin !== origin) return {kind: 'redirect', url: page.location};
      if (hops === MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects from ${url}`);
      at = page.location;
      page = await fetchPage('GET', at);
    }
    return readPage(at, page.status, page.text);
  };

  const browser: SamlBrowser = {
    open: (url) => walk('GET', url),
    login: (form, username, password) => walk(form.method, form.action, {...form.fields, username, password}),
    async signIn(url, username, password) {
      const step = await browser.open(url);
      return step.kind === 'login' ? browser.login(step.form, username, password) : step;
    },
    async submit(form) {
      const answer = await fetchPage(form.method, form.action, form.fields);
      return {status: answer.status, location: answer.location, text: answer.text};
    },
  };
  return browser;
}

/** Reads a provider's page: its login form, an auto-submitting form, or neither. */
function readPage(url: string, status: number, html: string): SamlBrowserStep {
  const forms = parseForms(html, url);
  const login = forms.find((f) => 'password' in f.fields);
  if (login) {
    delete login.fields.password;
    delete login.fields.username;
    // The error's title, as SimpleSAMLphp 1.19's default (non-Twig) login template shows it.
    const error = /class="float-l erroricon"[\s\S]*?<strong>([\s\S]*?)<\/strong>/.exec(html)?.[1];
    return {kind: 'login', form: login, ...(error ? {error: decodeEntities(error.trim())} : {})};
  }
  const leaving = forms.find((f) => f.method === 'POST' && ('SAMLResponse' in f.fields || 'SAMLRequest' in f.fields));
  if (leaving) return {kind: 'post', form: leaving};
  return {kind: 'page', url, status, html};
}

/** Every form of a page with its named inputs (text, hidden, password; checkboxes left out unless checked). */
function parseForms(html: string, pageUrl: string): HtmlForm[] {
  const forms: HtmlForm[] = [];
  for (const match of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = parseAttributes(match[1] ?? '');
    const fields: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(/<input\b([^>]*?)\/?>/gi)) {
      const a = parseAttributes(input[1] ?? '');
      const type = (a.type ?? 'text').toLowerCase();
      if (!a.name || 'disabled' in a || type === 'submit' || type === 'button') continue;
      if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
      fields[a.name] = a.value ?? '';
    }
    forms.push({
      action: new URL(attrs.action ?? '', pageUrl).toString(),
      method: (attrs.method ?? 'get').toUpperCase() === 'POST' ? 'POST' : 'GET',
      fields,
    });
  }
  return forms;
}

function parseAttributes(text: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  for (const m of text.matchAll(/([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    attrs[(m[1] ?? '').toLowerCase()] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

const NAMED: Record<string, string> = {amp: '&', lt: '<', gt: '>', quot: '"', apos: "'"};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, code: string) => {
    if (code[0] === '#') {
      const n = code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : parseInt(code.slice(1), 10);
      return n <= 0x10ffff ? String.fromCodePoint(n) : whole;
    }
    return NAMED[code.toLowerCase()] ?? whole;
  });
}
