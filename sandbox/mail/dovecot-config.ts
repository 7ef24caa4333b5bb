import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';

export interface DovecotLayout {
  baseDir: string;
  /** Dovecot's `base_dir` (sockets, master.pid): short, unix socket paths max out at 108 bytes. */
  runDir: string;
  stateDir: string;
  mailDir: string;
  configPath: string;
  /** One passwd-file per user (`<usersDir>/<user>`): see renderDovecotConfig. */
  usersDir: string;
  mastersPath: string;
  logPath: string;
}

/** The system accounts Dovecot's processes run as. */
export interface DovecotAccounts {
  /** Unprivileged login processes; Dovecot refuses to run them as root. */
  loginUser: string;
  /** auth, anvil, stats, … */
  internalUser: string;
  internalGroup: string;
  /** Owner of the mail files; Dovecot refuses uid 0 for mail access. */
  mailUid: number;
  mailGid: number;
  asRoot: boolean;
}

/**
 * As root: mail and login as `nobody` (present on every Linux), internal services as
 * root. Otherwise everything runs as the current user, with chroots turned off.
 */
export function pickAccounts(): DovecotAccounts {
  const me = userInfo();
  if (me.uid !== 0) {
    const group = lookupGroupName(me.gid) ?? me.username;
    return { loginUser: me.username, internalUser: me.username, internalGroup: group, mailUid: me.uid, mailGid: me.gid, asRoot: false };
  }
  const nobody = lookupUser('nobody') ?? { uid: 65534, gid: 65534 };
  return { loginUser: 'nobody', internalUser: 'root', internalGroup: 'root', mailUid: nobody.uid, mailGid: nobody.gid, asRoot: true };
}

export function renderDovecotConfig(layout: DovecotLayout, accounts: DovecotAccounts, port: number, extra = ''): string {
  const noChroot = accounts.asRoot ? '' : '  chroot =\n';
  return `# Written by sandbox/mail/dovecot.ts: a throwaway IMAP server for tests and dev.
protocols = imap
listen = 127.0.0.1
base_dir = ${layout.runDir}
state_dir = ${layout.stateDir}
instance_name = rekey-${port}
log_path = ${layout.logPath}
info_log_path = ${layout.logPath}
ssl = no
disable_plaintext_auth = no
login_trusted_networks = 127.0.0.0/8
auth_mechanisms = plain login
auth_failure_delay = 0
auth_master_user_separator = *
default_login_user = ${accounts.loginUser}
default_internal_user = ${accounts.internalUser}
default_internal_group = ${accounts.internalGroup}
first_valid_uid = ${accounts.mailUid}
last_valid_uid = ${accounts.mailUid}
first_valid_gid = ${accounts.mailGid}
mail_location = maildir:~/Maildir
mail_fsync = never
mail_max_userip_connections = 200
login_greeting = Rekey sandbox IMAP ready

# The sandbox's own key to every mailbox: deliver() appends as "<user>*<master>".
passdb {
  driver = passwd-file
  args = username_format=%u ${layout.mastersPath}
  master = yes
  result_success = continue
}
# One file per user: Dovecot re-reads a changed passwd-file at most once a second, but
# opens a file it has not seen yet at once, so a user added a moment ago can log in.
passdb {
  driver = passwd-file
  args = username_format=%u ${layout.usersDir}/%u
}
userdb {
  driver = passwd-file
  args = username_format=%u ${layout.usersDir}/%u
  default_fields = uid=${accounts.mailUid} gid=${accounts.mailGid} home=${layout.mailDir}/%u
}
service imap-login {
${noChroot}  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
${noChroot}  # No auth penalty: tests fail logins on purpose and must not slow the next ones down.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
${extra}
`;
}

/** A passwd-file line; salted SHA-512 so any password (colons included) is stored safely. */
export function passwdLine(user: string, password: string): string {
  const salt = randomBytes(8);
  const digest = createHash('sha512').update(password).update(salt).digest();
  return `${user}:{SSHA512}${Buffer.concat([digest, salt]).toString('base64')}::::::\n`;
}

function lookupUser(name: string): { uid: number; gid: number } | null {
  const line = readDb('/etc/passwd').find((fields) => fields[0] === name);
  return line ? { uid: Number(line[2]), gid: Number(line[3]) } : null;
}

function lookupGroupName(gid: number): string | null {
  return readDb('/etc/group').find((fields) => Number(fields[2]) === gid)?.[0] ?? null;
}

function readDb(path: string): string[][] {
  try {
    return readFileSync(path, 'utf8').split('\n').map((line) => line.split(':'));
  } catch {
    return [];
  }
}
