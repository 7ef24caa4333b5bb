import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { limit, resetWithNavigator, setUpNavigatorEnv, type NavigatorEnv } from './helpers.js';

// The generic navigator, alone, through every sandbox site that mails a reset
// link: entry → email → link → new password → sign-in with it.

const SITES = ['papercrane', 'nimbus', 'brightcart', 'ledgerly', 'framehaus', 'orbit', 'maisonlune', 'tidepool'];
let env: NavigatorEnv;
// Flows run side by side (each in its own browser context, with its own account).
const slot = limit(3);

beforeAll(async () => {
  env = await setUpNavigatorEnv(SITES);
}, 30_000);
afterAll(async () => env?.close());

describe.concurrent('navigator: sites that email a reset link', { timeout: 90_000 }, () => {
  test('papercrane (plain server-rendered form with CSRF)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'papercrane'));
    expect(run.states).toEqual(['email_form', 'email_sent', 'new_password_form', 'password_changed', 'signed_in']);
  });

  test('nimbus (SPA: no <form>, div buttons, JSON calls, late rendering)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'nimbus'));
    expect(run.states).toEqual(['email_form', 'email_sent', 'new_password_form', 'password_changed', 'signed_in']);
  });

  test('brightcart (consent overlay swallowing clicks, recover form in a hidden section)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'brightcart'));
    expect(run.states).toEqual(['email_form', 'email_sent', 'new_password_form', 'password_changed', 'signed_in']);
  });

  test('ledgerly (three-step recovery, partial passwordrules, policy in text, two-step sign-in)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'ledgerly'));
    expect(run.states[0]).toBe('email_form');
    expect(run.states.at(-1)).toBe('signed_in');
    // Any refused attempt was a clear policy refusal, never a second change.
    expect(run.states.filter((s) => s.startsWith('error')).every((s) => s === 'error:password_policy')).toBe(true);
    expect(run.password).toMatch(/[!@#$%]/);
  });

  test('framehaus (forms inside a same-origin iframe)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'framehaus'));
    expect(run.states).toEqual(['email_form', 'email_sent', 'new_password_form', 'password_changed', 'signed_in']);
  });

  test('orbit (inputs and buttons in open shadow roots)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'orbit'));
    expect(run.states).toEqual(['email_form', 'email_sent', 'new_password_form', 'password_changed', 'signed_in']);
  });

  test('maisonlune (French pages, errors and email)', async () => {
    const run = await slot(() => resetWithNavigator(env, 'maisonlune'));
    expect(run.states).toEqual(['email_form', 'email_sent', 'new_password_form', 'password_changed', 'signed_in']);
  });

  test('tidepool (reachable only through /.well-known/change-password, no catalog reset URL)', async () => {
    expect(env.sandbox.site('tidepool').resetUrl).toBeUndefined();
    const run = await slot(() => resetWithNavigator(env, 'tidepool'));
    expect(run.states).toEqual(['email_form', 'email_sent', 'new_password_form', 'password_changed', 'signed_in']);
  });
});
