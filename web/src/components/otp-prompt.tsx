// When a reset waits for a one-time code: the phone link as a QR code and a
// link, and a field to type the code here instead.
import { useId, useState, type FormEvent } from 'react';
import { QrCode } from './qr';

export function OtpPrompt(props: { url: string; service?: string; onCode?: (code: string) => Promise<void> }) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const titleId = useId();
  const inputId = useId();
  const absolute = new URL(props.url, window.location.origin).href;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!props.onCode) return;
    const clean = code.replace(/[\s-]/g, '');
    if (!/^[0-9A-Za-z]{4,10}$/.test(clean)) {
      setNote({ kind: 'error', text: 'Type the code as the site sent it (4 to 10 digits).' });
      return;
    }
    setBusy(true);
    setNote(null);
    try {
      await props.onCode(clean);
      setNote({ kind: 'ok', text: 'Code sent to the reset.' });
      setCode('');
    } catch (err) {
      setNote({ kind: 'error', text: err instanceof Error ? err.message : 'That did not work.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="otp-prompt" aria-labelledby={titleId}>
      <h3 id={titleId}>{props.service ? `${props.service} asks for a code` : 'The site asks for a code'}</h3>
      <div className="otp-body">
        <QrCode text={absolute} label="QR code of the link to type the code on your phone" size={180} />
        <div>
          <p>
            Scan the QR code with your phone, or open{' '}
            <a href={absolute} target="_blank" rel="noopener noreferrer" className="otp-link">
              the code page
            </a>
            , and type the code the site sent you. No sign-in needed on the phone.
          </p>
          {props.onCode && (
            <form onSubmit={submit} className="inline-form">
              <label htmlFor={inputId}>Or type the code here</label>
              <div className="row">
                <input
                  id={inputId}
                  value={code}
                  onChange={(e) => setCode(e.target.value)}
                  autoComplete="one-time-code"
                  inputMode="numeric"
                  maxLength={14}
                />
                <button type="submit" disabled={busy}>
                  Send code
                </button>
              </div>
            </form>
          )}
          {note && (
            <p className={`notice ${note.kind}`} role={note.kind === 'error' ? 'alert' : 'status'}>
              {note.text}
            </p>
          )}
        </div>
      </div>
    </section>
  );
}
