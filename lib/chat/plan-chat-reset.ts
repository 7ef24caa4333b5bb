// What a chat message asks for, decided before anything streams:
//  - a bare code (4–8 digits) while the person's latest reset waits for one → submit it;
//  - a service (named, misspelled, aliased, a domain or URL; or `serviceId` /
//    `passwordId`) → start a reset of it, with the vault entry that fits;
//  - otherwise a question back (which service? which entry? which URL?).
// Nothing the person typed is echoed unescaped.
import type { Catalog, Service } from '../../catalog/index.js';
import { serviceForUrl } from '../../catalog/index.js';
import type { Config } from '../config.js';
import type { Db } from '../db/index.js';
import { hostBelongsTo, normalizeHost } from '../domains.js';
import { AppError } from '../errors.js';
import type { HostResolver } from '../net/target-guard.js';
import { checkResetTarget } from '../tasks/create-reset-task.js';
import { terminalStatuses } from '../../workflows/reset-password.messages.js';
import { code as inlineCode, escapeMarkdown, type ChatSection } from './markdown.js';

export type ChatPlan =
  | { kind: 'otp'; taskId: string; serviceName: string; code: string }
  | { kind: 'start'; service: Service; serviceUrl?: string; email: string; vaultEntryId?: string }
  | { kind: 'reply'; sections: ChatSection[] };

export interface ChatPlanDeps {
  db: Db;
  catalog: Catalog;
  config: Config;
  resolver?: HostResolver;
}

const CODE_PATTERN = /^\s*(\d(?:[\s-]?\d){3,7})\s*[.!]?\s*$/;

/** "123456", "123 456", "123-456" → "123456"; anything else → null. */
export function codeInMessage(message: string): string | null {
  const m = CODE_PATTERN.exec(message);
  return m ? m[1]!.replace(/[\s-]/g, '') : null;
}

const reply = (...lines: string[]): ChatPlan => ({ kind: 'reply', sections: [{ name: 'result', lines }] });

export async function planChatReset(
  deps: ChatPlanDeps,
  args: { userId: string; message: string; serviceId?: string; passwordId?: string },
): Promise<ChatPlan> {
  const { db, catalog } = deps;

  const typedCode = !args.serviceId && !args.passwordId ? codeInMessage(args.message) : null;
  if (typedCode) {
    const latest = await db.task.findFirst({
      where: { userId: args.userId, status: { notIn: [...terminalStatuses] } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    });
    // The workflow decides whether it waits (its row may lag a moment behind the prompt the person saw).
    if (latest) return { kind: 'otp', taskId: latest.id, serviceName: latest.serviceName, code: typedCode };
    return reply('No reset is waiting for a code. To start one, tell me which site, e.g. “Reset my Netflix password”.');
  }

  const entry = args.passwordId ? await db.vaultEntry.findFirst({ where: { id: args.passwordId, userId: args.userId } }) : null;
  if (args.passwordId && !entry) throw new AppError('not_found', 'Vault entry not found');

  // ---- which service ----
  let service: Service | undefined;
  let serviceUrl: string | undefined;
  if (args.serviceId) {
    service = catalog.get(args.serviceId);
    if (!service) throw new AppError('not_found', 'Unknown service');
  } else if (entry) {
    service = (entry.serviceId ? catalog.get(entry.serviceId) : undefined) ?? catalog.byDomain(entry.url);
    if (!service) {
      const generic = genericService(entry.url);
      if (!generic) return reply('That vault entry has no usable website address. Add one, or tell me the site’s address.');
      service = generic;
      serviceUrl = entry.url;
    }
  } else {
    const resolved = catalog.resolve(args.message);
    if ('match' in resolved) service = resolved.match;
    else if ('candidates' in resolved) {
      return reply('Which one do you mean?', ...resolved.candidates.map((s) => `- ${escapeMarkdown(s.name)} (${inlineCode(s.id)})`), 'Reply with the name, or send `serviceId`.');
    } else {
      const url = urlInMessage(args.message) ?? (resolved.domainGuess ? `https://${resolved.domainGuess}` : undefined);
      const generic = url ? genericService(url) : undefined;
      if (!url || !generic) {
        return reply('I could not tell which website you mean. Send its address, for example `https://example.com`, or its name as it appears in your vault.');
      }
      service = generic;
      serviceUrl = url;
    }
  }

  if (serviceUrl) {
    try {
      serviceUrl = (await checkResetTarget(deps, serviceUrl, 'message')).href;
    } catch (err) {
      if (err instanceof AppError && err.code === 'target_not_allowed') {
        return reply(`I cannot reset a password on ${escapeMarkdown(normalizeHost(serviceUrl) || serviceUrl)}: ${escapeMarkdown(err.message, 300)}`);
      }
      throw err;
    }
  }

  // ---- which vault entry, and so which account email ----
  let chosen = entry;
  if (!chosen) {
    const entries = await db.vaultEntry.findMany({ where: { userId: args.userId }, orderBy: { updatedAt: 'desc' }, take: 500 });
    const matching = entries.filter((e) => e.serviceId === service.id || entryHostBelongs(e.url, service.domains));
    if (matching.length > 1) {
      return reply(
        `You have ${matching.length} ${escapeMarkdown(service.name)} entries in your vault. Which one should I reset?`,
        ...matching.slice(0, 10).map((e) => `- ${e.label ? `${escapeMarkdown(e.label)} — ` : ''}${escapeMarkdown(e.email ?? e.username)} (${inlineCode(e.id)})`),
        'Send the message again with `passwordId` set to the entry’s id.',
      );
    }
    chosen = matching[0] ?? null;
  }
  let email = chosen ? (chosen.email ?? chosen.username) : undefined;
  if (!email) {
    const user = await db.user.findUnique({ where: { id: args.userId }, select: { email: true } });
    if (!user) throw new AppError('unauthorized', 'Sign in again');
    email = user.email;
  }
  return { kind: 'start', service, ...(serviceUrl ? { serviceUrl } : {}), email, ...(chosen ? { vaultEntryId: chosen.id } : {}) };
}

function genericService(url: string): Service | undefined {
  try {
    return serviceForUrl(url);
  } catch {
    return undefined;
  }
}

function entryHostBelongs(url: string, domains: readonly string[]): boolean {
  try {
    const host = normalizeHost(url);
    return !!host && hostBelongsTo(host, domains);
  } catch {
    return false;
  }
}

/** The first http(s) URL in the text, as typed (paths included). */
function urlInMessage(message: string): string | undefined {
  const m = /\bhttps?:\/\/[^\s<>"']+/i.exec(message);
  return m ? m[0].replace(/[)>\].,;:!?]+$/, '') : undefined;
}
