// Who is signed in: GET /api/auth/me once, then whatever sign-in, sign-up and
// sign-out say. A 401 from any call means the session is gone.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, get, onUnauthorized, post } from '../api/client';
import type { User } from '../api/types';
import { forgetConversation } from '../lib/saved-conversation';

interface AuthState {
  user: User | null;
  loading: boolean;
  setUser(user: User | null): void;
  refresh(): Promise<void>;
  signOut(): Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<User | null>(null);
  const [loading, setLoading] = useState(true);

  const refresh = useCallback(async () => {
    try {
      setUser((await get<{ user: User }>('/api/auth/me')).user);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setUser(null);
      else throw err;
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void refresh().catch(() => setLoading(false));
    return onUnauthorized(() => setUser(null));
  }, [refresh]);

  const signOut = useCallback(async () => {
    await post('/api/auth/signout').catch(() => undefined);
    // The chat kept for a reload of this tab goes with the session.
    forgetConversation();
    setUser(null);
  }, []);

  const value = useMemo(() => ({ user, loading, setUser, refresh, signOut }), [user, loading, refresh, signOut]);
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthState {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
