// The caller as the API shows them; 401 when the account is gone.
import { AppError } from '../errors.js';
import type { AccountDeps } from './deps.js';
import { toPublicUser, type PublicUser } from './public-user.js';

export async function getUser(deps: Pick<AccountDeps, 'db'>, opts: { userId: string }): Promise<PublicUser> {
  const user = await deps.db.user.findUnique({ where: { id: opts.userId } });
  if (!user) throw new AppError('unauthorized', 'Sign in again');
  return toPublicUser(user);
}
