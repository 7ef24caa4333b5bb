import type { Hono } from 'hono';
import type { SessionStore } from './site-kit.js';
import type { UserStore } from './user-store.js';

/** What a site demonstrates; one per sandbox site. */
export type SiteKind =
  | 'plain-form'
  | 'spa'
  | 'cookie-consent'
  | 'multi-step-policy'
  | 'email-code'
  | 'totp'
  | 'sms-otp'
  | 'iframe'
  | 'shadow-dom'
  | 'localized'
  | 'well-known-only'
  | 'captcha'
  | 'social-sign-in'
  | 'passwordless';

export type OtpKind = 'none' | 'totp' | 'manual' | 'email_code';

export interface PasswordPolicyInfo {
  /** The policy as the site states it to people (in the site's language). */
  description: string;
  /** The complete policy in Apple's `passwordrules` syntax (what a catalog would curate). */
  rules: string;
}

/** Metadata for Rekey's service catalog in dev mode (`REKEY_SANDBOX=on`). */
export interface SiteInfo {
  slug: string;
  name: string;
  description: string;
  kind: SiteKind;
  origin: string;
  /** Hostnames the site sends mail from and links to. */
  domains: string[];
  homeUrl: string;
  loginUrl: string;
  /** The forgot-password entry page; absent when the site only exposes `/.well-known/change-password`. */
  resetUrl?: string;
  /** `origin + /.well-known/change-password` when the site answers it with a redirect. */
  changePasswordUrl?: string;
  /** BCP 47 language tag of pages and emails. */
  language: string;
  passwordPolicy?: PasswordPolicyInfo;
  captcha: boolean;
  otp: OtpKind;
  /** Envelope and header sender of the site's emails. */
  emailFrom: string;
  /** Text the site shows once a new password is accepted. */
  successText: string;
}

export interface Clock {
  now(): number;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Transfer encoding of the bodies; sites vary it as real mailers do. */
  encoding?: 'quoted-printable' | 'base64';
  headers?: Record<string, string>;
}

/** Everything a site's routes may use; built by the sandbox once the port is known. */
export interface SiteContext {
  readonly slug: string;
  readonly name: string;
  readonly origin: string;
  readonly host: string;
  readonly language: string;
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly clock: Clock;
  /** Lifetime of reset links and emailed codes (30 min unless the sandbox was told otherwise). */
  readonly tokenTtlMs: number;
  /** Lifetime of texted codes. */
  readonly smsTtlMs: number;
  readonly mailFrom: string;
  sendMail(mail: OutgoingMail): Promise<void>;
  /** "Texts" a code: records it for `lastSmsCode` and calls the sandbox's `sms` hook. */
  sendSms(email: string, phone: string, code: string, text: string): void;
}

export interface SiteDefinition {
  slug: string;
  name: string;
  description: string;
  kind: SiteKind;
  language: string;
  loginPath: string;
  resetPath?: string;
  /** Where `/.well-known/change-password` redirects; absent: 404 like most sites. */
  changePasswordPath?: string;
  passwordPolicy?: PasswordPolicyInfo;
  captcha?: boolean;
  otp: OtpKind;
  successText: string;
  sessionCookie: string;
  /** Colours and initials for the logo and emails. */
  brand: Brand;
  build(ctx: SiteContext): BuiltSite;
}

export interface BuiltSite {
  app: Hono;
  /** CAPTCHA sites: the tile indices that solve the newest open challenge (what a person would see). */
  captchaSolution?(): number[] | undefined;
}

export interface Brand {
  name: string;
  initials: string;
  color: string;
  ink: string;
  font: string;
}

export interface CreateUserInput {
  email: string;
  password: string;
  /** Base32 TOTP secret (SHA1, 6 digits, 30 s). */
  totpSecret?: string;
  /** Phone for texted codes, e.g. +15555550142. */
  phone?: string;
  displayName?: string;
}

export type OnConflict = 'error' | 'keep' | 'replace';

/** A user as tests and the control API see it: never the password or its hash. */
export interface UserView {
  id: string;
  email: string;
  displayName?: string;
  phone?: string;
  hasTotp: boolean;
  createdAt: string;
  passwordChanges: number;
  passwordChangedAt?: string;
  lastLoginAt?: string;
}

export interface RequestLogEntry {
  host: string;
  method: string;
  /** Path and query string. */
  path: string;
  status: number;
  /** Epoch milliseconds (wall clock). */
  at: number;
}

/**
 * Misbehaviour a test switches on for one site, to see how Rekey copes with
 * pages real sites serve. Cleared by setting `{}`.
 */
export interface SiteQuirks {
  /** GETs whose path starts with this never get an answer (until the sandbox stops): a page that stalls. */
  stallPathPrefix?: string;
  /** New-password inputs stay `readonly` until focused, an anti-autofill trick some sites use. */
  readonlyNewPasswordUntilFocus?: boolean;
  /** After a password change the site says nothing clear: its success page becomes a redirect to sign-in (very common). */
  silentAfterPasswordSet?: boolean;
  /** The sign-in page shows only a CAPTCHA, so no sign-in can check a new password. */
  captchaOnSignIn?: boolean;
  /**
   * A request that changed a password gets no answer (until the client gives up or the
   * sandbox stops): the site took the change, the browser never hears it. The moment
   * a crash "right after the submit" happens in.
   */
  holdAnswerAfterPasswordSet?: boolean;
}
