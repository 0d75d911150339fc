/**
 * Starts a system Chromium or Chrome headless and hands back a puppeteer-core Browser driving it over a pipe.
 *
 * Why not `puppeteer.launch`: its launcher pulls in @puppeteer/browsers (browser downloads), whose lazy
 * `import()` of yargs, tar-fs and extract-zip ncc splits into chunk files beside the bundle, and the bundle
 * must be one file. Starting the process here and connecting puppeteer-core's CDP client to its pipe needs
 * none of that. The CommonJS build is used because its lazy loads are plain require() calls ncc inlines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { _connectToCdpBrowser } from 'puppeteer-core/lib/cjs/puppeteer/cdp/BrowserConnector.js';
import { PipeTransport } from 'puppeteer-core/lib/cjs/puppeteer/node/PipeTransport.js';
import type { Browser } from 'puppeteer-core/lib/cjs/puppeteer/puppeteer-core.js';

/**
 * Headless Chromium that starts as root on a machine without a network or a display bus: no sandbox, no GPU,
 * no background requests to Google's hosts, host names that never resolve, and colours and scrollbars that
 * look the same on every machine.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-hang-monitor',
  '--disable-popup-blocking',
  '--disable-search-engine-choice-screen',
  '--metrics-recording-only',
  '--password-store=basic',
  '--use-mock-keychain',
  '--mute-audio',
  '--force-color-profile=srgb',
  '--hide-scrollbars',
  // Sandboxed iframes (the gallery's) stay in their parent's process, so tests can look inside them.
  '--disable-features=Translate,MediaRouter,OptimizationHints,IsolateSandboxedIframes',
  '--host-resolver-rules=MAP * ~NOTFOUND',
];

export class BrowserLaunchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserLaunchError';
  }
}

export interface ChromiumSession {
  browser: Browser;
  /** Closes the browser, ends the process and removes its profile. */
  close(): Promise<void>;
}

/** Starts `executablePath` with a fresh profile and connects to it. */
export async function launchChromium(
  executablePath: string,
  options: { protocolTimeout?: number } = {},
): Promise<ChromiumSession> {
  const profile = await mkdtemp(join(tmpdir(), 'klaviyo-gitops-chromium-'));
  const child = spawn(
    executablePath,
    [...CHROMIUM_FLAGS, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'],
    // fd 3 is what Chromium reads DevTools messages from, fd 4 where it writes its answers.
    { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: false },
  );
  const stderr: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr.push(chunk);
    if (stderr.length > 50) stderr.shift();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cleanup = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(profile, { recursive: true, force: true, maxRetries: 3 });
  };

  try {
    const browser = await Promise.race([connect(child, options.protocolTimeout), failure(child)]);
    return {
      browser,
      close: async () => {
        try {
          await browser.close();
        } catch {
          // The process is ended below either way.
        }
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const said = lastLines(stderr.join(''));
    throw new BrowserLaunchError(
      `could not start the browser at ${executablePath}: ${reason}${said ? ` (it said: ${said})` : ''}`,
    );
  }
}

async function connect(child: ChildProcess, protocolTimeout: number | undefined): Promise<Browser> {
  const transport = new PipeTransport(child.stdio[3] as Writable, child.stdio[4] as Readable);
  return (await _connectToCdpBrowser(transport, '', {
    defaultViewport: null,
    ...(protocolTimeout !== undefined ? { protocolTimeout } : {}),
  })) as unknown as Browser;
}

/** Rejects when the process cannot be started or exits before the connection is made. */
function failure(child: ChildProcess): Promise<never> {
  return new Promise((_resolve, reject) => {
    child.once('error', (error) => reject(error));
    child.once('exit', (code, signal) =>
      reject(new Error(`it exited (${signal ?? `code ${code}`}) before accepting a connection`)),
    );
  });
}

function lastLines(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/dbus|Failed to connect to the bus/i.test(l));
  return lines.slice(-2).join(' / ').slice(0, 300);
}
