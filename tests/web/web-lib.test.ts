// The web UI's pure parts, without a browser: the RFC 4180 CSV parser, the
// password-manager import mapping, the SSE parser for fetch() streams, and
// the chat's section model.
import { describe, expect, it } from 'vitest';
import { parseCsv, parseCsvTable } from '../../web/src/lib/csv.js';
import { applySection, canRetry, emptyReply, entryIdOf, jobIdOf, otpPending, outcomeOf, parseSection, progressLine } from '../../web/src/lib/chat-sections.js';
import { createSseParser, readSse, type SseEvent } from '../../web/src/lib/sse.js';
import { detectFormat, importCsv, siteUrl } from '../../web/src/lib/vault-import.js';

describe('parseCsv (RFC 4180)', () => {
  it('splits fields and records, CRLF or LF, with or without a final newline', () => {
    expect(parseCsv('a,b,c\r\n1,2,3\r\n')).toEqual([['a', 'b', 'c'], ['1', '2', '3']]);
    expect(parseCsv('a,b\n1,2')).toEqual([['a', 'b'], ['1', '2']]);
    expect(parseCsv('a,b\r1,2\r')).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('quoted fields hold commas, doubled quotes and line breaks', () => {
    expect(parseCsv('"a,b","say ""hi""","line1\r\nline2"\n')).toEqual([['a,b', 'say "hi"', 'line1\r\nline2']]);
    expect(parseCsv('"",x\n')).toEqual([['', 'x']]);
    expect(parseCsv('""""\n')).toEqual([['"']]);
  });

  it('keeps empty fields, including a trailing one', () => {
    expect(parseCsv('a,,c\n,\n')).toEqual([['a', '', 'c'], ['', '']]);
    expect(parseCsv('a,')).toEqual([['a', '']]);
  });

  it('is lenient like spreadsheet exporters: stray quotes, text after a closing quote, a BOM, blank lines', () => {
    expect(parseCsv('ab"c,d\n')).toEqual([['ab"c', 'd']]);
    expect(parseCsv('"ab"c,d\n')).toEqual([['abc', 'd']]);
    expect(parseCsv('\uFEFFname,url\n\nx,y\n')).toEqual([['name', 'url'], ['x', 'y']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('an unterminated quote runs to the end of the input', () => {
    expect(parseCsv('"abc,def\nghi')).toEqual([['abc,def\nghi']]);
  });

  it('parseCsvTable keys rows by the header; missing fields are empty', () => {
    expect(parseCsvTable('a, b\n1\n')).toEqual({ header: ['a', 'b'], rows: [{ a: '1', b: '' }] });
  });
});

describe('importCsv', () => {
  it('Chrome: name,url,username,password,note', () => {
    const csv = 'name,url,username,password,note\r\nexample.com,https://example.com/login,ada@example.com,"p,ss""word",\r\nno-site,,bob,pw,\r\n';
    const r = importCsv(csv);
    expect(r.format).toBe('chrome');
    expect(r.entries).toEqual([{ url: 'https://example.com/login', username: 'ada@example.com', password: 'p,ss"word', label: 'example.com' }]);
    expect(r.skipped).toEqual([{ row: 2, reason: 'no website' }]);
  });

  it('Bitwarden: logins only, the first URI, the TOTP secret kept', () => {
    const csv = [
      'folder,favorite,type,name,notes,fields,reprompt,login_uri,login_username,login_password,login_totp',
      ',1,login,GitHub,"multi\nline note",,0,"https://github.com/login,https://github.com",octo,s3cret,JBSWY3DPEHPK3PXP',
      ',,note,Secure note,hello,,0,,,,',
      ',,login,App,,,0,androidapp://com.example,me,pw,',
      ',,login,Bare,,,0,example.org,me,pw,',
    ].join('\n');
    const r = importCsv(csv);
    expect(r.format).toBe('bitwarden');
    expect(r.entries).toEqual([
      { url: 'https://github.com/login', username: 'octo', password: 's3cret', totpSecret: 'JBSWY3DPEHPK3PXP', label: 'GitHub' },
      { url: 'https://example.org/', username: 'me', password: 'pw', label: 'Bare' },
    ]);
    expect(r.skipped).toEqual([
      { row: 2, reason: 'not a login (note)' },
      { row: 3, reason: 'the website is not an http(s) address' },
    ]);
  });

  it('1Password: Title,Website,Username,Password,OTPAuth,…', () => {
    const csv = 'Title,Website,Username,Password,OTPAuth,Favorite,Archived,Tags,Notes\nNetflix,https://www.netflix.com,ada@example.com,pw1,otpauth://totp/Netflix?secret=JBSWY3DPEHPK3PXP,false,false,,\nEmpty,https://x.test,,pw,,,,,\n';
    const r = importCsv(csv);
    expect(r.format).toBe('1password');
    expect(r.entries).toEqual([
      { url: 'https://www.netflix.com/', username: 'ada@example.com', password: 'pw1', totpSecret: 'otpauth://totp/Netflix?secret=JBSWY3DPEHPK3PXP', label: 'Netflix' },
    ]);
    expect(r.skipped).toEqual([{ row: 2, reason: 'no username' }]);
  });

  it('an unknown header is no format; site URLs refuse credentials and non-http schemes', () => {
    expect(importCsv('a,b\n1,2').format).toBeNull();
    expect(detectFormat(['name', 'url', 'username', 'password'])).toBe('chrome');
    expect(siteUrl('https://user:pw@example.com')).toBeNull();
    expect(siteUrl('javascript:alert(1)')).toBeNull();
    expect(siteUrl('example.com/login')).toBe('https://example.com/login');
  });
});

describe('SSE parser', () => {
  const collect = (chunks: string[]) => {
    const events: SseEvent[] = [];
    const p = createSseParser((e) => events.push(e));
    for (const c of chunks) p.push(c);
    p.end();
    return events;
  };

  it('events, multi-line data, ids and comments, as the seed frames them', () => {
    const text = 'event: status\ndata: {"status":"running"}\nid: 3\n\n: keep-alive\n\ndata: <!-- section:header -->\ndata: ## Resetting Netflix password\n\n';
    expect(collect([text])).toEqual([
      { event: 'status', data: '{"status":"running"}', id: '3' },
      { event: 'message', data: '<!-- section:header -->\n## Resetting Netflix password', id: '3' },
    ]);
  });

  it('any chunking, CRLF split between chunks, CR-only lines; an unterminated event is dropped', () => {
    const text = 'data: a\r\ndata: b\r\n\r\ndata:c\r\rdata: partial';
    const whole = collect([text]);
    expect(whole).toEqual([
      { event: 'message', data: 'a\nb' },
      { event: 'message', data: 'c' },
    ]);
    for (let size = 1; size < 6; size++) {
      const chunks = text.match(new RegExp(`[\\s\\S]{1,${size}}`, 'g'))!;
      expect(collect(chunks)).toEqual(whole);
    }
  });

  it('readSse decodes a byte stream split inside a multi-byte character', async () => {
    const bytes = new TextEncoder().encode('data: ✓ Reset page opened (1.2 s)\n\n');
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, 7));
        controller.enqueue(bytes.slice(7));
        controller.close();
      },
    });
    const events: SseEvent[] = [];
    await readSse(body, (e) => events.push(e));
    expect(events.map((e) => e.data)).toEqual(['✓ Reset page opened (1.2 s)']);
  });
});

describe('chat sections', () => {
  it('folds the seed stream into one reply', () => {
    const messages = [
      '<!-- section:header -->\n## Resetting Netflix password',
      '<!-- section:progress -->\n### Agent\nNavigating to Netflix password reset page...',
      '<!-- section:progress -->\n✓ Reset page opened (1.2 s)\nEntering email address...',
      '<!-- section:gmail -->\nWaiting for reset email...',
      '<!-- section:progress -->\nNetflix sent a one-time code by text message. Type just the code here in the chat to continue.\nOn your phone? Open [this link](http://localhost:3000/otp/abc_DEF-123) to type it there.',
      '<!-- section:password -->\nNew password saved to vault. Entry: `entry-123456`',
      '<!-- section:result -->\nPassword reset complete! New password saved to vault.',
    ];
    let reply = emptyReply();
    const seen: boolean[] = [];
    for (const m of messages) {
      reply = applySection(reply, parseSection(m)!);
      seen.push(otpPending(reply, false));
    }
    expect(reply.header).toBe('Resetting Netflix password');
    expect(reply.progress.map((l) => l.text)).toEqual([
      'Navigating to Netflix password reset page...',
      'Reset page opened',
      'Entering email address...',
      'Netflix sent a one-time code by text message. Type just the code here in the chat to continue.',
      'On your phone? Open [this link](http://localhost:3000/otp/abc_DEF-123) to type it there.',
    ]);
    expect(reply.progress[1]).toEqual({ text: 'Reset page opened', mark: 'done', duration: '1.2 s' });
    expect(reply.gmail).toEqual(['Waiting for reset email...']);
    expect(reply.otp).toEqual({ url: 'http://localhost:3000/otp/abc_DEF-123', at: 4 });
    expect(seen).toEqual([false, false, false, false, true, true, false]);
    expect(entryIdOf(reply.password)).toBe('entry-123456');
    expect(outcomeOf(reply)).toBe('success');
  });

  it('rejects what is not a section; reads failures and skipped steps', () => {
    expect(parseSection('## no marker')).toBeNull();
    expect(parseSection('<!-- section:evil -->\nx')).toBeNull();
    expect(progressLine('✗ Setting the new password did not work (2 min 5 s)')).toEqual({ text: 'Setting the new password did not work', mark: 'failed', duration: '2 min 5 s' });
    expect(progressLine('– Signing in with the new password skipped — no sign-in page').mark).toBe('skipped');
    const failed = applySection(emptyReply(), parseSection('<!-- section:result -->\nPassword reset failed: x\nWhat to do next: y')!);
    expect(outcomeOf(failed)).toBe('failure');
    expect(outcomeOf(applySection(emptyReply(), parseSection('<!-- section:result -->\nWhich one do you mean?')!))).toBe('answer');
    const unconfirmed = '<!-- section:result -->\nNetflix took the new password but did not confirm the change, and Rekey could not sign in to check it.';
    expect(outcomeOf(applySection(emptyReply(), parseSection(unconfirmed)!))).toBe('warning');
  });

  it('offers Retry after a failure or a cancel only, for the job the advice names', () => {
    expect(['success', 'failure', 'cancelled', 'answer', null].map((o) => canRetry(o as Parameters<typeof canRetry>[0]))).toEqual([false, true, true, false, false]);
    expect(jobIdOf(['Password reset failed: x', 'What to do next: y. Retry this reset (job `0b2c6f1e-1d2a-4c1b-9e7f-7a1b2c3d4e5f`), or ask me to reset it again.'])).toBe('0b2c6f1e-1d2a-4c1b-9e7f-7a1b2c3d4e5f');
    expect(jobIdOf(['New password saved to vault. Entry: `entry-123456`'])).toBeUndefined();
  });
});
