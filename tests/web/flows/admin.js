// admin.js - the administrator's read-only pages (users, audit trail),
// checked against pmif's own lists; a member asking for them is refused;
// an unknown path is a 404 page that is as accessible as the rest.
'use strict';
const assert = require('node:assert');
const {check, env, USERS, pmifJson, includesText} = require('../lib/harness');
const {openPage, go, checkCsp, examine} = require('../lib/pages');
const {signIn} = require('./signin');
const {rows} = require('./member');

async function users(page) {
  await check('admin: /admin/users lists every user pmif lists, each with their role', async () => {
    const list = await pmifJson('admin', ['admin', 'user', 'list']);
    const res = await go(page, '/admin/users');
    assert.strictEqual(res.status(), 200);
    checkCsp(res);
    const all = await rows(page, 'main');
    for (const u of list.users) {
      const row = all.find((r) => r.split(' | ').includes(u.name));
      assert.ok(row, `no row for ${u.name}`);
      includesText(row, u.role, `${u.name}'s role`);
    }
  });
  await examine(page, 'admin-users', {user: USERS.admin.user, role: USERS.admin.role});
}

async function audit(page) {
  const auditRows = () => page.$$eval('main table tbody tr', (trs) => trs.map((tr) => [...tr.cells]
    .map((c) => c.textContent.replace(/\s+/g, ' ').trim())));
  await check('admin: /admin/audit?limit=10 shows the 10 newest entries of the trail, newest first, as pmif admin audit lists them', async () => {
    const res = await go(page, '/admin/audit?limit=10');
    assert.strictEqual(res.status(), 200);
    const trail = await pmifJson('admin', ['admin', 'audit']);
    const body = await auditRows();
    assert.strictEqual(body.length, 10, `${body.length} rows`);
    // newest first: the entries up to the page's first, in falling order
    const first = Number(body[0][0]);
    const want = trail.entries.filter((e) => e.seq <= first).reverse().slice(0, 10);
    for (let i = 0; i < 10; i++) {
      const e = want[i];
      assert.ok(e, `pmif has no entry ${first - i}`);
      const row = body[i].join(' | ');
      assert.strictEqual(body[i][0], String(e.seq), `row ${i + 1} is entry ${body[i][0]}, not ${e.seq}`);
      includesText(row, e.user, `entry ${e.seq}'s user`);
      if (e.key) includesText(row, e.key, `entry ${e.seq}'s record`);
    }
  });
  await check('admin: the Older entries link pages back from the last row shown', async () => {
    await go(page, '/admin/audit?limit=10');
    const body = await auditRows();
    const last = Number(body[body.length - 1][0]);
    const href = await page.$eval('main a[rel="next"]', (a) => a.getAttribute('href'));
    assert.strictEqual(href, `/admin/audit?limit=10&before=${last}`);
    await Promise.all([page.waitForNavigation(), page.click('main a[rel="next"]')]);
    const older = await auditRows();
    assert.ok(older.length >= 1 && older.length <= 10, `${older.length} rows`);
    assert.strictEqual(Number(older[0][0]), last - 1, `older page starts at ${older[0][0]}`);
    const newest = await page.$eval('main a[href="/admin/audit?limit=10"]', (a) => a.textContent);
    assert.strictEqual(newest, 'Newest entries');
  });
  await examine(page, 'admin-audit', {user: USERS.admin.user, role: USERS.admin.role});
}

async function memberRefused(member) {
  await check('a member asking for /admin/users is refused (403) and sees no user list', async () => {
    const res = await go(member, '/admin/users');
    assert.strictEqual(res.status(), 403, `answered ${res.status()}`);
    const text = await member.$eval('main', (m) => m.textContent);
    assert.ok(!text.includes(USERS.olivia.user), 'the page names other users');
  });
}

async function notFound(page) {
  await check('an unknown path is a 404 page', async () => {
    const res = await go(page, '/no/such/page');
    assert.strictEqual(res.status(), 404);
    checkCsp(res);
  });
  await examine(page, 'not-found', {user: USERS.admin.user, role: USERS.admin.role});
}

// run(browser, member): signs the admin in in a context of their own
async function run(browser, member) {
  const ctx = await browser.createBrowserContext();
  const page = await openPage(ctx);
  await check('admin: signs in', async () => {
    await signIn(page, env.web, USERS.admin.user, USERS.admin.password);
    assert.strictEqual(new URL(page.url()).pathname, '/');
  });
  await examine(page, 'admin-home', {user: USERS.admin.user, role: USERS.admin.role});
  await users(page);
  await audit(page);
  await notFound(page);
  await memberRefused(member);
  await ctx.close();
}

module.exports = {run};
