// What the new-password form says about acceptable passwords: the input's
// minlength / maxlength / pattern / passwordrules, and the visible policy text
// around it (its form or card, aria-describedby targets, requirement lists) —
// never the whole page. Error messages are reported apart, as errorText.
import type { Page } from 'playwright-core';
import { runAgent } from './frames.js';
import { pickNewPasswordFields, toTarget, waitForFields } from './locate-fields.js';
import type { PasswordHints } from './navigator.js';
import { redactFor, type NavContext } from './options.js';
import type { FieldSurroundings } from './page-agent.js';

const toInt = (v: string | null) => (v !== null && /^\s*\d+\s*$/.test(v) ? Number(v) : undefined);

export async function readPasswordHints(page: Page, ctx: NavContext): Promise<PasswordHints> {
  const { found, entries } = await waitForFields(page, ctx, (fields) => pickNewPasswordFields(fields)?.[0] ?? null);
  if (!found) return { policyText: '' };
  const target = toTarget(entries, found);
  const around = await runAgent<FieldSurroundings>(target.frame, { cmd: 'surroundings', fieldId: found.field.id });
  if (!around) return { policyText: '' };
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();
  const described = flat(around.describedBy);
  const policy = described && !flat(around.policyText).includes(described) ? `${described}\n${around.policyText}` : around.policyText;
  const minLength = toInt(around.minLength);
  const maxLength = toInt(around.maxLength);
  const hints: PasswordHints = {
    ...(minLength !== undefined ? { minLength } : {}),
    ...(maxLength !== undefined && maxLength > 0 ? { maxLength } : {}),
    ...(around.pattern ? { pattern: around.pattern } : {}),
    ...(around.passwordRules ? { passwordRules: around.passwordRules } : {}),
    policyText: redactFor(page, policy, 2_000),
    ...(around.errorText ? { errorText: redactFor(page, around.errorText, 1_000) } : {}),
  };
  ctx.log.debug({ hasRules: !!hints.passwordRules, minLength: hints.minLength, maxLength: hints.maxLength, textLength: hints.policyText.length }, 'password hints');
  return hints;
}
