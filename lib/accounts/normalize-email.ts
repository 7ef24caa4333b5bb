/** One spelling per address: accounts are looked up by this form. */
export function normalizeEmail(email: string): string {
  return email.normalize('NFC').trim().toLowerCase();
}
