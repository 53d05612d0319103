/**
 * Debian's Chromium, driven by playwright-core (no browser download).
 * Without the browser the suite is skipped with a loud message on a
 * developer's machine, and fails under CI, where .ci/run installs it.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's package; CHROMIUM_PATH may point elsewhere (another machine, or a missing path to test the skip). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

const installed = existsSync(CHROMIUM_PATH);

/** True when the browser tests must be skipped: no browser, and not in CI. */
export const skipBrowserTests = !installed && !IN_CI;

if (skipBrowserTests) {
  const line = '!'.repeat(78);
  console.warn(
    `\n${line}\n!! BROWSER TESTS SKIPPED: ${CHROMIUM_PATH} is not installed.\n` +
      `!! Accessibility, keyboard, reflow and print checks did NOT run.\n` +
      `!! Install it with: sudo apt-get install chromium   (CI=true makes this a failure)\n${line}\n`,
  );
}

export async function launchChromium(): Promise<Browser> {
  if (!installed) {
    throw new Error(
      `${CHROMIUM_PATH} is missing, and CI=true requires the browser tests to ` +
        `run: install the Debian package "chromium" (or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}
