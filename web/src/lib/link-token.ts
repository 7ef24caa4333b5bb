// The token of an emailed account link (/reset-password#token=…,
// /verify-email#token=…). It rides in the fragment so it never reaches a
// server log or a Referer header; the page reads it, sends it only in a POST
// body, and takes it out of the address bar (history, bookmarks, a screenshot
// of the window) at once.
import { useEffect, useState } from 'react';

export function tokenFromFragment(hash: string): string | null {
  const token = new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim();
  return token ? token : null;
}

/**
 * The link's token, read from the fragment on first render; the fragment is
 * then removed from the address bar. A link opened in the same tab later only
 * changes the fragment (the page is not loaded again): its token replaces the
 * first, so key the page's state by the token.
 */
export function useLinkToken(): string | null {
  const [token, setToken] = useState(() => tokenFromFragment(window.location.hash));
  useEffect(() => {
    const take = () => {
      const next = tokenFromFragment(window.location.hash);
      if (next) setToken(next);
      if (window.location.hash) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    };
    take();
    window.addEventListener('hashchange', take);
    return () => window.removeEventListener('hashchange', take);
  }, []);
  return token;
}
