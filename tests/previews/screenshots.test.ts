import { describe, expect, it } from 'vitest';
import { BrowserLaunchError, launchChromium } from '../../src/previews/chromium.js';
import {
  BrowserNotFoundError,
  findBrowser,
  isOfflineUrl,
  PreviewBrowser,
} from '../../src/previews/screenshots.js';

const only =
  (...present: string[]) =>
  (path: string): boolean =>
    present.includes(path);

describe('findBrowser', () => {
  it('takes CHROME_PATH first, then PUPPETEER_EXECUTABLE_PATH', () => {
    const exists = only('/opt/chrome', '/opt/puppeteer-chrome', '/usr/bin/chromium');
    expect(
      findBrowser({ CHROME_PATH: '/opt/chrome', PUPPETEER_EXECUTABLE_PATH: '/opt/puppeteer-chrome' }, exists),
    ).toBe('/opt/chrome');
    expect(findBrowser({ PUPPETEER_EXECUTABLE_PATH: '/opt/puppeteer-chrome' }, exists)).toBe(
      '/opt/puppeteer-chrome',
    );
  });

  it('refuses a variable that points at nothing instead of silently using another browser', () => {
    const exists = only('/usr/bin/chromium');
    expect(() => findBrowser({ CHROME_PATH: '/nowhere/chrome' }, exists)).toThrow(
      new BrowserNotFoundError('CHROME_PATH is set to /nowhere/chrome, but there is no browser there'),
    );
  });

  it('looks on PATH before the well-known locations', () => {
    const exists = only('/home/me/bin/google-chrome', '/usr/bin/chromium');
    expect(findBrowser({ PATH: '/home/me/bin:/usr/local/bin' }, exists)).toBe('/home/me/bin/google-chrome');
  });

  it('prefers any other browser to a snap, whose confinement hides the profile in /tmp', () => {
    const exists = only('/snap/bin/chromium', '/usr/bin/google-chrome');
    expect(findBrowser({ PATH: '/snap/bin:/usr/bin' }, exists)).toBe('/usr/bin/google-chrome');
    expect(findBrowser({ PATH: '/snap/bin:/usr/bin' }, only('/snap/bin/chromium'))).toBe(
      '/snap/bin/chromium',
    );
  });

  it('falls back to Debian’s /usr/bin/chromium', () => {
    expect(findBrowser({}, only('/usr/bin/chromium'))).toBe('/usr/bin/chromium');
  });

  it('says how to install a browser when there is none', () => {
    let error: unknown;
    try {
      findBrowser({ PATH: '/usr/bin' }, only());
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(BrowserNotFoundError);
    expect((error as Error).message).toMatch(/apt-get install -y chromium/);
    expect((error as Error).message).toMatch(/CHROME_PATH/);
  });

  it('ignores an empty variable', () => {
    expect(findBrowser({ CHROME_PATH: '  ' }, only('/usr/bin/chromium'))).toBe('/usr/bin/chromium');
  });
});

describe('isOfflineUrl', () => {
  it('lets only file:, data: and about: through', () => {
    expect(isOfflineUrl('about:blank')).toBe(true);
    expect(isOfflineUrl('data:image/png;base64,AAAA')).toBe(true);
    expect(isOfflineUrl('file:///tmp/a.png')).toBe(true);
    expect(isOfflineUrl('https://trailhead.example/logo.png')).toBe(false);
    expect(isOfflineUrl('http://127.0.0.1:8080/')).toBe(false);
    expect(isOfflineUrl('ws://example.com/')).toBe(false);
    expect(isOfflineUrl('blob:https://example.com/x')).toBe(false);
  });
});

describe('launching a browser that does not work', () => {
  it('says so when the executable exits at once', async () => {
    await expect(launchChromium('/bin/false')).rejects.toThrow(
      new BrowserLaunchError(
        'could not start the browser at /bin/false: it exited (code 1) before accepting a connection',
      ),
    );
  });

  it('says so when there is no such executable', async () => {
    await expect(launchChromium('/nonexistent/chromium')).rejects.toThrow(
      /^could not start the browser at \/nonexistent\/chromium: spawn \/nonexistent\/chromium ENOENT/,
    );
  });

  it('reports it to the render command as a missing browser', async () => {
    await expect(PreviewBrowser.launch('/bin/false')).rejects.toBeInstanceOf(BrowserNotFoundError);
  });
});
