import { z } from 'zod';

/** A website Rekey knows how to talk about (and, when `supported`, how to reset). */
export interface Service {
  /** Stable slug: `netflix`, `epic-games`. */
  readonly id: string;
  readonly name: string;
  /** Short names and common misspellings people type: `fb`, `insta`, `netflx`. */
  readonly aliases: readonly string[];
  /**
   * Every domain the service logs in on, links to or sends mail from; subdomains are
   * covered (`netflix.com` covers `mailer.netflix.com`). Own domains come first, then
   * the ones Apple's shared-credentials data says share the same account.
   */
  readonly domains: readonly string[];
  /** The forgot-password page where a reset starts. */
  readonly resetUrl?: string;
  /** Where a signed-in person changes the password (Apple's change-password-URLs). */
  readonly changePasswordUrl?: string;
  readonly loginUrl?: string;
  /** Apple `passwordrules` syntax, from Apple's password-rules.json. */
  readonly passwordRules?: string;
  /** Whether Rekey can run a reset for it: it needs a forgot-password page to start from. */
  readonly supported: boolean;
}

/**
 * What `catalog/services.ts` writes by hand; Apple's data fills in the rest at load time.
 * `supported` defaults to "has a resetUrl".
 */
export interface CuratedService {
  id: string;
  name: string;
  aliases: string[];
  domains: string[];
  resetUrl?: string;
  loginUrl?: string;
  supported?: boolean;
}

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'expected a kebab-case slug');

/** Domain names only, lower-case: `netflix.com`, `acme.localhost`. */
const domain = z
  .string()
  .regex(/^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'expected a lower-case host name');

/**
 * https everywhere; plain http only on loopback names, which is where dev-mode sandbox
 * sites live (`http://acme.localhost:4100`).
 */
const pageUrl = z.url().refine((value) => {
  const url = new URL(value);
  if (url.username || url.password) return false;
  if (url.protocol === 'https:') return true;
  const host = url.hostname;
  return url.protocol === 'http:' && (host === 'localhost' || host.endsWith('.localhost') || host === '127.0.0.1');
}, 'expected an https URL (http only on localhost) without credentials');

/** Validates services that come from outside this folder (dev-mode `extra`). */
export const serviceSchema = z.object({
  id: slug,
  name: z.string().trim().min(1),
  aliases: z.array(z.string().trim().min(1)).default([]),
  domains: z.array(domain).min(1),
  resetUrl: pageUrl.optional(),
  changePasswordUrl: pageUrl.optional(),
  loginUrl: pageUrl.optional(),
  passwordRules: z.string().optional(),
  supported: z.boolean().optional(),
});

/** A service from outside the curated list: a `Service`, with aliases and `supported` optional. */
export type ServiceInput = Omit<Service, 'aliases' | 'supported'> & {
  readonly aliases?: readonly string[];
  readonly supported?: boolean;
};
