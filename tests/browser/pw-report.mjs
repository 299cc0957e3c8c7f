// tests/browser/pw-report.mjs: what a Playwright JSON report says, one line
// a test, for tests/pf-convert-playwright.bats to compare exactly:
//   passed SPEC › TITLE
//   failed SPEC › TITLE at STEP
//   fixme SPEC › TITLE: REASON
// and with --pace, the ms from the first paced step to the session's end
// ("pace MS"), the sum of the top-level steps' durations.
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const pace = args[0] === '--pace';
const report = JSON.parse(readFileSync(pace ? args[1] : args[0], 'utf8'));

// The spec's own steps, not Playwright's hooks around them.
const paced = /^\d+\. |^The session's end$/;

// The innermost step that failed: where the test stopped.
function failedStep(steps, at) {
  for (const s of steps ?? []) {
    if (!s.error) continue;
    return failedStep(s.steps, s.title) ?? s.title;
  }
  return at;
}

function walk(suite, file) {
  for (const spec of suite.specs ?? []) {
    for (const t of spec.tests) {
      const r = t.results.at(-1);
      const name = `${file} › ${spec.title}`;
      if (t.status === 'skipped') {
        const why = t.annotations.find((a) => a.type === 'fixme');
        console.log(`fixme ${name}: ${why?.description ?? ''}`);
      } else if (r.status === 'passed') {
        console.log(`passed ${name}`);
        if (pace)
          console.log(`pace ${r.steps.filter((s) => paced.test(s.title))
              .reduce((n, s) => n + s.duration, 0)}`);
      } else {
        console.log(`${r.status} ${name} at ${failedStep(r.steps, '?')}`);
      }
    }
  }
  for (const s of suite.suites ?? [])
    walk(s, file ?? s.file);
}
for (const s of report.suites)
  walk(s, s.file);
