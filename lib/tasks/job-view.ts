// What GET /api/jobs answers for a task (reset-api.txt "Job status"): status,
// service, times and the steps with their durations — read from the database,
// so it never needs a worker. Never a password, code or link.

export interface JobStep {
  name: string;
  status: string;
  /** Milliseconds; null until the step has ended. */
  duration: number | null;
}

export interface JobView {
  id: string;
  status: string;
  service: string;
  serviceId: string;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  steps: JobStep[];
  /** Set when the reset failed or was cancelled: a stable type and what people read. */
  failure: { type: string; reason: string } | null;
  /** The task this one retries, if any. */
  retryOf: string | null;
  /**
   * Completed resets: whether the site or a sign-in confirmed the change. false: the
   * new password is kept pending in the vault until the person confirms it works.
   */
  confirmed: boolean | null;
}

type StepRow = { name: string; status: string; durationMs: number | null; position: number };

/** The columns a job view reads: select only these (rows convert faster). */
export const jobColumns = {
  id: true,
  userId: true,
  status: true,
  serviceId: true,
  serviceName: true,
  createdAt: true,
  startedAt: true,
  completedAt: true,
  failureType: true,
  failureReason: true,
  retryOfId: true,
  confirmed: true,
  steps: { select: { name: true, status: true, durationMs: true, position: true } },
} as const;

export type JobRow = {
  id: string;
  status: string;
  serviceId: string;
  serviceName: string;
  createdAt: Date;
  startedAt: Date | null;
  completedAt: Date | null;
  failureType: string | null;
  failureReason: string | null;
  retryOfId: string | null;
  confirmed: boolean | null;
};

export function jobView(task: JobRow, steps: readonly StepRow[]): JobView {
  return {
    id: task.id,
    status: task.status,
    service: task.serviceName,
    serviceId: task.serviceId,
    createdAt: task.createdAt.toISOString(),
    startedAt: task.startedAt?.toISOString() ?? null,
    completedAt: task.completedAt?.toISOString() ?? null,
    steps: [...steps].sort((a, b) => a.position - b.position).map((s) => ({ name: s.name, status: s.status, duration: s.durationMs })),
    failure: task.failureType ? { type: task.failureType, reason: task.failureReason ?? '' } : null,
    retryOf: task.retryOfId,
    confirmed: task.status === 'completed' ? (task.confirmed ?? true) : null,
  };
}
