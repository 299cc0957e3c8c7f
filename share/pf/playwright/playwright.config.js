// playwright.config.js for the specs pf-convert -t playwright writes
// (pf-convert --config).  Everything a run needs comes from the
// environment, so one file serves every machine:
//   GRAFANA_URL       the Grafana to test (default http://localhost:3000)
//   GRAFANA_USER      with GRAFANA_PASSWORD: log in with basic auth
//   GRAFANA_VERSION   whose e2e selectors grafana: paths name (latest)
//   CHROMIUM          the browser (default /usr/bin/chromium: Debian's)
//   PF_SPECS          the folder of the specs (default .)
import { defineConfig } from '@playwright/test';

const user = process.env.GRAFANA_USER;
const password = process.env.GRAFANA_PASSWORD ?? '';

export default defineConfig({
  testDir: process.env.PF_SPECS || '.',
  testMatch: '**/*.spec.js',
  // A session is one story: its steps run in order, one spec at a time.
  fullyParallel: false,
  workers: 1,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    baseURL: process.env.GRAFANA_URL || 'http://localhost:3000',
    extraHTTPHeaders: user ? {
      Authorization: 'Basic ' +
          Buffer.from(`${user}:${password}`).toString('base64'),
    } : {},
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox'],
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
});
