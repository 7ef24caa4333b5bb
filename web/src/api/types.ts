// The API's response shapes the UI reads (api/routes/*.ts are the contract).

export interface User {
  id: string;
  email: string;
  name: string | null;
  role: 'user' | 'staff';
  emailVerified: boolean;
  twoFactorEnabled: boolean;
  createdAt: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface SessionView {
  id: string;
  device: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  current: boolean;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export const webhookEvents = ['reset.completed', 'reset.failed', 'reset.needs_otp', 'reset.captcha_required'] as const;
export type WebhookEvent = (typeof webhookEvents)[number];

export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEvent[];
  description: string | null;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface DeliveryView {
  id: string;
  messageId: string;
  eventType: string;
  attempt: number;
  status: 'pending' | 'succeeded' | 'failed';
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
  createdAt: string;
}

export interface VaultEntry {
  id: string;
  serviceId: string | null;
  url: string;
  username: string;
  email: string | null;
  label: string | null;
  hasTotp: boolean;
  state: 'current' | 'pending' | 'empty';
  createdAt: string;
  updatedAt: string;
}

export interface Service {
  id: string;
  name: string;
  domains: string[];
  resetUrl: string | null;
  supported: boolean;
}

export interface MailboxView {
  host: string;
  port: number;
  secure: boolean;
  user: string;
  folder: string;
  hasPassword: boolean;
  updatedAt: string;
}

export interface JobStep {
  name: string;
  status: string;
  duration: number | null;
}

export interface Job {
  id: string;
  status: string;
  service: string;
  serviceId: string;
  createdAt: string;
  startedAt: string | null;
  completedAt: string | null;
  steps: JobStep[];
  failure: { type: string; reason: string } | null;
  retryOf: string | null;
}

export type TaskStatusEvent =
  | { status: 'pending' }
  | { status: 'running'; step?: string }
  | { status: 'waiting_for_email' }
  | { status: 'waiting_for_otp'; otpUrl?: string }
  | { status: 'captcha_required'; vendor: string; until?: string; message: string }
  | { status: 'completed'; vaultEntryId: string | null }
  | { status: 'failed'; reason: string; type: string }
  | { status: 'cancelled'; reason: string };

export const terminalStatuses = ['completed', 'failed', 'cancelled'];

export interface Discovery {
  methods: string[];
  resetUrl: string | null;
  signupUrl: string | null;
  loginUrl: string | null;
}

export interface SandboxInfo {
  available: boolean;
  sites: { slug: string; name: string }[];
}
