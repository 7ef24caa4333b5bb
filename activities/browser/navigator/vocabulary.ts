// What sites say, in the languages the navigator reads (en, fr, de, es, it,
// pt, nl). Every pattern is case-insensitive and accent-tolerant ([eé]), so
// it works both on raw page text and in Playwright's `name:` matchers.
// Apostrophes may be ' or ’; \s also matches no-break spaces ("oublié ?").

const rx = (parts: string[], flags = 'i') => new RegExp(parts.join('|'), flags);

// ---------------------------------------------------------------------------
// Links and buttons
// ---------------------------------------------------------------------------

/** "Forgot password?"-style entries, password-specific first. */
export const FORGOT_PASSWORD = rx([
  // en
  "forgot(?:ten)?\\s+(?:your\\s+|my\\s+|the\\s+)?password",
  'forgot\\s+(?:your\\s+)?(?:login|sign[-\\s]?in)\\s+details',
  '(?:reset|recover|lost|change)\\s+(?:your\\s+|my\\s+)?password',
  'password\\s+(?:reset|recovery|help|assistance)',
  "i\\s+(?:forgot|don['’]t\\s+know)\\s+my\\s+password",
  "can['’]?t\\s+(?:sign|log)\\s*in",
  'cannot\\s+(?:sign|log)\\s*in',
  'trouble\\s+(?:signing|logging)\\s+in',
  'having\\s+trouble\\s+(?:signing|logging)',
  'need\\s+help\\s+(?:signing|logging)\\s+in',
  // fr
  'mot\\s+de\\s+passe\\s+(?:oubli[ée]|perdu)',
  'oubli[ée]\\s+(?:votre\\s+|mon\\s+|le\\s+)?mot\\s+de\\s+passe',
  'r[ée]initiali[sz]er\\s+(?:le\\s+|votre\\s+|mon\\s+)?mot\\s+de\\s+passe',
  'probl[èe]me\\s+de\\s+connexion',
  // de
  '(?:passwort|kennwort)\\s+vergessen',
  '(?:passwort|kennwort)\\s+zur[üu]cksetzen',
  'zugangsdaten\\s+vergessen',
  'anmeldeprobleme',
  // es
  'olvid(?:[óo]|aste|[óo]\\s+usted|ado)\\s+(?:su\\s+|tu\\s+|la\\s+)?contrase[ñn]a',
  'has\\s+olvidado\\s+(?:tu\\s+)?contrase[ñn]a',
  'contrase[ñn]a\\s+olvidada',
  '(?:restablecer|recuperar)\\s+(?:la\\s+|tu\\s+|su\\s+)?contrase[ñn]a',
  // it
  'password\\s+dimenticata',
  'hai\\s+dimenticato\\s+(?:la\\s+)?password',
  '(?:reimposta(?:re)?|recupera(?:re)?)\\s+(?:la\\s+)?password',
  // pt
  'esquec(?:eu|i|este)(?:-se)?\\s+(?:a\\s+|da\\s+|sua\\s+|minha\\s+)?(?:senha|palavra-passe)',
  '(?:redefinir|recuperar)\\s+(?:a\\s+|sua\\s+)?(?:senha|palavra-passe)',
  // nl
  'wachtwoord\\s+(?:vergeten|herstellen|opnieuw\\s+instellen)',
]);

/** Sign-in entries ("Sign in", "Connexion", "Anmelden"…), at the start of the name. */
export const SIGN_IN_ACTION = rx([
  '^\\s*(?:sign|log)\\s*(?:in|on)\\b',
  '^\\s*login\\b',
  '^\\s*(?:connexion|se\\s+connecter|s[\'’]identifier|identifiez-vous|me\\s+connecter)\\b',
  '^\\s*(?:anmelden|einloggen|login)\\b',
  '^\\s*(?:iniciar|inicia)\\s+sesi[óo]n',
  '^\\s*(?:acceder|acceso|ingresar)\\b',
  '^\\s*(?:accedi|entra|login)\\b',
  '^\\s*(?:entrar|iniciar\\s+sess[ãa]o|fazer\\s+login)\\b',
  '^\\s*(?:inloggen|aanmelden)\\b',
]);

/**
 * The button of a sign-in's first step, the identifier alone: continue, next,
 * sign in — never one that would send a sign-in link or a code, or sign in
 * some other way.
 */
export const IDENTIFIER_STEP_ACTION = new RegExp(
  '^(?!.*(?:\\blink\\b|\\bcode\\b|\\bsend\\b|e-?mail\\s+me|magic|passkey|\\bsso\\b|single\\s+sign|\\blien\\b|c[óo]digo|codice|enlace|senden|envoyer|enviar|invia|google|apple|microsoft|facebook|github))' +
    '.*(?:\\b(?:continue|next|sign\\s*in|log\\s*in|login|weiter|anmelden|einloggen|continuer|suivant|se\\s+connecter|connexion|continuar|siguiente|acceder|entrar|continua|avanti|accedi|seguinte|doorgaan|volgende|verder|inloggen|aanmelden)\\b|iniciar\\s+sesi[óo]n|pr[óo]ximo)',
  'i',
);

/** Account links, which lead to the sign-in page when signed out. */
export const ACCOUNT_ACTION = rx([
  '^\\s*(?:my\\s+)?account\\b',
  '^\\s*(?:mon\\s+compte|compte)\\b',
  '^\\s*(?:mein\\s+konto|konto)\\b',
  '^\\s*(?:mi\\s+cuenta|cuenta)\\b',
  '^\\s*(?:il\\s+mio\\s+account|account)\\b',
  '^\\s*(?:minha\\s+conta|conta)\\b',
  '^\\s*(?:mijn\\s+account|account)\\b',
]);

/** Third-party and passwordless sign-in: never the form we want. */
export const NOT_PASSWORD_SIGN_IN = /\b(?:google|apple|facebook|microsoft|github|gitlab|twitter|linkedin|amazon|sso|saml|passkey|magic\s+link|single\s+sign)/i;

/** Sign-out controls: the strongest signed-in marker. */
export const SIGN_OUT_ACTION = rx([
  '\\b(?:sign|log)\\s*(?:-\\s*)?(?:out|off)\\b',
  '\\blogout\\b',
  'd[ée]connexion|se\\s+d[ée]connecter|me\\s+d[ée]connecter',
  '\\babmelden\\b|\\bausloggen\\b|\\blogout\\b',
  'cerrar\\s+sesi[óo]n|salir\\b',
  '\\besci\\b|disconnetti',
  '\\bsair\\b|terminar\\s+sess[ãa]o',
  'uitloggen|afmelden',
]);

/** Text that says someone is signed in. */
export const SIGNED_IN_TEXT = rx([
  '(?:signed|logged)\\s+in\\s+as\\b',
  'connect[ée]e?\\s+en\\s+tant\\s+que',
  'angemeldet\\s+als',
  'has\\s+iniciado\\s+sesi[óo]n\\s+como|sesi[óo]n\\s+iniciada\\s+como',
  'accesso\\s+effettuato\\s+come',
  'conectado\\s+como|sess[ãa]o\\s+iniciada\\s+como',
  'ingelogd\\s+als|aangemeld\\s+als',
]);

/** Button names that move a form on, in the order a form would use them. */
export const SUBMIT_ACTION = rx([
  // en
  '\\b(?:continue|next|send|submit|reset|save|update|change|confirm|verify|done|proceed|request|recover|go)\\b',
  '\\bemail\\s+me\\b|\\bget\\s+(?:a\\s+)?(?:reset\\s+)?(?:link|code)\\b|\\bset\\s+(?:new\\s+)?password\\b',
  '^\\s*ok\\s*$',
  '\\b(?:sign|log)\\s*in\\b',
  // fr
  '\\b(?:continuer|suivant|envoyer|valider|r[ée]initialiser|enregistrer|confirmer|v[ée]rifier|modifier|changer|recevoir)\\b',
  'se\\s+connecter|\\bconnexion\\b',
  // de
  '\\b(?:weiter|fortfahren|senden|absenden|zur[üu]cksetzen|speichern|best[äa]tigen|[äa]ndern|pr[üu]fen|anfordern|anmelden|einloggen)\\b',
  // es
  '\\b(?:continuar|siguiente|enviar|restablecer|guardar|confirmar|verificar|cambiar|acceder|entrar)\\b|iniciar\\s+sesi[óo]n',
  // it
  '\\b(?:continua|avanti|invia|reimposta|salva|conferma|verifica|cambia|accedi)\\b',
  // pt
  '\\b(?:pr[óo]ximo|seguinte|redefinir|salvar|alterar)\\b',
  // nl
  '\\b(?:doorgaan|volgende|verder|versturen|verzenden|opslaan|bevestigen|wijzigen|inloggen|aanmelden)\\b',
]);

/** Controls near a form that must never be taken for its submit button. */
export const NOT_SUBMIT_ACTION = rx([
  '\\b(?:cancel|back|close|dismiss|show|hide|reveal|resend|re-send|sign\\s*up|register|create\\s+(?:an\\s+)?account|search|help|forgot|change\\s+email|use\\s+another|try\\s+another)\\b',
  'send\\s+(?:a\\s+|me\\s+a\\s+)?new\\s+code|didn[\'’]t\\s+(?:get|receive)|no\\s+text\\?',
  '\\b(?:annuler|retour|fermer|afficher|masquer|renvoyer|inscri(?:re|ption)|cr[ée]er\\s+un\\s+compte)\\b',
  '\\b(?:abbrechen|zur[üu]ck|schlie[ßs]en|anzeigen|erneut\\s+senden|registrieren)\\b',
  '\\b(?:cancelar|volver|cerrar|mostrar|reenviar|registrarse|reg[íi]strate)\\b',
  '\\b(?:annulla|indietro|chiudi|mostra|reinvia|registrati)\\b',
  '\\b(?:voltar|fechar|reenviar|cadastrar)\\b',
  '\\b(?:annuleren|terug|sluiten|tonen|opnieuw\\s+versturen|registreren)\\b',
  NOT_PASSWORD_SIGN_IN.source,
  'cookie|accept|reject',
]);

// ---------------------------------------------------------------------------
// Page context
// ---------------------------------------------------------------------------

/** Words of a password-recovery page (headings, labels, form text). */
export const RESET_CONTEXT = rx([
  'forgot|reset|recover|lost\\s+(?:your\\s+)?password|trouble\\s+(?:signing|logging)|can[\'’]?t\\s+(?:sign|log)\\s*in|new\\s+password|password\\s+link',
  "(?:we['’]ll|we\\s+will)\\s+(?:send|email)\\s+you",
  'oubli|r[ée]initialis|r[ée]cup[ée]r|nouveau\\s+mot\\s+de\\s+passe',
  'vergessen|zur[üu]cksetz|wiederherstell|neues\\s+passwort',
  'olvid|restablec|recuper',
  'dimentica|reimpost',
  'esquec|redefin',
  'vergeten|herstel|opnieuw\\s+instellen',
]);

/** Words of a sign-in page. */
export const SIGN_IN_CONTEXT = rx([
  '\\b(?:sign|log)\\s*in\\b|\\blogin\\b|welcome\\s+back',
  '\\bconnexion\\b|se\\s+connecter|identifiez',
  '\\banmeld|einlogg',
  'iniciar\\s+sesi[óo]n|\\bacceder\\b',
  '\\baccedi\\b|\\baccesso\\b',
  '\\bentrar\\b|iniciar\\s+sess[ãa]o',
  '\\binloggen\\b|\\baanmelden\\b',
]);

/** Email fields that belong to something else than the account. */
export const NOT_ACCOUNT_FIELD = /newsletter|subscribe|abonn|search|suche|recherche|buscar|cerca|pesquis|zoek|coupon|promo|gift|tracking|track\b|zip|postal|postcode|plz|friend|referr|phone\s+number/i;

/** Forms that take an email for something else (newsletters): never mistaken for a reset form. */
export const NEWSLETTER_CONTEXT = /newsletter|subscribe|sign\s+up\s+for\s+(?:our\s+)?(?:emails|updates|offers)|abonnez|abonner|infolettre|lettre\s+d['’]information|abonnieren|suscr[íi]b|iscriviti|inscreva-se|nieuwsbrief|aanmelden\s+voor/i;

export const EMAIL_FIELD = /e-?mail|courriel|correo|mail\b|adresse\s+e|email\s+address|e-mail-adresse/i;
export const USERNAME_FIELD =
  /user\s*(?:name|id)?|login|identifier|identifiant|account|customer\s*(?:id|number)|member|benutzer|anmeldename|usuario|utente|nome\s+utente|usu[áa]rio|gebruikersnaam|\bid\b/i;

export const NEW_PASSWORD_FIELD = rx([
  '\\bnew\\b|choose|create|set\\s+(?:a\\s+)?password',
  'nouveau|nouvel|choisi',
  '\\bneu(?:es)?\\b',
  'nuev[ao]',
  'nuov[ao]',
  'nov[ao]\\b',
  'nieuw',
]);
export const CONFIRM_PASSWORD_FIELD = rx([
  'confirm|repeat|re-?enter|retype|again|verify|password\\s*2\\b|\\b2\\b',
  'confirmer|confirmation|r[ée]p[ée]t|ressaisi',
  'wiederhol|best[äa]tig',
  'confirmar|repet|repit',
  'conferma|ripeti',
  'confirme|repita',
  'bevestig|herhaal',
]);
export const CURRENT_PASSWORD_FIELD = rx([
  'current|old|existing|present',
  'actuel|ancien',
  'aktuell|\\balt(?:es)?\\b|bisherig',
  'actual|anterior',
  'attuale|vecchia',
  'atual|antiga',
  'huidig|oud',
]);

/** One-time-code fields. */
export const CODE_FIELD = rx([
  '\\bcode\\b|\\botp\\b|one[-\\s]?time|passcode|\\bpin\\b|verification|2fa|two[-\\s]?factor|mfa|token|authenticat',
  'code\\s+de\\s+v[ée]rification|v[ée]rification',
  'best[äa]tigungscode|sicherheitscode|einmal',
  'c[óo]digo|verificaci[óo]n',
  'codice|verifica',
  'verifica[çc][ãa]o',
  'verificatiecode|beveiligingscode',
]);
export const NOT_CODE_FIELD = /promo|coupon|discount|gift|voucher|zip|postal|postcode|post\s+code|country|area|tracking|referral|invite|captcha|sort\s+code/i;

/** Where a one-time code comes from, from the text around it (checked in this order). */
export const CODE_FROM_TOTP = /authenticat(?:or|ion)\s+app|authenticator|\btotp\b|google\s+authenticator|(?:your|the)\s+(?:2fa|two-factor|mfa)\s+app|application\s+d['’]authentification|authentifizierungs-?app|aplicaci[óo]n\s+de\s+autenticaci[óo]n|app\s+di\s+autenticazione|aplicativo\s+(?:de\s+)?autentica|authenticatie-?app/i;
export const CODE_FROM_SMS = /\bsms\b|text\s+message|by\s+text|texted|\btext\b.*\bcode\b|\bphone\b|mobile|\bcell\b|t[ée]l[ée]phone|portable|handy|mobil|tel[ée]fono|m[óo]vil|celular|telefono|cellulare|telem[óo]vel|telefoon|mobiel/i;
export const CODE_FROM_EMAIL = /e-?mail|inbox|courriel|bo[îi]te\s+de\s+r[ée]ception|posteingang|correo|bandeja|posta|caixa\s+de\s+entrada|inbox/i;

// ---------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------

export const PASSWORD_CHANGED = rx([
  // en
  'password\\s+(?:has\\s+been|was|is\\s+now|is)\\s+(?:successfully\\s+)?(?:changed|reset|updated|set|saved)',
  '(?:successfully|have)\\s+(?:changed|reset|updated)\\s+your\\s+password',
  '^\\s*password\\s+(?:changed|updated|reset)(?:\\s+successfully)?[.!]?\\s*$',
  'new\\s+password\\s+(?:has\\s+been|was)\\s+(?:set|saved)',
  // fr
  'mot\\s+de\\s+passe\\s+a\\s+(?:bien\\s+)?(?:été|ete)\\s+(?:modifi[ée]|r[ée]initialis[ée]|chang[ée]|mis\\s+à\\s+jour|enregistr[ée])',
  '^\\s*mot\\s+de\\s+passe\\s+(?:modifi[ée]|r[ée]initialis[ée]|mis\\s+à\\s+jour)\\s*[.!]?\\s*$',
  // de
  '(?:passwort|kennwort)\\s+wurde\\s+(?:erfolgreich\\s+)?(?:ge[äa]ndert|zur[üu]ckgesetzt|aktualisiert|gespeichert)',
  '(?:passwort|kennwort)\\s+(?:erfolgreich\\s+)?ge[äa]ndert',
  // es
  'contrase[ñn]a\\s+(?:ha\\s+sido|se\\s+ha|fue)\\s+(?:cambiada|restablecida|actualizada|modificada|cambiado|restablecido|actualizado)',
  'se\\s+ha\\s+(?:cambiado|restablecido|actualizado)\\s+(?:tu|su)\\s+contrase[ñn]a',
  // it
  'password\\s+(?:[èe]\\s+stata|modificata|aggiornata|reimpostata)',
  // pt
  '(?:senha|palavra-passe)\\s+(?:foi\\s+)?(?:alterada|redefinida|atualizada|modificada)',
  // nl
  'wachtwoord\\s+is\\s+(?:succesvol\\s+)?(?:gewijzigd|opnieuw\\s+ingesteld|bijgewerkt|aangepast)',
], 'im');

export const EMAIL_SENT = rx([
  // en
  'check\\s+your\\s+(?:email|e-mail|inbox|mail)',
  "we(?:['’]ve|\\s+have)?\\s+(?:just\\s+)?(?:sent|emailed|e-mailed)\\b",
  'an?\\s+(?:reset\\s+|recovery\\s+)?(?:email|link|message)\\s+(?:has\\s+been|was)\\s+sent',
  '(?:link|email)\\s+is\\s+on\\s+its\\s+way',
  "you['’]ll\\s+(?:get|receive)\\s+an?\\s+(?:email|link)",
  'if\\s+(?:an?\\s+account|that\\s+(?:email|address)|there[\'’]s\\s+an?\\s+account)[^.]{0,80}(?:sent|receive|get|on\\s+its\\s+way)',
  // fr
  'consultez\\s+votre\\s+(?:bo[îi]te|messagerie|courrier)|v[ée]rifiez\\s+votre\\s+(?:bo[îi]te|e-?mail|courriel|messagerie)',
  'nous\\s+(?:vous\\s+)?avons\\s+envoy[ée]|vous\\s+(?:allez\\s+)?recev(?:rez|oir)\\s+(?:un|une)\\s+(?:e-?mail|courriel|lien)|(?:e-?mail|courriel|lien)\\s+(?:a\\s+été|vous\\s+a\\s+été)\\s+envoy[ée]',
  // de
  'pr[üu]fen\\s+sie\\s+ihr(?:en)?\\s+(?:posteingang|e-?mail)|wir\\s+haben\\s+ihnen\\s+(?:eine?n?\\s+)?(?:e-?mail|link)|e-?mail\\s+wurde\\s+(?:an\\s+.{0,40}\\s+)?gesendet',
  // es
  'revisa\\s+tu\\s+(?:correo|bandeja)|te\\s+(?:hemos\\s+)?enviado|hemos\\s+enviado|recibir[áa]s\\s+un\\s+(?:correo|enlace)',
  // it
  'controlla\\s+la\\s+tua\\s+(?:email|casella|posta)|ti\\s+abbiamo\\s+inviato|abbiamo\\s+inviato|riceverai\\s+un(?:a)?\\s+(?:email|link)',
  // pt
  'verifique\\s+(?:o\\s+seu\\s+|seu\\s+)?(?:e-?mail|caixa)|enviamos\\s+(?:um|uma)|voc[êe]\\s+receber[áa]',
  // nl
  'controleer\\s+je\\s+(?:e-?mail|inbox|mailbox)|we\\s+hebben\\s+(?:je\\s+)?een\\s+(?:e-?mail|link)|je\\s+ontvangt\\s+een',
]);

// ---------------------------------------------------------------------------
// Consent overlays and CAPTCHAs
// ---------------------------------------------------------------------------

export const CONSENT_TEXT = /cookie|consent|gdpr|rgpd|dsgvo|einwilligung|consentement|consenso|consentimento|toestemming|tracking\s+technolog/i;
export const CONSENT_REJECT = rx([
  '^\\s*(?:reject|decline|refuse|deny)(?:\\s+all)?(?:\\s+cookies)?\\s*$',
  '(?:only|strictly)\\s+(?:necessary|essential|required)|(?:necessary|essential|required)\\s+(?:cookies\\s+)?only|use\\s+necessary\\s+cookies\\s+only',
  'tout\\s+refuser|refuser(?:\\s+tout)?|continuer\\s+sans\\s+accepter|uniquement\\s+(?:les\\s+)?(?:cookies\\s+)?n[ée]cessaires',
  'alle\\s+ablehnen|ablehnen|nur\\s+(?:notwendige|erforderliche|essenzielle)',
  'rechazar(?:\\s+todo|\\s+todas)?|solo\\s+(?:las\\s+)?necesarias',
  'rifiuta(?:\\s+tutto|\\s+tutti)?|solo\\s+necessari',
  'rejeitar(?:\\s+tudo|\\s+todos)?|recusar|apenas\\s+(?:os\\s+)?necess[áa]rios',
  'alles?\\s+weigeren|weigeren|alleen\\s+(?:noodzakelijke|functionele)',
]);
export const CONSENT_ACCEPT = rx([
  '^\\s*(?:accept|allow|agree|ok|okay|got\\s+it|i\\s+agree|i\\s+accept|understood)(?:\\s+(?:all|and\\s+continue|&\\s+continue))?(?:\\s+cookies)?\\s*[.!]?$',
  'accept\\s+all|allow\\s+all|accept\\s+(?:all\\s+)?cookies|agree\\s+(?:and|&)\\s+(?:continue|close)',
  'tout\\s+accepter|accepter(?:\\s+(?:et\\s+continuer|tout|les\\s+cookies))?|j[\'’]accepte',
  'alle\\s+akzeptieren|akzeptieren|zustimmen|einverstanden|alle\\s+(?:cookies\\s+)?zulassen',
  'aceptar(?:\\s+todo|\\s+todas|\\s+cookies)?|acepto',
  'accetta(?:\\s+tutto|\\s+tutti)?|accetto',
  'aceitar(?:\\s+tudo|\\s+todos)?|aceito|concordo',
  'alles?\\s+accepteren|accepteren|akkoord',
]);

export const CAPTCHA_TEXT = rx([
  "i['’]?m\\s+not\\s+a\\s+robot|i\\s+am\\s+not\\s+a\\s+robot|verify\\s+(?:that\\s+)?you\\s+are\\s+(?:a\\s+)?human|are\\s+you\\s+a\\s+robot",
  'je\\s+ne\\s+suis\\s+pas\\s+un\\s+robot',
  'ich\\s+bin\\s+kein\\s+roboter',
  'no\\s+soy\\s+un\\s+robot',
  'non\\s+sono\\s+un\\s+robot',
  'n[ãa]o\\s+sou\\s+um\\s+rob[ôo]',
  'ik\\s+ben\\s+geen\\s+robot',
]);
export const CAPTCHA_IMAGE_TEXT = /select\s+all\s+(?:images|squares)|click\s+(?:on\s+)?(?:all|each)\s+image|s[ée]lectionnez\s+toutes\s+les\s+images|w[äa]hlen\s+sie\s+alle\s+bilder|selecciona\s+todas\s+las\s+im[áa]genes|seleziona\s+tutte\s+le\s+immagini|selecione\s+todas\s+as\s+imagens|selecteer\s+alle\s+afbeeldingen/i;

// ---------------------------------------------------------------------------
// Error messages
// ---------------------------------------------------------------------------

export const ERROR_RATE_LIMITED =
  /too\s+many\s+(?:[\w-]+\s+){0,3}(?:attempts|requests|tries)|try\s+again\s+later|rate\s+limit|slow\s+down|temporarily\s+(?:locked|blocked)|trop\s+de\s+(?:tentatives|demandes)|r[ée]essayez\s+plus\s+tard|zu\s+viele\s+(?:versuche|anfragen)|sp[äa]ter\s+erneut|demasiados\s+intentos|int[ée]ntalo\s+m[áa]s\s+tarde|troppi\s+tentativi|riprova\s+pi[ùu]\s+tardi|muitas\s+tentativas|tente\s+novamente\s+mais\s+tarde|te\s+veel\s+pogingen|probeer\s+het\s+later/i;
export const ERROR_EXPIRED = /expired|expir[ée]|abgelaufen|caducad|expirad|scadut|verlopen/i;
export const ERROR_LINK_WORD = /\blink\b|\btoken\b|\blien\b|\bjeton\b|enlace|collegamento|\bsession\b|sitzung|sesi[óo]n|sess[ãa]o|sessione/i;
export const ERROR_LINK_INVALID =
  /(?:link|token)\s+(?:is\s+|was\s+)?(?:invalid|no\s+longer\s+valid|not\s+valid)|invalid\s+(?:or\s+expired\s+)?(?:reset\s+|password\s+reset\s+)?(?:link|token)|already\s+(?:been\s+)?used|no\s+longer\s+(?:valid|works?)|n['’]est\s+plus\s+valide|d[ée]j[àa]\s+(?:été|ete)\s+utilis[ée]|lien\s+(?:invalide|non\s+valide)|ung[üu]ltig|bereits\s+(?:verwendet|benutzt)|nicht\s+mehr\s+g[üu]ltig|ya\s+(?:se\s+)?(?:ha\s+)?(?:sido\s+)?utilizado|ya\s+no\s+es\s+v[áa]lido|non\s+[èe]\s+pi[ùu]\s+valido|gi[àa]\s+(?:stato\s+)?utilizzato|j[áa]\s+foi\s+utilizado|n[ãa]o\s+[ée]\s+mais\s+v[áa]lido|ongeldig|al\s+gebruikt|niet\s+meer\s+geldig/i;
export const ERROR_CODE_WORD = /\bcode\b|\botp\b|passcode|\bpin\b|two[-\s]?factor|2fa|verification|c[óo]digo|codice|best[äa]tigungscode|verificatiecode/i;
export const ERROR_WRONG =
  /incorrect|invalid|wrong|(?:not|isn['’]t|aren['’]t|wasn['’]t)\s+(?:right|correct|valid|match)|didn['’]t\s+match|doesn['’]t\s+match|does\s+not\s+match|failed|mismatch|erron[ée]|incorrecto|err(?:at|on)[oa]|falsch|ung[üu]ltig|inv[áa]lid|onjuist|ongeldig|enter\s+all/i;
export const ERROR_PASSWORD_POLICY = rx([
  '\\bcharacters?\\b|upper-?\\s?case|lower-?\\s?case|capital\\s+letter|\\bdigits?\\b|\\bnumbers?\\b|numeric|symbols?|special\\s+char',
  '\\blength\\b|too\\s+(?:short|long|weak|common|simple)|does\\s*n[\'’]?o?t\\s+meet|requirements?|\\bstrength\\b|\\bweak\\b',
  'must\\s+(?:contain|include|have|be\\s+(?:at\\s+least|between|different)|not)|at\\s+least|minimum|maximum|different\\s+from|previously\\s+used|been\\s+used\\s+before|recently\\s+used',
  'caract[èe]res?|majuscule|minuscule|chiffre|symbole|sp[ée]cial|longueur|trop\\s+(?:court|faible|simple)|doit\\s+(?:contenir|comporter)',
  'zeichen|gro[ßs]buchstaben|kleinbuchstaben|ziffer|sonderzeichen|zu\\s+(?:kurz|schwach|einfach)|muss\\s+(?:mindestens|enthalten)',
  'caracteres?|may[úu]scula|min[úu]scula|d[íi]gito|n[úu]mero|s[íi]mbolo|demasiado\\s+(?:corta|d[ée]bil)|debe\\s+contener',
  'caratteri|maiuscol|minuscol|cifra|simbolo|troppo\\s+(?:corta|debole)|deve\\s+contenere',
  'mai[úu]scula|min[úu]scula|s[íi]mbolo|muito\\s+(?:curta|fraca)|deve\\s+conter',
  'tekens|hoofdletter|kleine\\s+letter|cijfer|symbool|te\\s+(?:kort|zwak)|moet\\s+(?:minimaal|bevatten)',
]);
export const ERROR_PASSWORD_MISMATCH =
  /(?:passwords?|confirmation)[^.]{0,40}(?:do(?:es)?\s*n[’']?o?t\s+match|don['’]t\s+match|must\s+match|mismatch)|ne\s+correspondent\s+pas|stimmen\s+nicht\s+[üu]berein|no\s+coinciden|non\s+corrispondono|n[ãa]o\s+coincidem|komen\s+niet\s+overeen/i;
export const ERROR_WRONG_PASSWORD = rx([
  '(?:incorrect|wrong|invalid|bad)\\s+(?:\\w+\\s+){0,3}(?:password|credentials|login|details)',
  '(?:password|credentials|details|combination)\\s+(?:\\w+\\s+){0,4}(?:incorrect|wrong|invalid|not\\s+(?:right|correct|valid)|do(?:es)?\\s*n[\'’]?o?t\\s+match)',
  "(?:don['’]t|do\\s+not|doesn['’]t)\\s+match\\s+our\\s+records",
  '(?:mot\\s+de\\s+passe|identifiants?)\\s+(?:\\w+\\s+){0,3}(?:incorrects?|invalides?|erron[ée]s?)',
  '(?:falsches|ung[üu]ltiges)\\s+(?:passwort|kennwort)|(?:passwort|kennwort|zugangsdaten)\\s+(?:\\w+\\s+){0,3}(?:falsch|ung[üu]ltig)',
  'contrase[ñn]a\\s+(?:\\w+\\s+){0,3}(?:incorrecta|inv[áa]lida|err[óo]nea)|credenciales\\s+(?:incorrectas|inv[áa]lidas)',
  'password\\s+(?:\\w+\\s+){0,3}(?:errata|non\\s+valida|sbagliata)|credenziali\\s+(?:errate|non\\s+valide)',
  '(?:senha|palavra-passe)\\s+(?:\\w+\\s+){0,3}(?:incorreta|inv[áa]lida|errada)',
  'wachtwoord\\s+(?:\\w+\\s+){0,3}(?:onjuist|ongeldig|verkeerd)|onjuist\\s+wachtwoord',
]);
export const ERROR_ACCOUNT_NOT_FOUND = rx([
  "(?:couldn['’]t|could\\s+not|can['’]?t|cannot|unable\\s+to)\\s+find\\s+(?:an?\\s+|your\\s+)?(?:\\w+\\s+)?(?:account|user|profile)",
  '(?:no|not\\s+an?)\\s+(?:\\w+\\s+)?(?:account|user)\\s+(?:found|exists|with|for|registered|matches)',
  '(?:account|user|email(?:\\s+address)?)\\s+(?:\\w+\\s+){0,2}(?:not\\s+found|does\\s*n[\'’]?o?t\\s+exist|is\\s+not\\s+registered|not\\s+recogni[sz]ed)',
  'aucun\\s+compte|compte\\s+(?:introuvable|inexistant)|adresse\\s+(?:e-?mail\\s+)?inconnue',
  'kein\\s+(?:konto|benutzer)|konto\\s+(?:nicht\\s+gefunden|existiert\\s+nicht)',
  'no\\s+(?:existe|encontramos)\\s+(?:ninguna\\s+)?cuenta|cuenta\\s+no\\s+(?:existe|encontrada)',
  'nessun\\s+account|account\\s+(?:non\\s+trovato|inesistente)',
  'conta\\s+n[ãa]o\\s+(?:encontrada|existe)|nenhuma\\s+conta',
  'geen\\s+account|account\\s+niet\\s+gevonden',
]);
