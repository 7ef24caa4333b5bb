/*
 * Words around a service name in what people type ("please reset my Netflix password",
 * "réinitialiser mon mot de passe Spotify"). They are dropped before fuzzy matching so
 * that "password" never fuzzy-matches anything. Lower-case and without accents, because
 * the resolver folds input the same way. No service name or alias may appear here
 * (tests/catalog check it).
 */

const english = `
  reset resets resetting change changing changed update updating rotate renew new recover
  recovery restore forgot forgotten forget lost locked out unlock
  password passwords passwd pass passphrase pw pwd pword credentials login logon signin
  sign log in account acct accounts profile user username email mail e-mail address
  id website site service app my mine our the a an for on at of to with from via using by
  please pls plz kindly can could would will you u i me we need want wanna like help
  do does it is this that and also now again asap quickly just make set get let lets s
  hey hi hello thanks thank
`;

const french = `
  reinitialiser reinitialise reinitialisez reinitialisation changer change changez modifier
  modifiez mettre jour renouveler oublie oubliee perdu mot de passe mdp compte identifiant
  connexion mon ma mes le la les l du des un une sur pour avec svp stp s il vous plait
  merci je j veux voudrais aimerais peux pouvez tu te m moi d nouveau nouvel nouvelle
  courriel adresse
`;

const german = `
  zurucksetzen zuruck setzen setze setz andern andere aendern erneuern vergessen neues neue
  neu neuen passwort kennwort konto zugang anmeldung benutzerkonto mein meine meinen
  meinem meiner das die der den dem fur von bei auf mit bitte ich will mochte moechte
  kannst konnen du sie mal
`;

const spanish = `
  restablecer restablece resetear reiniciar cambiar cambia cambiame actualizar recuperar
  olvide olvidado olvidada contrasena clave cuenta usuario correo mi mis el los las de
  del en para por favor quiero necesito puedes podrias nueva nuevo
`;

// Enough Italian, Portuguese and Dutch for the everyday phrasing.
const others = `
  reimposta reimpostare cambiare mia mio il per favore
  redefinir alterar senha minha meu conta
  wachtwoord wijzigen herstellen mijn alsjeblieft
`;

export const fillerWords: ReadonlySet<string> = new Set(
  [english, french, german, spanish, others].join(' ').split(/\s+/).filter(Boolean),
);
