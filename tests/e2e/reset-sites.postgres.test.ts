import { inject } from 'vitest';
import { resetEverySite } from './reset-sites.shared.js';

if (inject('dbTemplates').pg) resetEverySite('postgresql');
