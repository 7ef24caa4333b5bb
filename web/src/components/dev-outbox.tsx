// Whether this server keeps account emails in the development outbox
// (GET /api/dev/outbox answers only in development without SMTP_URL, and only
// to this computer), and the sentence that points there.
import { useEffect, useState } from 'react';
import { Link } from 'wouter';
import { request } from '../api/client';

export function useDevOutboxAvailable(): boolean {
  const [available, setAvailable] = useState(false);
  useEffect(() => {
    let live = true;
    request('GET', '/api/dev/outbox').then(
      () => live && setAvailable(true),
      () => live && setAvailable(false),
    );
    return () => {
      live = false;
    };
  }, []);
  return available;
}

export function DevOutboxHint() {
  const available = useDevOutboxAvailable();
  if (!available) return null;
  return (
    <p className="hint">
      This server runs in development without an email server: account emails are kept in the{' '}
      <Link href="/dev/outbox">Outbox (development)</Link>.
    </p>
  );
}
