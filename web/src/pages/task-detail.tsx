// One reset, live: status and steps from GET /api/jobs/{id}, then the SSE
// stream (/api/tasks/{id}/stream: `status` and `screenshot` events) through
// EventSource. The stream ends after the final status; EventSource would
// reconnect, so it is closed then.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation } from 'wouter';
import { ApiError, get, messageOf, post } from '../api/client';
import { terminalStatuses, type Job, type TaskStatusEvent } from '../api/types';
import { ErrorNote } from '../components/form';
import { formatDate, formatDuration, jobBadge, statusLabel, stepLabel } from '../components/format';
import { PageTitle } from '../components/layout';
import { OtpPrompt } from '../components/otp-prompt';

export function TaskDetailPage({ id }: { id: string }) {
  const [, navigate] = useLocation();
  const [job, setJob] = useState<Job | null>(null);
  const [status, setStatus] = useState<TaskStatusEvent | null>(null);
  const [screenshot, setScreenshot] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notFound, setNotFound] = useState(false);
  const [busy, setBusy] = useState(false);
  const refreshing = useRef(false);

  const refresh = useCallback(async () => {
    if (refreshing.current) return;
    refreshing.current = true;
    try {
      setJob(await get<Job>(`/api/jobs/${encodeURIComponent(id)}`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setNotFound(true);
      else setError(messageOf(err));
    } finally {
      refreshing.current = false;
    }
  }, [id]);

  useEffect(() => {
    setJob(null);
    setStatus(null);
    setScreenshot(null);
    setNotFound(false);
    void refresh();
    const source = new EventSource(`/api/tasks/${encodeURIComponent(id)}/stream`);
    source.addEventListener('status', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as TaskStatusEvent;
      setStatus(data);
      void refresh();
      if (terminalStatuses.includes(data.status)) source.close();
    });
    source.addEventListener('screenshot', (e) => {
      const { url } = JSON.parse((e as MessageEvent<string>).data) as { url: string };
      if (/^data:image\/(png|jpeg|webp);base64,/.test(url)) setScreenshot(url);
    });
    // Steps change without a status change (running → running): a slow refresh keeps them current.
    const timer = setInterval(() => void refresh(), 3_000);
    return () => {
      source.close();
      clearInterval(timer);
    };
  }, [id, refresh]);

  const current = status?.status ?? job?.status;
  const finished = current ? terminalStatuses.includes(current) : false;

  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      await post(`/api/jobs/${encodeURIComponent(id)}/cancel`);
      await refresh();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  async function retry() {
    setBusy(true);
    setError(null);
    try {
      const { taskId } = await post<{ taskId: string }>(`/api/jobs/${encodeURIComponent(id)}/retry`);
      navigate(`/tasks/${taskId}`);
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  if (notFound) {
    return (
      <div className="page">
        <PageTitle title="Reset not found" />
        <p>There is no such reset among yours.</p>
      </div>
    );
  }

  const badge = current ? jobBadge({ status: current, confirmed: confirmedOf(status, job) }) : null;
  return (
    <div className="page">
      <PageTitle title={job ? `Reset of ${job.service}` : 'Reset'}>
        {badge && <span className={`badge ${badge.className}`}>{badge.label}</span>}
      </PageTitle>
      <p className="sr-only" role="status" aria-live="polite">
        {current ? `Status: ${statusLabel(current)}${status?.status === 'running' && status.step ? `, ${stepLabel(status.step)}` : ''}` : ''}
      </p>
      {job && (
        <p className="muted">
          Started {formatDate(job.startedAt ?? job.createdAt)}
          {job.completedAt ? ` · ended ${formatDate(job.completedAt)}` : ''}
          {job.retryOf ? ' · a retry' : ''}
        </p>
      )}
      <ErrorNote error={error} />

      {status?.status === 'waiting_for_otp' && status.otpUrl && (
        <OtpPrompt
          url={status.otpUrl}
          service={job?.service}
          onCode={async (code) => {
            await post(`/api/tasks/${encodeURIComponent(id)}/otp`, { code });
          }}
        />
      )}
      {status?.status === 'captcha_required' && (
        <div className="captcha" role="alert">
          <p>
            <strong>{job?.service ?? 'The site'} asks for a CAPTCHA.</strong> {status.message}
          </p>
          <p>What to do: wait for this reset to stop, then retry it later, or change the password on the site yourself.</p>
        </div>
      )}
      {status?.status === 'failed' && (
        <div className="result failure" role="alert">
          <p>
            <strong>The reset failed.</strong> {status.reason}
          </p>
        </div>
      )}
      {status?.status === 'completed' && status.confirmed === false && (
        <div className="result warning" role="status">
          <p>
            <strong>The site did not confirm the change.</strong> It took the new password, but Rekey could not sign in to check it. In the{' '}
            <a href="/vault">Vault</a>, reveal this entry’s password (the new one, marked <em>to confirm</em>), sign in with it, then choose “It works”
            or “Use the previous one”. Both passwords are kept until then.
          </p>
        </div>
      )}
      {status?.status === 'completed' && status.confirmed !== false && (
        <div className="result success">
          <p>
            <strong>Password reset complete.</strong> The new password is in your vault.
          </p>
        </div>
      )}
      {status?.status === 'cancelled' && (
        <div className="result cancelled">
          <p>{status.reason}</p>
        </div>
      )}
      {!status && job?.failure && (
        <div className="result failure">
          <p>{job.failure.reason}</p>
        </div>
      )}

      <div className="task-grid">
        <section aria-labelledby="steps-title">
          <h2 id="steps-title">Steps</h2>
          <ol className="timeline">
            {(job?.steps ?? []).map((step) => (
              <li key={step.name} className={`timeline-step status-${step.status}`}>
                <span className="dot" aria-hidden="true" />
                <span className="step-name">{stepLabel(step.name)}</span>
                <span className="step-status">{statusLabel(step.status)}</span>
                {step.duration !== null && <span className="duration">{formatDuration(step.duration)}</span>}
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="shot-title">
          <h2 id="shot-title">Screenshot</h2>
          {screenshot ? (
            <figure className="screenshot">
              <img src={screenshot} alt={`The ${job?.service ?? 'site'} page as the reset last saw it`} />
            </figure>
          ) : (
            <p className="muted">No screenshot yet.</p>
          )}
        </section>
      </div>

      <div className="actions">
        {!finished && current && (
          <button type="button" onClick={cancel} disabled={busy} className="danger">
            Cancel reset
          </button>
        )}
        {(current === 'failed' || current === 'cancelled') && (
          <button type="button" onClick={retry} disabled={busy} className="primary">
            Retry
          </button>
        )}
      </div>
    </div>
  );
}

/** Whether a completed reset was confirmed: from its final stream event, else from the job. */
function confirmedOf(status: TaskStatusEvent | null, job: Job | null): boolean | null {
  if (status?.status === 'completed') return status.confirmed;
  return job?.confirmed ?? null;
}
