import type { SiteDefinition } from '../types.js';
import { beacon } from './beacon.js';
import { brightcart } from './brightcart.js';
import { framehaus } from './framehaus.js';
import { keystone } from './keystone.js';
import { larkspur } from './larkspur.js';
import { ledgerly } from './ledgerly.js';
import { maisonlune } from './maisonlune.js';
import { nimbus } from './nimbus.js';
import { orbit } from './orbit.js';
import { papercrane } from './papercrane.js';
import { parcelpost } from './parcelpost.js';
import { telewave } from './telewave.js';
import { ticketly } from './ticketly.js';
import { tidepool } from './tidepool.js';

/** Every sandbox site, in catalog order (the numbering of the sandbox brief). */
export const siteDefinitions: SiteDefinition[] = [
  papercrane,
  nimbus,
  brightcart,
  ledgerly,
  parcelpost,
  keystone,
  telewave,
  framehaus,
  orbit,
  maisonlune,
  tidepool,
  ticketly,
  // Sign-in discovery demos: every sign-in method on a real page.
  larkspur,
  beacon,
];
