// security.js - what must be refused: a member writing (403 and pmifd's
// sentence, nothing saved), and forged forms: a POST without a CSRF token,
// with a wrong one, with another session's, the sign-in and sign-out forms
// forged, and forms posted from another origin (same site and cross-site).
'use strict';
const assert = require('node:assert');
const http = require('node:http');
const {check, env, USERS, pmif, pmifJson, cliSentence, includesText} = require('../lib/harness');
const {openPage, go, submitAndWait, examine} = require('../lib/pages');
const {saved} = require('./update');

const P = env.period;
const CODE = 'FSM-UPTAKE';
const CSRF_SENTENCE = 'This form has expired or did not come from PMIF; reload the page and try again.';

async function csrfOf(page) {
  return page.$eval('form[action="/logout"] input[name=csrf]', (e) => e.value);
}

// post(page, action, fields): a form made in the page and submitted, as a
// forged or hand-edited form would be; resolves the final response
async function post(page, action, fields) {
  return submitAndWait(page, () => page.evaluate((action, fields) => {
    const f = document.createElement('form');
    f.method = 'post';
    f.action = action;
    for (const [name, value] of Object.entries(fields)) {
      const i = document.createElement('input');
      i.type = 'hidden';
      i.name = name;
      i.value = value;
      f.appendChild(i);
    }
    document.body.appendChild(f);
    f.submit();
  }, action, fields));
}

function valueFields(value, note) {
  return {measure: CODE, period: P, locality: '', value: String(value), numerator: '', denominator: '', note};
}

async function commentary() {
  const card = await pmifJson('olivia', ['report', 'scorecard', '--period', P, '--committee', 'FAMILIES-OSC']);
  return card.objectives.find((o) => o.objective_id === 'PO1').commentary;
}

async function memberRefused(member) {
  const cli = await pmif('member', ['value', 'set', CODE, P, '90']);
  const sentence = cliSentence(cli.err);
  const before = await saved(CODE);
  await check(`a member posting a value is refused: 403 and pmifd's sentence ("${sentence}"); nothing saved`, async () => {
    assert.strictEqual(cli.code, 5, `pmif value set as a member exited ${cli.code}`);
    await go(member, '/');
    const res = await post(member, '/update/value', {...valueFields(90, 'a member tries'), csrf: await csrfOf(member)});
    assert.strictEqual(res.status(), 403);
    includesText(await member.$eval('main', (m) => m.textContent), sentence, 'the refusal');
    assert.deepStrictEqual(await saved(CODE), before);
  });
  await examine(member, 'member-refused', {user: USERS.member.user, role: USERS.member.role});
  const cc = await pmif('member', ['commentary', 'set', 'PO1', P, '--text', 'a member writes']);
  const old = await commentary();
  await check(`a member posting commentary is refused: 403 and pmifd's sentence ("${cliSentence(cc.err)}"); nothing saved`, async () => {
    assert.strictEqual(cc.code, 5);
    await go(member, '/');
    const res = await post(member, '/update/commentary', {objective: 'PO1', period: P, text: 'a member writes',
                                                          csrf: await csrfOf(member)});
    assert.strictEqual(res.status(), 403);
    includesText(await member.$eval('main', (m) => m.textContent), cliSentence(cc.err), 'the refusal');
    assert.strictEqual(await commentary(), old);
  });
}

// refusedAsForged(page, what, fields): a POST /update/value that must be
// answered 403 with the CSRF sentence and save nothing
async function refusedAsForged(page, what, fields) {
  const before = await saved(CODE);
  await check(`CSRF: a value posted ${what} is refused: 403 "${CSRF_SENTENCE}"; nothing saved`, async () => {
    await go(page, '/');
    const res = await post(page, '/update/value', fields);
    assert.strictEqual(res.status(), 403);
    includesText(await page.$eval('body', (b) => b.textContent), CSRF_SENTENCE, 'the refusal');
    assert.deepStrictEqual(await saved(CODE), before);
  });
}

// attacker(): a page on another origin with a form aimed at pmif-web
function attacker(fields) {
  const inputs = Object.entries(fields).map(([n, v]) => `<input type="hidden" name="${n}" value="${v}">`).join('');
  const html = `<!DOCTYPE html><html lang="en"><title>prize</title><form method="post" action="${env.web}/update/value">` +
               `${inputs}<button id="go">Claim your prize</button></form></html>`;
  const server = http.createServer((req, res) => {
    res.writeHead(200, {'content-type': 'text/html; charset=utf-8'});
    res.end(html);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function otherOrigin(olivia, memberToken, calm) {
  const server = await attacker({...valueFields(calm, 'forged from another origin'), csrf: memberToken});
  const port = server.address().port;
  try {
    for (const [what, origin] of [['same site, another origin', `http://127.0.0.1:${port}`],
                                  ['another site', `http://localhost:${port}`]]) {
      const before = await saved(CODE);
      await check(`CSRF: a form on ${what} (${origin}) posting to pmif-web is refused; nothing saved`, async () => {
        await go(olivia, `${origin}/`);
        const res = await submitAndWait(olivia, () => olivia.click('#go'));
        const at = new URL(olivia.url());
        const refusedHere = res.status() === 403 &&
          (await olivia.$eval('body', (b) => b.textContent)).includes(CSRF_SENTENCE);
        const sentToSignIn = at.pathname === '/login';
        assert.ok(refusedHere || sentToSignIn, `answered ${res.status()} at ${olivia.url()}`);
        assert.deepStrictEqual(await saved(CODE), before);
      });
    }
  } finally {
    server.close();
  }
}

async function forgedSession(browser, olivia) {
  await check('CSRF: sign-out posted without the token is refused (403) and the session goes on', async () => {
    await go(olivia, '/');
    const res = await post(olivia, '/logout', {});
    assert.strictEqual(res.status(), 403);
    const again = await go(olivia, '/');
    assert.strictEqual(new URL(olivia.url()).pathname, '/', 'the session ended');
    assert.strictEqual(again.status(), 200);
  });
  await check('CSRF: sign-in posted with a wrong token is refused (403) and no session is made', async () => {
    const ctx = await browser.createBrowserContext();
    const page = await openPage(ctx);
    try {
      await go(page, '/login');
      await page.$eval('form#login input[name=csrf]', (e) => { e.value = e.value.replace(/.$/, (c) => (c === '0' ? '1' : '0')); });
      await page.type('#user', USERS.olivia.user);
      await page.type('#password', USERS.olivia.password);
      const res = await submitAndWait(page, () => page.click('form#login button[type=submit]'));
      assert.strictEqual(res.status(), 403);
      includesText(await page.$eval('body', (b) => b.textContent), CSRF_SENTENCE, 'the refusal');
      assert.ok(!(await page.cookies()).some((c) => c.name === 'pmif_session'), 'a session cookie was set');
    } finally {
      await ctx.close();
    }
  });
}

// run(browser, olivia, member): both pages signed in, in their own contexts
async function run(browser, olivia, member) {
  // a value pmifd would take without a warning, so that only the CSRF
  // check stands between a forged form and the store
  const tr = await pmifJson('olivia', ['report', 'trend', CODE, '--period', P]);
  const calm = Math.round(tr.spc.mean * 10) / 10;
  await memberRefused(member);
  await go(olivia, '/');
  const token = await csrfOf(olivia).catch(() => 'no-token-on-the-page');
  await go(member, '/');
  const memberToken = await csrfOf(member).catch(() => 'no-token-on-the-page');
  await refusedAsForged(olivia, 'without a CSRF token', valueFields(calm, 'no token'));
  await refusedAsForged(olivia, 'with a wrong CSRF token',
                        {...valueFields(calm, 'wrong token'), csrf: token.replace(/.$/, (c) => (c === 'a' ? 'b' : 'a'))});
  await refusedAsForged(olivia, "with another session's CSRF token", {...valueFields(calm, 'stolen token'), csrf: memberToken});
  await otherOrigin(olivia, memberToken, calm);
  await forgedSession(browser, olivia);
}

module.exports = {run, post, csrfOf, CSRF_SENTENCE};
