/**
 * Screenshots of rendered emails with puppeteer-core and a system Chromium or Chrome: one browser for all
 * emails, one page per width. Pages may load nothing from the network (only `file:`, `data:` and `about:`),
 * so remote images show as broken images and the pictures are the same on every run.
 */
import { existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer-core/lib/cjs/puppeteer/puppeteer-core.js';
import { writeFileAtomic } from '../atomic-write.js';
import type { Environment } from '../config.js';
import { BrowserLaunchError, launchChromium, type ChromiumSession } from './chromium.js';
import type { ViewportMeasure } from './manifest.js';

/** Variables that name a browser executable, in the order they are tried. */
export const BROWSER_VARIABLES = ['CHROME_PATH', 'PUPPETEER_EXECUTABLE_PATH', 'CHROMIUM_PATH'] as const;

/** Executable names looked up on PATH, then well-known locations. */
const BROWSER_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];
const BROWSER_LOCATIONS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export class BrowserNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserNotFoundError';
  }
}

export type FileCheck = (path: string) => boolean;

const isExecutableFile: FileCheck = (path) => {
  try {
    return existsSync(path) && statSync(path).isFile();
  } catch {
    return false;
  }
};

/**
 * The browser to drive: the first of CHROME_PATH, PUPPETEER_EXECUTABLE_PATH and CHROMIUM_PATH that is set
 * (it must exist), else Chromium or Chrome on PATH or in a well-known place.
 */
export function findBrowser(env: Environment, exists: FileCheck = isExecutableFile): string {
  for (const variable of BROWSER_VARIABLES) {
    const value = env[variable]?.trim();
    if (!value) continue;
    if (exists(value)) return value;
    throw new BrowserNotFoundError(`${variable} is set to ${value}, but there is no browser there`);
  }
  const onPath = (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .flatMap((dir) => BROWSER_NAMES.map((name) => join(dir, name)));
  // A snap's confinement hides /tmp (the profile) from the browser, so a snap is the last resort.
  const candidates = [...onPath, ...BROWSER_LOCATIONS];
  const ordered = [
    ...candidates.filter((p) => !p.includes('/snap/')),
    ...candidates.filter((p) => p.includes('/snap/')),
  ];
  const found = ordered.find((path) => exists(path));
  if (found) return found;
  throw new BrowserNotFoundError(
    'no Chromium or Chrome found for --screenshots: install one (Debian/Ubuntu: apt-get install -y chromium) ' +
      `or set CHROME_PATH to its executable (looked on PATH for ${BROWSER_NAMES.join(', ')} and in ${BROWSER_LOCATIONS.join(', ')})`,
  );
}

/** Only what is already on the machine or inline; anything else would make screenshots depend on the network. */
export function isOfflineUrl(url: string): boolean {
  return /^(file|data|about):/i.test(url);
}

export interface ScreenshotOptions {
  /** Pixels per CSS pixel in the PNG. */
  deviceScaleFactor?: number;
}

/**
 * Runs in the page (as source text: this project compiles without the DOM library). The document's full height
 * and width, and up to three visible elements that stick out past the viewport's right edge.
 */
const MEASURE_PAGE = `(viewport) => {
  const root = document.documentElement;
  const wide = [];
  for (const element of document.body ? document.body.querySelectorAll('*') : []) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.height > 0 && box.right > viewport + 0.5) {
      const cls = element.getAttribute('class');
      wide.push('<' + element.tagName.toLowerCase() + (cls ? ' class="' + cls + '"' : '') + '> ends at ' + Math.round(box.right) + ' px');
      if (wide.length === 3) break;
    }
  }
  return { height: root.scrollHeight, scrollWidth: root.scrollWidth, wide };
}`;

export interface ScreenshotTarget {
  /** Viewport width in CSS pixels. */
  width: number;
  /** Where the PNG goes. */
  path: string;
}

/**
 * One headless browser and one page, reused for every email. A single page matters: Chromium stops painting
 * pages in the background, and a screenshot of one waits for a frame that may take a minute to come.
 */
export class PreviewBrowser {
  private page: Page | undefined;

  private constructor(
    private readonly session: ChromiumSession,
    private readonly options: ScreenshotOptions,
  ) {}

  static async launch(executablePath: string, options: ScreenshotOptions = {}): Promise<PreviewBrowser> {
    try {
      return new PreviewBrowser(await launchChromium(executablePath), options);
    } catch (error) {
      if (error instanceof BrowserLaunchError) throw new BrowserNotFoundError(error.message);
      throw error;
    }
  }

  /**
   * Loads `html` once and, for each target width in turn, lays it out at that width, writes a full-height PNG
   * and measures it. Scripts are off, as in email clients.
   */
  async capture(html: string, targets: readonly ScreenshotTarget[]): Promise<ViewportMeasure[]> {
    const page = await this.openPage();
    const scale = this.options.deviceScaleFactor ?? 1;
    const first = targets[0];
    if (first) await page.setViewport({ width: first.width, height: 800, deviceScaleFactor: scale });
    await page.setContent(html, { waitUntil: 'load', timeout: 30_000 });
    const measures: ViewportMeasure[] = [];
    for (const { width, path } of targets) {
      await page.setViewport({ width, height: 800, deviceScaleFactor: scale });
      const measured = (await page.evaluate(`(${MEASURE_PAGE})(${width})`)) as {
        height: number;
        scrollWidth: number;
        wide: string[];
      };
      // The full height, but only as wide as the screen: what sticks out is reported, not pictured.
      const png = await page.screenshot({
        type: 'png',
        clip: { x: 0, y: 0, width, height: measured.height },
        captureBeyondViewport: true,
      });
      await writeFileAtomic(path, png);
      const measure: ViewportMeasure = { width, height: measured.height, scrollWidth: measured.scrollWidth };
      if (measured.wide.length > 0) measure.wideElements = measured.wide;
      measures.push(measure);
    }
    return measures;
  }

  async close(): Promise<void> {
    await this.session.close();
  }

  private async openPage(): Promise<Page> {
    if (this.page) return this.page;
    const page = await this.session.browser.newPage();
    await page.setJavaScriptEnabled(false);
    await page.setRequestInterception(true);
    page.on('request', (request: HTTPRequest) => {
      if (isOfflineUrl(request.url())) void request.continue();
      else void request.abort('blockedbyclient');
    });
    this.page = page;
    return page;
  }
}
