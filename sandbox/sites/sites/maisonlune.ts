import type { Context } from 'hono';
import { documentPage, html } from '../layout.js';
import { renderEmail } from '../mail.js';
import { checkPassword, type PolicyMessages } from '../policy.js';
import { completeReset, createSiteApp, csrfToken, csrfValid, field, readForm, sendResetLink, type Shell } from '../site-kit.js';
import type { Brand, SiteContext, SiteDefinition } from '../types.js';

/**
 * Maison Lune — a French home-decor shop. Pages, errors and the reset email
 * are in French ("Mot de passe oublié ?", « Réinitialiser »). Server-rendered
 * forms with a CSRF token; the link carries `?jeton=`.
 */
const brand: Brand = { name: 'Maison Lune', initials: 'ML', color: '#7c3aed', ink: '#3f3351', font: "'Playfair Display', Georgia, serif" };
const CSRF = 'ml_csrf';
const rules = { minLength: 8, upper: true, digit: true };
const messagesFr: Partial<PolicyMessages> = {
  minLength: (n) => `Le mot de passe doit contenir au moins ${n} caractères.`,
  upper: 'Le mot de passe doit contenir au moins une majuscule.',
  digit: 'Le mot de passe doit contenir au moins un chiffre.',
};

const css = `
*{box-sizing:border-box}body{margin:0;font:16px/1.6 'Lato','Helvetica Neue',Arial,sans-serif;color:#3f3351;background:#fdf8f3}
.entete{text-align:center;padding:26px 0 10px;border-bottom:1px solid #eadfd3;background:#fffaf5}
.entete nav{margin-top:12px}.entete nav a{color:#3f3351;text-decoration:none;margin:0 16px;font-size:14px;letter-spacing:.08em;text-transform:uppercase}
.contenu{max-width:480px;margin:48px auto;padding:0 20px}
.contenu h1{font-family:'Playfair Display',Georgia,serif;font-weight:400;font-size:34px;text-align:center}
.champ{margin:18px 0}.champ label{display:block;font-size:14px;margin-bottom:4px}
.champ input{width:100%;padding:12px;border:1px solid #c9b8a6;background:#fff;font-size:16px;border-radius:0}
.bouton{width:100%;background:#3f3351;color:#fff;border:0;padding:14px;font-size:15px;letter-spacing:.1em;text-transform:uppercase;cursor:pointer}
.message{padding:12px 14px;margin:16px 0;font-size:15px}.message.erreur{background:#fbeaea;color:#8a1f1f}.message.succes{background:#eaf6ee;color:#1d5c35}
.vitrine{display:grid;grid-template-columns:repeat(3,1fr);gap:20px;max-width:960px;margin:40px auto;padding:0 20px}
.vitrine figure{margin:0;background:#fff;padding:12px}.vitrine .img{height:180px;background:#e9dcf7}
.pied{text-align:center;font-size:13px;color:#7a6b8a;padding:30px;border-top:1px solid #eadfd3}.pied a{color:#7a6b8a;margin:0 10px}
`;

const makeShell =
  (ctx: SiteContext): Shell =>
  (c, title, body) =>
    documentPage({
      lang: 'fr',
      title: `${title} – Maison Lune`,
      css,
      body: html`<header class="entete"><a href="/"><img src="/static/logo.svg" alt="Maison Lune" height="40"></a>
<nav><a href="/">Nouveautés</a><a href="/">Luminaires</a><a href="/">Linge de maison</a>${
        ctx.sessions.current(c) ? html`<a href="/mon-compte">Mon compte</a>` : html`<a href="/connexion">Se connecter</a>`
      }</nav></header>
${body}
<footer class="pied"><a href="/help">Aide</a><a href="/privacy">Politique de confidentialité</a><a href="/terms">CGV</a><p>© Maison Lune — Paris</p></footer>`,
    });

export const maisonlune: SiteDefinition = {
  slug: 'maisonlune',
  name: 'Maison Lune',
  description: 'Une boutique de décoration en français : pages, erreurs et e-mails en français.',
  kind: 'localized',
  language: 'fr-FR',
  loginPath: '/connexion',
  resetPath: '/mot-de-passe-oublie',
  changePasswordPath: '/mot-de-passe-oublie',
  passwordPolicy: { description: '8 caractères minimum, dont au moins une majuscule et un chiffre.', rules: 'minlength: 8; required: upper; required: digit; allowed: lower, special;' },
  otp: 'none',
  successText: 'Votre mot de passe a été modifié.',
  sessionCookie: 'ml_session',
  brand,
  build(ctx) {
    const shell = makeShell(ctx);
    const app = createSiteApp(ctx, { brand, shell, changePasswordPath: '/mot-de-passe-oublie' });
    const expired = (c: Context) =>
      c.html(shell(c, 'Session expirée', html`<main class="contenu"><h1>Session expirée</h1><div class="message erreur" role="alert">Votre session a expiré. Veuillez recharger la page et réessayer.</div></main>`), 403);

    app.get('/', (c) =>
      c.html(
        shell(
          c,
          'Accueil',
          html`<main><h1 style="text-align:center;font-family:Georgia,serif;font-weight:400;font-size:40px;margin-top:40px">La douceur du soir, chez vous.</h1>
<div class="vitrine"><figure><div class="img"></div><figcaption>Lampe Croissant — 89 €</figcaption></figure>
<figure><div class="img"></div><figcaption>Plaid Nuit d’été — 59 €</figcaption></figure><figure><div class="img"></div><figcaption>Bougie Minuit — 24 €</figcaption></figure></div></main>`,
        ),
      ),
    );

    const loginPage = (c: Context, options: { error?: string; success?: string; email?: string } = {}) =>
      shell(
        c,
        'Connexion',
        html`<main class="contenu"><h1>Connexion</h1>
${options.success ? html`<div class="message succes" role="status">${options.success}</div>` : ''}
${options.error ? html`<div class="message erreur" role="alert">${options.error}</div>` : ''}
<form method="post" action="/connexion">
  <input type="hidden" name="csrf" value="${csrfToken(c, CSRF)}">
  <div class="champ"><label for="courriel">Adresse e-mail</label><input id="courriel" name="courriel" type="email" autocomplete="email" value="${options.email ?? ''}" required></div>
  <div class="champ"><label for="mot_de_passe">Mot de passe</label><input id="mot_de_passe" name="mot_de_passe" type="password" autocomplete="current-password" required></div>
  <p><a href="/mot-de-passe-oublie">Mot de passe oublié ?</a></p>
  <button class="bouton" type="submit">Se connecter</button>
</form></main>`,
      );
    app.get('/connexion', (c) => c.html(loginPage(c, c.req.query('modifie') ? { success: 'Votre mot de passe a été modifié. Vous pouvez maintenant vous connecter.' } : {})));
    app.post('/connexion', async (c) => {
      const body = await readForm(c);
      if (!csrfValid(c, CSRF, field(body, 'csrf'))) return expired(c);
      const user = ctx.users.authenticate(field(body, 'courriel'), field(body, 'mot_de_passe'));
      if (!user) return c.html(loginPage(c, { error: 'Adresse e-mail ou mot de passe incorrect.', email: field(body, 'courriel') }), 401);
      ctx.users.recordLogin(user.id);
      ctx.sessions.start(c, user);
      return c.redirect('/mon-compte', 302);
    });
    app.post('/deconnexion', (c) => {
      ctx.sessions.end(c);
      return c.redirect('/', 302);
    });
    app.get('/mon-compte', (c) => {
      const session = ctx.sessions.current(c);
      if (!session) return c.redirect('/connexion', 302);
      return c.html(
        shell(
          c,
          'Mon compte',
          html`<main class="contenu"><h1>Mon compte</h1><p>Connecté en tant que ${session.email}</p><p>Vous n’avez pas encore passé de commande.</p>
<form method="post" action="/deconnexion"><button class="bouton" type="submit">Se déconnecter</button></form></main>`,
        ),
      );
    });

    const forgotPage = (c: Context, options: { error?: string; success?: string } = {}) =>
      shell(
        c,
        'Mot de passe oublié',
        html`<main class="contenu"><h1>Mot de passe oublié</h1>
<p>Saisissez l’adresse e-mail associée à votre compte. Nous vous enverrons un lien pour réinitialiser votre mot de passe.</p>
${options.success ? html`<div class="message succes" role="status">${options.success}</div>` : ''}
${options.error ? html`<div class="message erreur" role="alert">${options.error}</div>` : ''}
<form method="post" action="/mot-de-passe-oublie">
  <input type="hidden" name="csrf" value="${csrfToken(c, CSRF)}">
  <div class="champ"><label for="courriel">Adresse e-mail</label><input id="courriel" name="courriel" type="email" autocomplete="email" required></div>
  <button class="bouton" type="submit">Envoyer le lien de réinitialisation</button>
</form><p><a href="/connexion">Retour à la connexion</a></p></main>`,
      );
    app.get('/mot-de-passe-oublie', (c) => c.html(forgotPage(c)));
    app.post('/mot-de-passe-oublie', async (c) => {
      const body = await readForm(c);
      if (!csrfValid(c, CSRF, field(body, 'csrf'))) return expired(c);
      const email = field(body, 'courriel').trim();
      if (!email.includes('@')) return c.html(forgotPage(c, { error: 'Veuillez saisir une adresse e-mail valide.' }), 422);
      await sendResetLink(ctx, email, {
        url: (secret) => `${ctx.origin}/reinitialiser-mot-de-passe?jeton=${secret}`,
        mail: (_user, url) => ({
          subject: 'Réinitialisation de votre mot de passe',
          encoding: 'base64',
          ...renderEmail({
            brand,
            origin: ctx.origin,
            language: 'fr',
            preheader: 'Choisissez un nouveau mot de passe pour votre compte Maison Lune.',
            greeting: 'Bonjour,',
            paragraphs: [
              'Vous avez demandé la réinitialisation du mot de passe de votre compte Maison Lune.',
              'Cliquez sur le bouton ci-dessous pour choisir un nouveau mot de passe. Ce lien est valable 30 minutes et ne peut être utilisé qu’une seule fois.',
            ],
            action: { label: 'Réinitialiser mon mot de passe', url, copyHint: 'Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :' },
            closing: ['Si vous n’êtes pas à l’origine de cette demande, ignorez simplement cet e-mail : votre mot de passe restera inchangé.', '', 'À très bientôt,', 'L’équipe Maison Lune'],
            footer: {
              privacy: 'Politique de confidentialité',
              unsubscribe: 'Se désabonner de la newsletter',
              help: 'Aide',
              address: '12 rue de la Lune, 75002 Paris',
              reason: 'Vous recevez cet e-mail suite à une action de sécurité sur votre compte Maison Lune.',
            },
          }),
        }),
      });
      return c.html(forgotPage(c, { success: 'Si un compte existe pour cette adresse, vous recevrez un e-mail contenant un lien de réinitialisation.' }));
    });

    const resetPage = (c: Context, jeton: string, errors: string[] = []) =>
      shell(
        c,
        'Nouveau mot de passe',
        html`<main class="contenu"><h1>Nouveau mot de passe</h1>
${errors.length ? html`<div class="message erreur" role="alert">${errors.map((e) => html`<div>${e}</div>`)}</div>` : ''}
<form method="post" action="/reinitialiser-mot-de-passe">
  <input type="hidden" name="csrf" value="${csrfToken(c, CSRF)}"><input type="hidden" name="jeton" value="${jeton}">
  <div class="champ"><label for="nouveau_mot_de_passe">Nouveau mot de passe</label><input id="nouveau_mot_de_passe" name="nouveau_mot_de_passe" type="password" autocomplete="new-password" required></div>
  <div class="champ"><label for="confirmation">Confirmer le mot de passe</label><input id="confirmation" name="confirmation" type="password" autocomplete="new-password" required></div>
  <p style="font-size:14px">8 caractères minimum, dont au moins une majuscule et un chiffre.</p>
  <button class="bouton" type="submit">Réinitialiser</button>
</form></main>`,
      );
    const invalid = (c: Context, status: string) =>
      c.html(
        shell(
          c,
          'Lien expiré',
          html`<main class="contenu"><h1>Lien expiré</h1><div class="message erreur" role="alert">${
            status === 'used' ? 'Ce lien a déjà été utilisé.' : 'Ce lien de réinitialisation n’est plus valide ou a expiré.'
          }</div><p><a href="/mot-de-passe-oublie">Demander un nouveau lien</a></p></main>`,
        ),
        410,
      );
    app.get('/reinitialiser-mot-de-passe', (c) => {
      const jeton = c.req.query('jeton') ?? '';
      const found = ctx.users.findBySecret('reset-link', jeton);
      return found.status === 'valid' ? c.html(resetPage(c, jeton)) : invalid(c, found.status);
    });
    app.post('/reinitialiser-mot-de-passe', async (c) => {
      const body = await readForm(c);
      if (!csrfValid(c, CSRF, field(body, 'csrf'))) return expired(c);
      const jeton = field(body, 'jeton');
      const found = ctx.users.findBySecret('reset-link', jeton);
      if (found.status !== 'valid' || !found.user || !found.token) return invalid(c, found.status);
      const password = field(body, 'nouveau_mot_de_passe');
      const errors = checkPassword(password, rules, messagesFr);
      if (password !== field(body, 'confirmation')) errors.push('Les deux mots de passe ne correspondent pas.');
      if (errors.length) return c.html(resetPage(c, jeton, errors), 422);
      completeReset(ctx, found.user, password, [found.token.id]);
      return c.redirect('/connexion?modifie=1', 303);
    });

    return { app };
  },
};
