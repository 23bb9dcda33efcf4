import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

/** Debian's Chromium: the browser tests run where it is installed (`.ci/run` installs it). */
const CHROMIUM = "/usr/bin/chromium";

/** Whether the browser tests can run here; says once why not, naming the test file. */
export function browserAvailable(testFile: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available)
    console.log(
      `${testFile}: skipped, no browser at ${CHROMIUM} (apt-get install chromium; .ci/run installs it)`,
    );
  return available;
}

/** A fresh profile each launch (Playwright's); no call home: background networking, updates and sync off. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** The URLs of `requested` whose origin is not the hub's: what a page asked of any other host. */
export function requestsElsewhere(requested: readonly string[], hubUrl: string): string[] {
  const hubOrigin = new URL(hubUrl).origin;
  return requested.filter((url) => /^https?:/.test(url) && new URL(url).origin !== hubOrigin);
}
