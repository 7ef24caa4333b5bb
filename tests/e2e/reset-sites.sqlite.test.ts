import { resetEverySite } from './reset-sites.shared.js';
resetEverySite('sqlite');
