// The page the verification email links to (/verify-email#token=…): it
// confirms at once (POST /api/account/verify-email/confirm, the token in the
// body only) and says what happened: confirmed, or the link expired (410),
// was used (409) or is unknown (404), each with its next step. No session is
// needed — the link may be opened on a phone.
import { useEffect, useRef, useState } from 'react';
import { Link } from 'wouter';
import { ApiError, messageOf, post } from '../api/client';
import { useAuth } from '../components/auth';
import { StatusNote } from '../components/form';
import { PageTitle } from '../components/layout';
import { useLinkToken } from '../lib/link-token';

type Outcome = 'confirming' | 'confirmed' | 'missing' | 'expired' | 'used' | 'unknown' | { error: string };

const outcomeOf: Record<number, Outcome> = { 404: 'unknown', 409: 'used', 410: 'expired' };

export function VerifyEmailPage() {
  const token = useLinkToken();
  return <VerifyEmailOutcome key={token ?? ''} token={token} />;
}

function VerifyEmailOutcome({ token }: { token: string | null }) {
  const { user, refresh } = useAuth();
  const [outcome, setOutcome] = useState<Outcome>(token ? 'confirming' : 'missing');
  // Development's StrictMode runs effects twice; the link works once.
  const sent = useRef(false);

  useEffect(() => {
    if (!token || sent.current) return;
    sent.current = true;
    post('/api/account/verify-email/confirm', { token }).then(
      async () => {
        setOutcome('confirmed');
        await refresh().catch(() => undefined); // the banner goes
      },
      (err) => setOutcome((err instanceof ApiError && outcomeOf[err.status]) || { error: messageOf(err) }),
    );
  }, [token, refresh]);

  const home = user ? <Link href="/chat">Go to the chat</Link> : <Link href="/signin">Sign in</Link>;
  const sendAgain = user ? (
    <>Use “Email me a new link” at the top of this page.</>
  ) : (
    <>
      <Link href="/signin">Sign in</Link> and use “Email me a new link” at the top of the page.
    </>
  );

  return (
    <div className="page narrow">
      <PageTitle title="Confirm your email" />
      <div className="card stack">
        {outcome === 'confirming' ? (
          <StatusNote>Confirming your email address…</StatusNote>
        ) : outcome === 'confirmed' ? (
          <>
            <StatusNote kind="ok">Your email address is confirmed. Thank you.</StatusNote>
            <p>{home}</p>
          </>
        ) : outcome === 'used' ? (
          <>
            <Problem>This link was already used: a confirmation link works once.</Problem>
            <p>
              {user?.emailVerified ? 'Your address is confirmed, so there is nothing more to do. ' : 'If your address still shows as unconfirmed: '}
              {user?.emailVerified ? home : sendAgain}
            </p>
          </>
        ) : outcome === 'expired' ? (
          <>
            <Problem>This link has expired: confirmation links work for a limited time.</Problem>
            <p>{sendAgain}</p>
          </>
        ) : outcome === 'unknown' ? (
          <>
            <Problem>This link is not valid. It may have been cut short when it was copied.</Problem>
            <p>Open the whole link from the email again. {sendAgain}</p>
          </>
        ) : outcome === 'missing' ? (
          <>
            <Problem>This page needs the link from your confirmation email.</Problem>
            <p>Open the link from the email again, the whole of it. {sendAgain}</p>
          </>
        ) : (
          <Problem>{outcome.error}</Problem>
        )}
      </div>
    </div>
  );
}

function Problem({ children }: { children: string }) {
  return (
    <p className="notice error" role="alert">
      {children}
    </p>
  );
}
