import { resetEverySite } from './reset-sites.shared.js';

resetEverySite('postgresql');
