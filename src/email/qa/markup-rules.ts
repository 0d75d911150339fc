/** Rules about the HTML itself: accessibility, safe links, and elements email clients strip. */
import type { HtmlElement } from './html-scan.js';
import type { Finding, QaRule } from './types.js';

function describe(element: HtmlElement): string {
  const src = element.attributes.src ?? element.attributes.href;
  return src
    ? `<${element.name} ${element.attributes.src !== undefined ? 'src' : 'href'}="${src.slice(0, 60)}">`
    : `<${element.name}>`;
}

export const imgAlt: QaRule = {
  id: 'img-alt',
  defaultSeverity: 'error',
  description: 'Every image has an alt attribute (alt="" for decorative images).',
  check(context) {
    return context
      .elements()
      .filter((e) => e.name === 'img' && e.attributes.alt === undefined)
      .map((e) => ({
        at: context.locateHtml(e.start),
        message: `${describe(e)} has no alt attribute`,
        fix: 'add alt="what the image shows", or alt="" if it is decorative',
      }));
  },
};

export const htmlLang: QaRule = {
  id: 'html-lang',
  defaultSeverity: 'warning',
  description: 'The <html> element names the language, so screen readers pronounce the email correctly.',
  check(context) {
    const html = context.elements().find((e) => e.name === 'html');
    if (!html) {
      return [
        {
          at: context.fileStart,
          message: 'the email has no <html lang="…"> element',
          fix: 'use a layout that starts with <html lang="en">, or add one',
        },
      ];
    }
    if ((html.attributes.lang ?? '').trim() !== '') return [];
    return [
      {
        at: context.locateHtml(html.start),
        message: '<html> has no lang attribute',
        fix: 'add lang="en" (or the brand\'s language)',
      },
    ];
  },
};

const LINK_ATTRIBUTES: ReadonlyArray<[string, string]> = [
  ['a', 'href'],
  ['area', 'href'],
  ['img', 'src'],
];

export const linkHttps: QaRule = {
  id: 'link-https',
  defaultSeverity: 'error',
  description: 'Links and images use https:// (links written by Klaviyo tags are trusted).',
  check(context) {
    const findings: Finding[] = [];
    for (const element of context.elements()) {
      for (const [name, attribute] of LINK_ATTRIBUTES) {
        if (element.name !== name) continue;
        const value = (element.attributes[attribute] ?? '').trim();
        if (!/^http:\/\//i.test(value)) continue;
        findings.push({
          at: context.locateHtml(element.start),
          message: `${describe(element)} uses http://`,
          fix: `use ${value.replace(/^http:/i, 'https:').slice(0, 80)}`,
        });
      }
    }
    return findings;
  },
};

export const noScript: QaRule = {
  id: 'no-script',
  defaultSeverity: 'error',
  description: 'No scripts: email clients strip them and spam filters penalise them.',
  check(context) {
    const findings: Finding[] = [];
    for (const element of context.elements()) {
      if (element.name === 'script') {
        findings.push({
          at: context.locateHtml(element.start),
          message: '<script> does not run in email',
          fix: 'remove the script',
        });
        continue;
      }
      const handler = Object.keys(element.attributes).find((a) => a.startsWith('on'));
      if (handler) {
        findings.push({
          at: context.locateHtml(element.start),
          message: `<${element.name} ${handler}> is a script handler, which email clients strip`,
          fix: `remove ${handler}`,
        });
      }
      const href = element.attributes.href ?? '';
      if (/^\s*javascript:/i.test(href)) {
        findings.push({
          at: context.locateHtml(element.start),
          message: `<${element.name} href="javascript:…"> does not work in email`,
          fix: 'link to a web page instead',
        });
      }
    }
    return findings;
  },
};

export const noForm: QaRule = {
  id: 'no-form',
  defaultSeverity: 'warning',
  description: 'No forms: most email clients disable or strip them.',
  check(context) {
    return context
      .elements()
      .filter((e) => e.name === 'form')
      .map((e) => ({
        at: context.locateHtml(e.start),
        message: '<form> does not work in most email clients',
        fix: 'link to a form on the website instead',
      }));
  },
};
