// The person as the API shows them: no hash, no secret.
export interface PublicUser {
  id: string;
  email: string;
  name: string | null;
  role: 'user' | 'staff';
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
}

export function toPublicUser(user: {
  id: string;
  email: string;
  name: string | null;
  role: string;
  emailVerifiedAt: Date | null;
  totpEnabledAt: Date | null;
  createdAt: Date;
}): PublicUser {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role === 'staff' ? 'staff' : 'user',
    emailVerified: Boolean(user.emailVerifiedAt),
    twoFactorEnabled: Boolean(user.totpEnabledAt),
    createdAt: user.createdAt.toISOString(),
  };
}
