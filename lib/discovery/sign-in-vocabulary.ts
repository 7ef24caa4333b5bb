// What sign-in pages say about how to sign in, in the languages the navigator
// reads (en, fr, de, es, it, pt, nl) plus a few more for sign-up links. The
// navigator's own vocabulary (forgot-password, sign-in links) is reused as is;
// what is here is only what discovery adds: third-party providers, passkeys,
// magic links, single sign-on and sign-up links.

export const signInMethods = [
  'email_password',
  'google_oauth',
  'apple_oauth',
  'microsoft_oauth',
  'github_oauth',
  'passkey',
  'magic_link',
  'sso',
] as const;

export type SignInMethod = (typeof signInMethods)[number];

const rx = (parts: string[], flags = 'i') => new RegExp(parts.join('|'), flags);

/** Verbs a sign-in (or sign-up) button starts or ends with. */
const SIGN_VERB = [
  '(?:sign|log)[\\s-]*(?:in|up|on)',
  'login',
  'continue',
  'connect',
  'register',
  'join',
  'authenticate',
  'se\\s+connecter',
  'connexion',
  'continuer',
  "s['’]inscrire",
  'inscription',
  'anmelden',
  'einloggen',
  'fortfahren',
  'registrieren',
  'weiter',
  'inicia(?:r)?\\s+sesi[óo]n',
  'continuar',
  'acceder',
  'entrar',
  'reg[íi]strate',
  'accedi',
  'continua',
  'registrati',
  'iscriviti',
  'fazer\\s+login',
  'inloggen',
  'aanmelden',
  'doorgaan',
  'registreren',
].join('|');

/** "with" in the languages above ("Continue with", "Continuer avec", "Mit … anmelden"). */
const WITH = '(?:with|using|via|avec|par|mit|über|[üu]ber|con|com|met)';
/** An optional article or possessive between "with" and the provider ("with your Google account", "com o Google"). */
const ARTICLE = '(?:(?:your|a|an|the|o|a|le|la|il|el|de|je|ihrem|deinem|tu|su|seu|sua|votre|ton)\\s+)?';

export interface Provider {
  method: Extract<SignInMethod, 'google_oauth' | 'apple_oauth' | 'microsoft_oauth' | 'github_oauth'>;
  /** The provider's name as people write it. */
  word: string;
  /** Its sign-in endpoints, matched against `host + path` of a link, form action, iframe or script. */
  endpoint: RegExp;
  /** Its name in a same-site auth path or a provider query parameter (`/auth/google`, `?provider=github`). */
  slug: RegExp;
}

export const providers: Provider[] = [
  {
    method: 'google_oauth',
    word: 'google',
    endpoint: /^accounts\.google\.com(?:\/|$)/i,
    slug: /^google(?:-oauth2?|_oauth2?|oauth2?)?$/i,
  },
  {
    method: 'apple_oauth',
    word: 'apple(?:\\s*id)?',
    // appleid.apple.com's root is Apple ID management; sign-in is /auth/…. The JS SDK lives on appleid.cdn-apple.com.
    endpoint: /^appleid\.apple\.com\/auth\/|^appleid\.cdn-apple\.com\/appleauth\//i,
    slug: /^apple(?:id)?$/i,
  },
  {
    method: 'microsoft_oauth',
    word: '(?:microsoft|azure\\s*ad|office\\s*365)',
    endpoint: /^login\.microsoftonline\.com\/|^login\.live\.com\/oauth|^login\.microsoft\.com\//i,
    slug: /^(?:microsoft|azure(?:ad)?|azure-ad|live|windowslive|office365|entra(?:id)?)$/i,
  },
  {
    method: 'github_oauth',
    word: 'git\\s?hub',
    endpoint: /^github\.com\/login\/oauth(?:\/|$)/i,
    slug: /^github$/i,
  },
];

/** Product names that merely contain a provider's name: "Google Play", "Apple Pay", "GitHub Sponsors". */
export const NOT_A_SIGN_IN_PRODUCT =
  /\b(?:pay|play|store|wallet|music|podcasts?|maps|calendar|drive|docs|sheets|translate|analytics|ads|sponsors?|marketplace|news|tv|arcade|books|photos|teams|copilot|actions|pages|discussions|issues)\b/i;

/** "Continue with Google", "Sign up with your GitHub account", "Mit Apple anmelden", "Googleでログイン". */
export function providerPhrase(word: string): RegExp {
  return rx([
    `(?:${SIGN_VERB})\\s+(?:\\S+\\s+){0,2}?${WITH}\\s+${ARTICLE}${word}\\b`,
    `\\b${WITH}\\s+${ARTICLE}${word}\\s+(?:\\S+\\s+)?(?:${SIGN_VERB})`,
    `\\b${word}\\s+(?:sign[-\\s]?in|log[-\\s]?in|login|anmeldung|connexion)\\b`,
    // ja, zh, ko
    `${word}\\s*(?:で|を使って)(?:ログイン|サインイン|続行|登録|サインアップ)`,
    `(?:使用|通过|透過)\\s*${word}\\s*(?:帐号|帳號|账号|賬號)?\\s*(?:登录|登入|继续|繼續|注册|註冊)`,
    `${word}\\s*(?:로|으로)\\s*(?:로그인|계속|가입)`,
  ]);
}

/** A control named after the provider alone ("Google", "GitHub account"): a sign-in button on a sign-in page. */
export function providerAlone(word: string): RegExp {
  return new RegExp(`^\\s*(?:${WITH}\\s+)?${word}(?:\\s+(?:account|id|konto|compte|cuenta|conta|account))?\\s*$`, 'i');
}

/** Same-site paths of provider sign-in: `/auth/google`, `/users/auth/github`, `/oauth2/authorization/google`. */
export const AUTH_PATH_SEGMENT = /^(?:auth|oauth2?|authorization|authorize|login|log-in|signin|sign-in|sign_in|connect|sso|social|omniauth|providers?|callback|federated)$/i;
/** Query parameters that name the identity provider. */
export const PROVIDER_PARAMS = ['provider', 'connection', 'idp', 'strategy', 'kc_idp_hint', 'identity_provider'];

export const PASSKEY = rx([
  '\\bpass\\s?keys?\\b',
  '\\bwebauthn\\b',
  'cl[ée]s?\\s+d[\'’]acc[èe]s',
  'llaves?\\s+de\\s+acceso',
  'chiavi?\\s+d[\'’]accesso',
  'chaves?\\s+de\\s+acesso',
  'toegangssleutels?',
  'パスキー',
  '通行密钥|通行金鑰',
  '패스키',
]);

export const MAGIC_LINK = rx([
  '\\bmagic\\s+(?:sign[-\\s]?in\\s+|log[-\\s]?in\\s+|login\\s+)?(?:link|code)\\b',
  '(?:email|e-mail|send)\\s+(?:me\\s+)?(?:a\\s+|an\\s+)?(?:one-time\\s+|secure\\s+)?(?:sign[-\\s]?in|log[-\\s]?in|login|magic)\\s+(?:link|code)',
  '\\b(?:sign[-\\s]?in|log[-\\s]?in|login)\\s+link\\b',
  '(?:sign|log)\\s*in\\s+with\\s+(?:an?\\s+)?(?:email|e-mail)\\s+link',
  '\\bpasswordless\\b',
  // fr
  'lien\\s+(?:de\\s+connexion|magique)',
  'recevoir\\s+un\\s+lien\\s+de\\s+connexion',
  // de
  'anmelde-?link|login-?link|magischer?\\s+link',
  // es
  'enlace\\s+(?:m[áa]gico|de\\s+(?:inicio\\s+de\\s+sesi[óo]n|acceso))',
  // it
  'link\\s+(?:magico|di\\s+accesso)',
  // pt
  'link\\s+(?:m[áa]gico|de\\s+(?:acesso|login))',
  // nl
  'inloglink|magische\\s+link',
]);

export const SSO = rx([
  'single\\s+sign[-\\s]?on',
  '\\bSSO\\b',
  '\\bSAML\\b',
  'enterprise\\s+(?:sign[-\\s]?in|log[-\\s]?in|login)',
  '(?:sign|log)\\s*in\\s+with\\s+(?:your\\s+)?(?:company|organi[sz]ation|work|corporate)\\s+(?:account|email|credentials|id)',
  'authentification\\s+unique',
  'einmalanmeldung',
  'inicio\\s+de\\s+sesi[óo]n\\s+[úu]nico',
  'accesso\\s+unico',
  'login\\s+[úu]nico',
]);

/** Controls that offer a password explicitly ("Use a password instead", "Sign in with password"). */
export const PASSWORD_OPTION = rx([
  '(?:use|with|enter)\\s+(?:a\\s+|your\\s+)?password\\b',
  'password\\s+instead',
  'avec\\s+(?:un\\s+|votre\\s+)?mot\\s+de\\s+passe',
  'mit\\s+(?:ihrem\\s+|deinem\\s+)?passwort',
  'con\\s+(?:tu\\s+|su\\s+)?contrase[ñn]a',
  'con\\s+(?:la\\s+)?password',
  'com\\s+(?:a\\s+)?(?:senha|palavra-passe)',
  'met\\s+(?:je\\s+)?wachtwoord',
]);

/** Same-site hrefs of the passwordless and enterprise options. */
export const PASSKEY_HREF = /(?:^|[/_-])(?:passkeys?|webauthn)(?:$|[/_.-])/i;
export const MAGIC_LINK_HREF = /(?:^|[/_-])(?:magic[-_]?link|passwordless|email[-_]?link|login[-_]?link)(?:$|[/_.-])/i;
export const SSO_HREF = /(?:^|\/)(?:sso|saml)(?:$|[/_.?-])/i;

/** Sign-up links: "Sign up", "Create account", "Register", "S'inscrire", "Registrieren", "新規登録"… */
export const SIGN_UP = rx([
  // en
  '\\bsign[-\\s]?up\\b',
  '\\bregister\\b',
  '\\bcreate\\s+(?:an?\\s+|your\\s+|a\\s+new\\s+|new\\s+|free\\s+)?(?:\\w+\\s+)?account\\b',
  '\\bopen\\s+(?:an?\\s+)?account\\b',
  '^\\s*join(?:\\s+(?:now|free|for\\s+free|us|today))?\\s*[!.]?\\s*$',
  '^\\s*get\\s+started(?:\\s+(?:for\\s+)?free)?\\s*$',
  '^\\s*(?:start|try)\\s+(?:it\\s+)?(?:for\\s+)?free\\s*$',
  '\\bnew\\s+(?:customer|user|member)\\b',
  // fr
  "s['’]inscrire|\\binscri(?:s|vez)[-\\s]?(?:vous|toi)\\b|\\binscription\\b",
  'cr[ée]er\\s+(?:un\\s+|mon\\s+|votre\\s+)?compte',
  'ouvrir\\s+un\\s+compte',
  // de
  '\\bregistrier(?:en|ung)\\b|jetzt\\s+registrieren',
  'konto\\s+(?:erstellen|anlegen|er[öo]ffnen)',
  // es
  'reg[íi]str(?:ate|arse|o)\\b',
  'crear\\s+(?:una\\s+|tu\\s+)?cuenta',
  '[úu]nete\\b',
  // it
  '\\bregistrati\\b|\\biscriviti\\b',
  'crea\\s+(?:un\\s+)?account',
  // pt
  'cadastr(?:e-se|ar(?:-se)?|o)\\b',
  'criar\\s+(?:uma\\s+|sua\\s+)?conta',
  'inscrever-se|registe-se|registrar-se',
  // nl
  '\\bregistreren\\b|account\\s+(?:aan)?maken|meld\\s+je\\s+aan',
  // pl, sv, tr, ru
  'zarejestruj|za[łl][óo][żz]\\s+konto|utw[óo]rz\\s+konto',
  '\\bregistrera\\b|skapa\\s+(?:ett\\s+)?konto',
  '\\bkaydol\\b|[üu]ye\\s+ol|hesap\\s+olu[şs]tur',
  'зарегистрир|регистрац|создать\\s+(?:аккаунт|учётную\\s+запись|учетную\\s+запись)',
  // ja, zh, ko
  '新規登録|会員登録|アカウント(?:を)?作成|新規作成',
  '注册|註冊|创建账户|创建帐户|建立帳戶',
  '회원\\s*가입|가입하기',
]);

/** Sign-up wording that is about something else than an account. */
export const NOT_SIGN_UP = /newsletter|updates|webinar|event|waitlist|wait\s+list|beta|mailing|e-?mail\s+list|notify|alerts?\b|news\b|blog|offers|deals|abonn|bolet[íi]n/i;

export const SIGN_UP_HREF = /(?:^|[/_-])(?:sign[-_]?up|signup|register|registration|join|create[-_]?account|new[-_]?account|enroll|inscription|registrieren|registrierung|registro|registrarse|cadastro|registreren|iscrizione)(?:$|[/_.?-])/i;

/** Forgot-password hrefs (the names come from the navigator's FORGOT_PASSWORD). */
export const FORGOT_HREF =
  /forgot|(?:^|[/_-])reset(?:$|[/_-])|recover|lost[-_]?pass|passwor[dt][-_/]?(?:reset|forgot|recovery|vergessen|new)|mot-de-passe-oubli|kennwort|contrasena|senha|wachtwoord/i;
