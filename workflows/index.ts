// Everything the worker registers as a workflow. The worker bundles this file.
export { resetPasswordWorkflow } from './reset-password.workflow.js';
export { deliverWebhookWorkflow } from './deliver-webhook.workflow.js';
