// Screenshots of the role homes at 360 px (issue 10's closing note): not a test, a
// tool. Run: (cd end2end && node shots-homes.mjs /work/notes/shots)
import path from 'node:path';

import { hydrated, launch } from './support/browser.mjs';
import { logIn } from './support/field.mjs';
import { startServer } from './support/server.mjs';

const out = process.argv[2] ?? '.';
const server = await startServer();
try {
  for (const [username, name] of [['agent.borgerhout', 'officer'], ['partner.jeugdwerk', 'partner'], ['teamleider.borgerhout', 'team-lead'], ['stad.netheid', 'city-service'], ['interventie.antwerpen', 'intervention']]) {
    const phone = await launch();
    try {
      await logIn(phone.page, username, server.url);
      await phone.page.goto(`${server.url}/`);
      await hydrated(phone.page);
      await phone.page.waitForTimeout(1500);
      await phone.page.screenshot({ path: path.join(out, `home-${name}-360.png`), fullPage: true });
      await phone.page.screenshot({ path: path.join(out, `home-${name}-360-first-screen.png`) });
      const height = await phone.page.evaluate(() => document.documentElement.scrollHeight);
      console.log(`${name}: ${height} px tall`);
    } finally {
      await phone.close();
    }
  }
} finally {
  await server.stop();
}
