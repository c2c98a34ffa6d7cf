// What the daemon needs of an identity provider's SAML metadata: its entity id, where to send
// logins and logouts (HTTP-Redirect binding) and the certificates it signs with. Read with a
// namespace-aware DOM parser; the signatures themselves are node-saml's business.

import {DOMParser} from '@xmldom/xmldom';

/** What is read of xmldom's nodes (its typings lean on the DOM library, which the daemon does not load). */
interface Element {
  nodeType: number;
  namespaceURI: string | null;
  localName: string;
  textContent: string | null;
  firstChild: Element | null;
  nextSibling: Element | null;
  getAttribute(name: string): string | null;
  getElementsByTagNameNS(ns: string, name: string): ArrayLike<Element>;
}

function parse(xml: string, problems: string[]): Element | undefined {
  const report = (m: unknown) => problems.push(String(m));
  const doc = new DOMParser({locator: {}, errorHandler: {warning: () => undefined, error: report, fatalError: report}}).parseFromString(
    xml,
    'text/xml',
  ) as unknown as
    | {
        documentElement: Element | null;
      }
    | undefined;
  return doc?.documentElement ?? undefined;
}

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const HTTP_REDIRECT = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export interface IdpMetadata {
  entityId: string;
  ssoUrl: string;
  /** Absent: the provider offers no single logout (a logout then ends our side only). */
  sloUrl?: string;
  /** Base64 DER of each signing certificate (several during a provider's key rollover). */
  certs: string[];
}

export class InvalidMetadata extends Error {}

/** Parses the XML or says why it cannot be used; a DOCTYPE is refused (no entity expansion of any kind). */
export function parseIdpMetadata(xml: string): IdpMetadata {
  if (/<!DOCTYPE/i.test(xml)) throw new InvalidMetadata('a DOCTYPE is not accepted');
  const problems: string[] = [];
  const root = parse(xml, problems);
  if (problems.length > 0 || !root) throw new InvalidMetadata(problems[0]?.split('\n')[0] ?? 'not XML');
  // A provider's own metadata, or an aggregate whose first provider is taken.
  const entity =
    root.namespaceURI === MD && root.localName === 'EntityDescriptor'
      ? root
      : (children(root, MD, 'EntityDescriptor').find((e) => children(e, MD, 'IDPSSODescriptor').length > 0) ?? null);
  if (!entity) throw new InvalidMetadata('no md:EntityDescriptor');
  const entityId = entity.getAttribute('entityID') ?? '';
  if (!entityId) throw new InvalidMetadata('the md:EntityDescriptor has no entityID');
  const idp = children(entity, MD, 'IDPSSODescriptor')[0];
  if (!idp) throw new InvalidMetadata('no md:IDPSSODescriptor');
  const redirect = (name: string) =>
    children(idp, MD, name)
      .find((e) => e.getAttribute('Binding') === HTTP_REDIRECT)
      ?.getAttribute('Location') || undefined;
  const ssoUrl = redirect('SingleSignOnService');
  if (!ssoUrl) throw new InvalidMetadata('no SingleSignOnService with the HTTP-Redirect binding');
  const certs = children(idp, MD, 'KeyDescriptor')
    .filter((k) => (k.getAttribute('use') ?? 'signing') === 'signing')
    .flatMap((k) => Array.from(k.getElementsByTagNameNS(DS, 'X509Certificate')))
    .map((c) => (c.textContent ?? '').replace(/\s+/g, ''))
    .filter((c) => c.length > 0);
  if (certs.length === 0) throw new InvalidMetadata('no signing certificate (md:KeyDescriptor with ds:X509Certificate)');
  const sloUrl = redirect('SingleLogoutService');
  return {entityId, ssoUrl, certs, ...(sloUrl ? {sloUrl} : {})};
}

function children(parent: Element, ns: string, name: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === name) out.push(node as Element);
  }
  return out;
}

/** The attribute of every `ns:name` element of a document, in document order. */
export function attributesOf(xml: string, ns: string, name: string, attribute: string): (string | null)[] {
  const root = parse(xml, []);
  if (!root) return [];
  const all =
    root.localName === name && root.namespaceURI === ns
      ? [root, ...Array.from(root.getElementsByTagNameNS(ns, name))]
      : Array.from(root.getElementsByTagNameNS(ns, name));
  return all.map((e) => e.getAttribute(attribute));
}
