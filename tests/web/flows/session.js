// session.js - the ends of a session: signing out (the old cookie is
// refused afterwards), a page asked for with no session (sent to sign-in,
// then back to the page), and a session that went idle past pmifd's
// session-idle (a second pmif-web whose pmifd has a 3 s idle).
'use strict';
const assert = require('node:assert');
const {check, env, USERS, httpGet, includesText} = require('../lib/harness');
const {openPage, go, submitAndWait, firstHop, examine} = require('../lib/pages');
const {signIn, sessionCookie} = require('./signin');

const P = env.period;
const ENDED = 'Your session has ended; please sign in again.';

async function statusText(page) {
  return page.$$eval('[role=status]', (els) => els.map((e) => e.textContent).join(' '));
}

// sentToSignIn(page, path): the browser is at /login?expired=1&next=PATH
// (path with or without its query) with the sentence in role=status;
// resolves next
async function sentToSignIn(page, path) {
  const at = new URL(page.url());
  assert.strictEqual(at.pathname, '/login', `the browser is at ${page.url()}`);
  assert.strictEqual(at.searchParams.get('expired'), '1', `no expired=1 in ${page.url()}`);
  const next = at.searchParams.get('next');
  // the query comes back too (next= is the whole local URL, percent-encoded)
  assert.strictEqual(next, path, `next is ${next}, not ${path}`);
  includesText(await statusText(page), ENDED, 'the sign-in page');
  return next;
}

function here(page) {
  const at = new URL(page.url());
  return `${at.pathname}${at.search}`;
}

async function signOut(olivia) {
  let old = null;
  await check('sign-out: "Sign out" ends the session: 303 to /login?signed_out=1, "You have signed out.", the cookie cleared', async () => {
    await go(olivia, '/');
    old = await sessionCookie(olivia);
    assert.ok(old, 'olivia has no session cookie to begin with');
    const res = await submitAndWait(olivia, () => olivia.click('form[action="/logout"] button'));
    assert.strictEqual(firstHop(res).status(), 303);
    const at = new URL(olivia.url());
    assert.strictEqual(`${at.pathname}${at.search}`, '/login?signed_out=1');
    includesText(await olivia.$eval('main', (m) => m.textContent), 'You have signed out.', 'the sign-in page');
    const now = await sessionCookie(olivia);
    assert.ok(!now || now.value === '' || now.value !== old.value, 'the cookie is still there');
  });
  await examine(olivia, 'signed-out', null);
  await check('sign-out: the old cookie is refused afterwards (303 to sign-in, in the browser and over plain HTTP)', async () => {
    const path = `/scorecard?period=${P}`;
    const raw = await httpGet(`${env.web}${path}`, [old]);
    assert.strictEqual(raw.status, 303, `GET with the old cookie answered ${raw.status}`);
    assert.match(raw.headers.get('location') || '', /^\/login\?expired=1/);
    await olivia.setCookie({...old});
    await go(olivia, path);
    await sentToSignIn(olivia, path);
  });
}

async function noSession(browser) {
  const ctx = await browser.createBrowserContext();
  const page = await openPage(ctx);
  const path = `/scorecard?period=${P}&committee=FAMILIES-OSC`;
  let next = path;
  try {
    await check('no session: a page is answered 303 to /login?expired=1&next=PATH with the sentence in role=status', async () => {
      const res = await go(page, path);
      assert.strictEqual(firstHop(res).status(), 303);
      next = await sentToSignIn(page, path);
    });
    await check('no session: signing in from there goes on to the page asked for, filters and all (next)', async () => {
      const res = await signIn(page, env.web, USERS.member.user, USERS.member.password);
      assert.strictEqual(here(page), next);
      assert.strictEqual(res.status(), 200);
    });
  } finally {
    await ctx.close();
  }
}

async function idle(browser) {
  const ctx = await browser.createBrowserContext();
  const page = await openPage(ctx);
  const path = `/exceptions?period=${P}`;
  let next = path;
  try {
    await check(`expired: a session idle past pmifd's session-idle (${env.shortIdle} s) is sent to sign-in with the sentence`, async () => {
      await go(page, `${env.webShort}/login`);
      await signIn(page, env.webShort, USERS.member.user, USERS.member.password);
      assert.strictEqual(new URL(page.url()).pathname, '/', `signed in, the browser is at ${page.url()}`);
      await new Promise((r) => setTimeout(r, (env.shortIdle + 2) * 1000));
      await go(page, `${env.webShort}${path}`);
      next = await sentToSignIn(page, path);
    });
    await examine(page, 'login-expired', null);
    await check('expired: signing in again goes back to the page asked for', async () => {
      await signIn(page, env.webShort, USERS.member.user, USERS.member.password);
      assert.strictEqual(here(page), next);
    });
  } finally {
    await ctx.close();
  }
}

async function run(browser, olivia) {
  await noSession(browser);
  await idle(browser);
  await signOut(olivia);
}

module.exports = {run};
