import { launch, openApp, DIST } from "./support/browser.mjs";
import { startServer } from "./support/server.mjs";
const server = await startServer(DIST);
const browser = await launch();
const { context, page } = await openApp(browser, server.url, "/directory");
await page.setViewportSize({ width: 360, height: 800 });
for (const p of ["directory", "app-data", "provisioning", "mappings", "import", "system-log", "traffic", "console", "tests", "share", "scenarios", "explain", ""]) {
  await page.goto(`${server.url}/${p}`);
  await page.waitForTimeout(1200);
  const over = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  console.log(p, JSON.stringify(over));
  await page.screenshot({ path: `/tmp/narrow-${p || "overview"}.png`, fullPage: false });
}
await context.close(); await browser.close(); await server.close();
