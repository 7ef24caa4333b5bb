// The pure half of sign-in discovery: from what pages show (the navigator's
// scan) to methods, sign-up and forgot-password links, in several languages,
// without the false friends (Google Play, Apple Pay, a GitHub repository link,
// a newsletter sign-up).
import { describe, expect, it } from 'vitest';
import type { FrameScan, ScannedAction, ScannedField } from '../../../activities/browser/navigator/page-agent.js';
import { detectSignInMethods, findForgotPasswordUrl, findSignUpUrl, isSignInPage } from '../../../lib/discovery/classify-sign-in.js';
import { toDiscoveryUrl } from '../../../lib/discovery/discover-sign-in.js';
import type { PageSignals } from '../../../lib/discovery/page-signals.js';

const SITE = 'https://www.example.com/';
const scope = { url: SITE };

let seq = 0;
const action = (name: string, href = '', kind?: 'link' | 'button'): ScannedAction => ({
  id: `a${++seq}`,
  kind: kind ?? (href ? 'link' : 'button'),
  name,
  href: href ? new URL(href, SITE).href : '',
  submits: false,
  disabled: false,
  formId: null,
});

const field = (f: Partial<ScannedField>): ScannedField => ({
  id: `f${++seq}`,
  type: 'text',
  autocomplete: '',
  inputMode: '',
  name: '',
  elementId: '',
  placeholder: '',
  ariaLabel: '',
  label: '',
  title: '',
  minLength: null,
  maxLength: null,
  pattern: '',
  passwordRules: '',
  disabled: false,
  readOnly: false,
  empty: true,
  ariaInvalid: false,
  formId: 'form1',
  digitGroup: null,
  context: '',
  ...f,
});

function page(opts: { actions?: ScannedAction[]; fields?: ScannedField[]; text?: string; formActions?: string[]; frameUrls?: string[]; scriptSrcs?: string[] }): PageSignals {
  const scan: FrameScan = {
    doc: 'd1',
    title: '',
    path: '/',
    text: opts.text ?? opts.actions?.map((a) => a.name).join('\n') ?? '',
    headings: [],
    errors: [],
    fields: opts.fields ?? [],
    actions: opts.actions ?? [],
    captcha: null,
    busy: false,
  };
  return { url: SITE, frames: [scan], frameUrls: opts.frameUrls ?? [SITE], formActions: opts.formActions ?? [], scriptSrcs: opts.scriptSrcs ?? [] };
}

const methodsOf = (p: PageSignals, signInPage = true) => detectSignInMethods([{ signals: p, signInPage }], scope);
const EMAIL = field({ type: 'email', name: 'email', label: 'Email', autocomplete: 'username', context: 'Sign in to Example Email Password' });
const PASSWORD = field({ type: 'password', name: 'password', label: 'Password', autocomplete: 'current-password', context: 'Sign in to Example Email Password' });

describe('third-party sign-in', () => {
  it('by what the control says, in several languages', () => {
    const cases: [string, string][] = [
      ['Continue with Google', 'google_oauth'],
      ['Sign in with Apple', 'apple_oauth'],
      ['Sign up with your Apple ID', 'apple_oauth'],
      ['Log in with Microsoft', 'microsoft_oauth'],
      ['Sign in with GitHub', 'github_oauth'],
      ['Continuer avec Google', 'google_oauth'],
      ['Mit Apple anmelden', 'apple_oauth'],
      ['Iniciar sesión con Microsoft', 'microsoft_oauth'],
      ['Entrar com o GitHub', 'github_oauth'],
      ['Accedi con Google', 'google_oauth'],
      ['Inloggen met Apple', 'apple_oauth'],
      ['Googleでログイン', 'google_oauth'],
      ['使用 GitHub 登录', 'github_oauth'],
      ['Google로 로그인', 'google_oauth'],
    ];
    for (const [name, method] of cases) expect(methodsOf(page({ actions: [action(name)] })), name).toEqual([method]);
  });

  it('by where the control leads: the providers’ own endpoints and same-site auth routes', () => {
    const cases: [string, string][] = [
      ['https://accounts.google.com/o/oauth2/v2/auth?client_id=x', 'google_oauth'],
      ['https://appleid.apple.com/auth/authorize?client_id=x', 'apple_oauth'],
      ['https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=x', 'microsoft_oauth'],
      ['https://github.com/login/oauth/authorize?client_id=x', 'github_oauth'],
      ['/users/auth/google_oauth2', 'google_oauth'],
      ['/oauth2/authorization/github', 'github_oauth'],
      ['/login?provider=apple', 'apple_oauth'],
      ['/auth/azuread', 'microsoft_oauth'],
    ];
    for (const [href, method] of cases) expect(methodsOf(page({ actions: [action('Continue', href)] })), href).toEqual([method]);
  });

  it('a bare provider name counts on a button or a link into a sign-in route, not on any link', () => {
    expect(methodsOf(page({ actions: [action('Google', '', 'button')] }))).toEqual(['google_oauth']);
    expect(methodsOf(page({ actions: [action('GitHub', '/auth/github')] }))).toEqual(['github_oauth']);
    expect(methodsOf(page({ actions: [action('GitHub', 'https://github.com/example/app')] }))).toEqual([]);
  });

  it('form actions, frames and SDK scripts of the providers', () => {
    expect(methodsOf(page({ formActions: ['https://appleid.apple.com/auth/authorize'] }))).toEqual(['apple_oauth']);
    expect(methodsOf(page({ frameUrls: [SITE, 'https://accounts.google.com/gsi/button?client_id=x'] }))).toEqual(['google_oauth']);
    expect(methodsOf(page({ scriptSrcs: ['https://appleid.cdn-apple.com/appleauth/static/jsapi/appleid/1/en_US/appleid.auth.js'] }))).toEqual(['apple_oauth']);
    // Browsers report form actions as absolute URLs.
    expect(methodsOf(page({ formActions: [new URL('/auth/google', SITE).href] }))).toEqual(['google_oauth']);
  });

  it('ignores products that only share the name, and mentions without a sign-in verb', () => {
    const names = [
      'Get it on Google Play',
      'Pay with Apple Pay',
      'Download on the App Store',
      'Star us on GitHub',
      'Integrates with GitHub',
      'Continue with Google Drive',
      'Sponsor us with GitHub Sponsors',
      'Microsoft Store',
    ];
    expect(methodsOf(page({ actions: names.map((n) => action(n, 'https://elsewhere.example/x')) }))).toEqual([]);
    // appleid.apple.com's root is account management, not a sign-in endpoint.
    expect(methodsOf(page({ actions: [action('Manage your Apple ID', 'https://appleid.apple.com/')] }))).toEqual([]);
  });
});

describe('passkeys, magic links, single sign-on, passwords', () => {
  it('passkeys: a webauthn autocomplete token, or a control that names them', () => {
    expect(methodsOf(page({ fields: [field({ type: 'email', autocomplete: 'username webauthn' })] }))).toContain('passkey');
    for (const name of ['Sign in with a passkey', 'Use a passkey', 'Se connecter avec une clé d’accès', 'Mit Passkey anmelden', 'パスキーでサインイン']) {
      expect(methodsOf(page({ actions: [action(name)] })), name).toEqual(['passkey']);
    }
  });

  it('magic links and emailed sign-in codes', () => {
    for (const name of ['Email me a sign-in link', 'Send me a magic link', 'Email me a login code', 'Recevoir un lien de connexion', 'Anmeldelink senden', 'Enviar enlace mágico']) {
      expect(methodsOf(page({ actions: [action(name)] })), name).toEqual(['magic_link']);
    }
    expect(methodsOf(page({ actions: [action('Other options', '/login/magic-link')] }))).toEqual(['magic_link']);
    // A reset form's "Email me a link" is not a sign-in link.
    expect(methodsOf(page({ actions: [action('Email me a link')] }))).toEqual([]);
  });

  it('single sign-on', () => {
    for (const name of ['Single sign-on', 'Log in with SSO', 'Continue with SAML SSO', 'Sign in with your company account']) {
      expect(methodsOf(page({ actions: [action(name)] })), name).toEqual(['sso']);
    }
    expect(methodsOf(page({ actions: [action('Enterprise', '/sso')] }))).toEqual(['sso']);
    expect(methodsOf(page({ actions: [action('Espresso machines', '/shop/espresso')] }))).toEqual([]);
  });

  it('email and password: a password field, a "password instead" option, or a forgot-password link', () => {
    expect(methodsOf(page({ fields: [EMAIL, PASSWORD] }))).toEqual(['email_password']);
    expect(methodsOf(page({ actions: [action('Sign in with a password instead', '/signin/password')] }))).toEqual(['email_password']);
    expect(methodsOf(page({ actions: [action('Mot de passe oublié ?', '/mdp')] }), false)).toEqual(['email_password']);
  });

  it('a sign-in page asking for the email alone is the first of two steps, unless it sends links', () => {
    const firstStep = page({ fields: [EMAIL], actions: [action('Continue')], text: 'Sign in to Example\nContinue' });
    expect(isSignInPage(firstStep)).toBe(true);
    expect(methodsOf(firstStep)).toEqual(['email_password']);
    const magic = page({ fields: [EMAIL], actions: [action('Email me a sign-in link')], text: 'Sign in to Example' });
    expect(methodsOf(magic)).toEqual(['magic_link']);
  });

  it('plain-text phrases count on the sign-in page only', () => {
    const text = 'Welcome back\nSign in with a passkey\nSingle sign-on available for teams\nContinue with Google';
    expect(methodsOf(page({ text }), true)).toEqual(['google_oauth', 'passkey', 'sso']);
    expect(methodsOf(page({ text }), false)).toEqual([]);
  });

  it('answers in a fixed order, whatever the page order', () => {
    const p = page({ actions: [action('Single sign-on'), action('Continue with GitHub'), action('Continue with Google')], fields: [EMAIL, PASSWORD] });
    expect(methodsOf(p)).toEqual(['email_password', 'google_oauth', 'github_oauth', 'sso']);
  });
});

describe('sign-up links', () => {
  it('finds them by name in many languages', () => {
    const names = [
      'Sign up',
      'Create an account',
      'Create your free account',
      'Register',
      'Join now',
      'Get started',
      'Créer un compte',
      "S'inscrire",
      'Registrieren',
      'Konto erstellen',
      'Regístrate',
      'Crear cuenta',
      'Registrati',
      'Criar conta',
      'Cadastre-se',
      'Account aanmaken',
      'Zarejestruj się',
      'Зарегистрироваться',
      '新規登録',
      '注册',
      '회원가입',
    ];
    for (const name of names) {
      const found = findSignUpUrl([page({ actions: [action('Home', '/'), action(name, '/start-here')] })], scope);
      expect(found, name).toBe('https://www.example.com/start-here');
    }
  });

  it('prefers a named link, falls back to the address, skips newsletters and other sites', () => {
    const named = page({ actions: [action('Newsletter: sign up', '/newsletter/signup'), action('Pricing', '/signup-plans'), action('Create account', '/accounts/new')] });
    expect(findSignUpUrl([named], scope)).toBe('https://www.example.com/accounts/new');
    const addressOnly = page({ actions: [action('Start now', '/signup')] });
    expect(findSignUpUrl([addressOnly], scope)).toBe('https://www.example.com/signup');
    const elsewhere = page({ actions: [action('Sign up', 'https://other.example.org/signup')] });
    expect(findSignUpUrl([elsewhere], scope)).toBeNull();
    // A domain the catalog lists for the service counts as the site.
    expect(findSignUpUrl([elsewhere], { url: SITE, domains: ['example.com', 'other.example.org'] })).toBe('https://other.example.org/signup');
    expect(findSignUpUrl([page({ actions: [action('Sign up for our newsletter', '/newsletter')] })], scope)).toBeNull();
  });

  it('the sign-in page comes first', () => {
    const signIn = page({ actions: [action('Create an account', '/register')] });
    const landing = page({ actions: [action('Sign up', '/signup')] });
    expect(findSignUpUrl([signIn, landing], scope)).toBe('https://www.example.com/register');
  });
});

describe('forgot-password links', () => {
  it('by name in several languages, or by address', () => {
    for (const name of ['Forgot password?', 'Trouble signing in?', 'Mot de passe oublié ?', 'Passwort vergessen?', '¿Olvidaste tu contraseña?', 'Wachtwoord vergeten?']) {
      expect(findForgotPasswordUrl([page({ actions: [action('Help', '/help'), action(name, '/x/recover-me')] })], scope), name).toBe('https://www.example.com/x/recover-me');
    }
    expect(findForgotPasswordUrl([page({ actions: [action('Help', '/help'), action('Need help?', '/password/reset')] })], scope)).toBe('https://www.example.com/password/reset');
    expect(findForgotPasswordUrl([page({ actions: [action('Help', '/help')] })], scope)).toBeNull();
  });
});

describe('toDiscoveryUrl', () => {
  it('assumes https for a bare domain and leaves URLs to the target guard', () => {
    expect(toDiscoveryUrl('example.com')).toBe('https://example.com');
    expect(toDiscoveryUrl(' example.com/login ')).toBe('https://example.com/login');
    expect(toDiscoveryUrl('localhost:3000')).toBe('https://localhost:3000');
    expect(toDiscoveryUrl('http://example.com')).toBe('http://example.com');
    expect(toDiscoveryUrl('javascript:alert(1)')).toBe('javascript:alert(1)');
  });
});
