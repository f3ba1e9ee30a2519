// signin.js - the sign-in page: its form, a wrong password refused with
// pmifd's sentence (401), the keyboard alone (Tab order from the top,
// visible focus, Enter submits) and the session cookie's attributes.
'use strict';
const assert = require('node:assert');
const {check, env, USERS, pmif, cliSentence, includesText} = require('../lib/harness');
const {openPage, go, submitAndWait, firstHop, checkCsp, examine, focused} = require('../lib/pages');

// signIn(page, base, who, password): fill the form with the mouse and
// keyboard and submit; resolves the final response
async function signIn(page, base, who, password) {
  if (!page.url().startsWith(`${base}/login`)) await go(page, `${base}/login`);
  await page.click('#user', {clickCount: 3});
  await page.type('#user', who);
  await page.click('#password', {clickCount: 3});
  await page.type('#password', password);
  return submitAndWait(page, () => page.click('form#login button[type=submit]'));
}

async function sessionCookie(page) {
  return (await page.cookies()).find((c) => c.name === 'pmif_session');
}

async function loginForm(page) {
  return page.evaluate(() => {
    const f = document.querySelector('form#login');
    if (!f) return null;
    const q = (s) => f.querySelector(s);
    return {method: f.getAttribute('method'), action: f.getAttribute('action'),
            user: Boolean(q('input#user[name=user]')),
            password: Boolean(q('input#password[name=password][type=password]')),
            csrf: (q('input[type=hidden][name=csrf]') || {}).value || '',
            button: (q('button[type=submit]') || {}).textContent || ''};
  });
}

async function run(browser) {
  const ctx = await browser.createBrowserContext();
  const page = await openPage(ctx);
  const wrong = await pmif('nobody', ['login', 'no.such.user', '--password-stdin'], 'not the password\n');
  const refusal = cliSentence(wrong.err);

  await check('GET /login answers 200 with the CSP of the contract', async () => {
    const res = await go(page, '/login');
    assert.strictEqual(res.status(), 200);
    checkCsp(res);
  });
  await check('the sign-in form: POST /login, user, password, a CSRF token, a "Sign in" button', async () => {
    const f = await loginForm(page);
    assert.ok(f, 'no form#login');
    assert.deepStrictEqual([f.method.toLowerCase(), f.action, f.user, f.password, f.button.trim()],
                           ['post', '/login', true, true, 'Sign in']);
    assert.ok(f.csrf.length >= 16, `the csrf token is "${f.csrf}"`);
  });
  await examine(page, 'login', null);

  await check('keyboard: Tab from the top reaches the skip link, then user, password and Sign in, each visibly focused', async () => {
    await go(page, '/login');
    const order = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await focused(page));
    }
    const got = order.map((f) => (f.tag === 'a' ? `a${f.href}` : f.tag === 'input' ? `input#${f.id}` : `${f.tag}:${f.text}`));
    assert.deepStrictEqual(got, ['a#main', 'input#user', 'input#password', 'button:Sign in']);
    const hidden = order.filter((f) => !f.visible).map((f) => `${f.tag}#${f.id || f.text} (${f.style})`);
    assert.deepStrictEqual(hidden, [], `focus cannot be seen on ${hidden.join(', ')}`);
  });

  await check(`a wrong password is refused: 401, the form again, pmifd's sentence ("${refusal}") in role=alert, no session`, async () => {
    assert.strictEqual(wrong.code, 4, `pmif login with a wrong password exited ${wrong.code}`);
    const res = await signIn(page, env.web, USERS.member.user, 'not the password');
    assert.strictEqual(res.status(), 401);
    const alert = await page.$eval('p.error[role=alert]', (e) => e.textContent).catch(() => '');
    includesText(alert, refusal, 'the error shown');
    assert.ok(await loginForm(page), 'the sign-in form is not shown again');
    assert.strictEqual(await sessionCookie(page), undefined, 'a session cookie was set');
  });
  await examine(page, 'login-refused', null);

  await check('keyboard: typing the user name and password and pressing Enter signs in (303 to /)', async () => {
    await go(page, '/login');
    for (let i = 0; i < 10 && (await focused(page)).id !== 'user'; i++) await page.keyboard.press('Tab');
    assert.strictEqual((await focused(page)).id, 'user', 'Tab never reaches the user name');
    await page.keyboard.type(USERS.member.user);
    await page.keyboard.press('Tab');
    await page.keyboard.type(USERS.member.password);
    const res = await submitAndWait(page, () => page.keyboard.press('Enter'));
    const hop = firstHop(res);
    const why = await page.$eval('main', (m) => m.textContent.replace(/\s+/g, ' ').trim()).catch(() => '');
    assert.strictEqual(hop.status(), 303, `POST /login answered ${hop.status()}: ${why.slice(0, 200)}`);
    assert.strictEqual(new URL(page.url()).pathname, '/', `signed in, the browser is at ${page.url()}`);
    assert.strictEqual(res.status(), 200);
  });
  await check('the session cookie pmif_session is HttpOnly, SameSite=Strict, Path=/ (not Secure on plain HTTP)', async () => {
    const c = await sessionCookie(page);
    assert.ok(c, 'no pmif_session cookie');
    assert.deepStrictEqual({httpOnly: c.httpOnly, sameSite: c.sameSite, path: c.path, secure: c.secure},
                           {httpOnly: true, sameSite: 'Strict', path: '/', secure: false});
    assert.ok(c.value.length >= 32, 'the cookie value is short');
    assert.ok(!c.value.includes(USERS.member.user), 'the cookie carries the user name');
  });
  return {ctx, page};
}

module.exports = {run, signIn, sessionCookie, loginForm};
