// browser.test.js - pmif-web driven through Debian's Chromium (headless,
// puppeteer-core): sign-in, every member page, a directorate's update,
// refusals, CSRF, XSS, sign-out and expiry, with axe-core, the keyboard
// and screenshots at 1280 and 390 px on every page.  Started by
// test_browser.sh, which runs the real pmifd and pmif-web; prints one
// "ok - ..." / "not ok - ..." line per check and "N passed, N failed".
'use strict';
const {check, summary, env, USERS, waitForWeb, launch} = require('./lib/harness');
const {openPage, examine, report} = require('./lib/pages');
const signin = require('./flows/signin');
const member = require('./flows/member');
const update = require('./flows/update');
const security = require('./flows/security');
const xss = require('./flows/xss');
const admin = require('./flows/admin');
const session = require('./flows/session');

// flow(name, fn): a flow that stops on an error outside its checks is one
// failure, and the flows after it still run
async function flow(name, fn) {
  try {
    return await fn();
  } catch (err) {
    await check(`the ${name} flow runs to its end`, () => { throw err; });
    return null;
  }
}

async function main() {
  await waitForWeb(env.web);
  await waitForWeb(env.webShort);
  const browser = await launch();
  try {
    const {page: memberPage} = await signin.run(browser);
    await flow('member pages', () => member.run(browser, memberPage));

    const ctx = await browser.createBrowserContext();
    const olivia = await openPage(ctx);
    await check('olivia (directorate CAF) signs in', async () => {
      await signin.signIn(olivia, env.web, USERS.olivia.user, USERS.olivia.password);
      if (new URL(olivia.url()).pathname !== '/') throw new Error(`signed in, olivia is at ${olivia.url()}`);
    });
    await examine(olivia, 'directorate-home', {user: USERS.olivia.user, role: USERS.olivia.role});
    await flow('directorate update', () => update.run(olivia));
    await flow('refusal and CSRF', () => security.run(browser, olivia, memberPage));
    await flow('XSS', () => xss.run(browser, olivia));
    await flow('admin', () => admin.run(browser, memberPage));
    await flow('session end', () => session.run(browser, olivia));
  } finally {
    await browser.close();
  }
  report();
}

const guard = setTimeout(() => {
  console.log('not ok - the browser checks did not finish within 15 minutes');
  process.exit(1);
}, 15 * 60 * 1000);
main().then(() => {
  clearTimeout(guard);
  process.exit(summary());
}, (err) => {
  clearTimeout(guard);
  console.log(`not ok - the browser checks stopped: ${err && err.stack ? err.stack : err}`);
  summary();
  process.exit(1);
});
