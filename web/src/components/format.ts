export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '';
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

const statusLabels: Record<string, string> = {
  pending: 'Pending',
  running: 'Running',
  waiting_for_email: 'Waiting for the email',
  waiting_for_otp: 'Waiting for a code',
  captcha_required: 'CAPTCHA',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
  cancelling: 'Cancelling',
  skipped: 'Skipped',
};

export const statusLabel = (status: string) => statusLabels[status] ?? status.replace(/_/g, ' ');

/** A job's badge: a completed reset the site never confirmed reads "To confirm", not "Completed". */
export const jobBadge = (job: { status: string; confirmed?: boolean | null }) =>
  job.status === 'completed' && job.confirmed === false ? { className: 'status-to_confirm', label: 'To confirm' } : { className: `status-${job.status}`, label: statusLabel(job.status) };

const stepLabels: Record<string, string> = {
  navigate: 'Open the reset page',
  enter_email: 'Enter the email address',
  wait_for_email: 'Wait for the reset email',
  follow_link: 'Follow the reset link',
  set_password: 'Set the new password',
  verify_login: 'Sign in with the new password',
};

export const stepLabel = (name: string) => stepLabels[name] ?? name.replace(/_/g, ' ');
