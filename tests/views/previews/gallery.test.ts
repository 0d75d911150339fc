import { DomUtils, parseDocument } from 'htmlparser2';
import { describe, expect, it } from 'vitest';
import {
  buildGallery,
  escapeHtml,
  formatKb,
  type RenderedDocument,
} from '../../../src/views/previews/gallery.js';
import {
  summarize,
  type FlowPreview,
  type PreviewEntry,
  type PreviewManifest,
} from '../../../src/previews/manifest.js';

const welcomeHtml = [
  '<!DOCTYPE html>',
  '<html><head><title>Welcome</title><style>p { color: "red"; }</style></head>',
  `<body><p class="x">Hi Ada & friends, it's "great" <b>here</b></p><img src="https://shop.example/a.png" alt=""></body>`,
  '</html>',
].join('\n');

const rendered: PreviewEntry = {
  brand: 'trailhead',
  brandName: 'Trailhead Outfitters',
  key: 'welcome-1',
  name: 'Welcome 1',
  source: 'marketing/brands/trailhead/templates/welcome-1.html',
  status: 'rendered',
  files: { html: 'trailhead/welcome-1.html', text: 'trailhead/welcome-1.txt' },
  subject: 'Welcome, <Ada> & co',
  previewText: 'Your 10% code is inside',
  sizeBytes: 2560,
  sample: 'new-subscriber',
  findings: [
    {
      file: 'marketing/shared/partials/footer.html',
      line: 7,
      col: 12,
      rule: 'link-https',
      severity: 'warning',
      message: 'link uses http:',
      fix: 'use https:',
    },
  ],
};

const failed: PreviewEntry = {
  brand: 'trailhead',
  brandName: 'Trailhead Outfitters',
  key: 'broken',
  name: 'Broken',
  source: 'marketing/brands/trailhead/templates/broken.html',
  status: 'failed',
  reason: 'the template does not render',
  files: {},
  findings: [
    {
      file: 'marketing/brands/trailhead/templates/broken.html',
      line: 8,
      col: 1,
      rule: 'klaviyo-syntax',
      severity: 'error',
      message: '{% if %} at 8:1 is never closed',
    },
  ],
};

const otherBrand: PreviewEntry = {
  ...rendered,
  brand: 'emberwick',
  brandName: 'Emberwick Candle Co.',
  key: 'welcome-1',
  source: 'marketing/brands/emberwick/templates/welcome-1.html',
  files: { html: 'emberwick/welcome-1.html', text: 'emberwick/welcome-1.txt' },
  findings: [],
  measures: {
    desktop: { width: 700, height: 1234.4, scrollWidth: 700 },
    mobile: { width: 375, height: 2001, scrollWidth: 412 },
  },
};

function manifestOf(emails: PreviewEntry[], flows: FlowPreview[] = []): PreviewManifest {
  return { version: 1, dir: 'marketing', emails, flows, summary: summarize(emails, flows) };
}

const documents = new Map<string, RenderedDocument>([
  ['trailhead/welcome-1', { html: welcomeHtml, text: 'Hi Ada,\n<not a tag> & more' }],
  ['emberwick/welcome-1', { html: '<p>Emberwick</p>', text: 'Emberwick' }],
]);

type Nodes = ReturnType<typeof parseDocument>['children'];

function elements(nodes: Nodes, name: string) {
  return DomUtils.getElementsByTagName(name, nodes, true);
}

const textOf = (node: Nodes[number]): string => DomUtils.textContent(node);

describe('buildGallery', () => {
  const html = buildGallery(manifestOf([rendered, failed, otherBrand]), documents);
  const dom = parseDocument(html);
  const frames = elements(dom.children, 'iframe');

  it('embeds every rendered email twice, at 700 and 375 px, byte for byte in srcdoc', () => {
    const trailhead = frames.filter((f) => f.attribs['data-email'] === 'trailhead/welcome-1');
    expect(trailhead.map((f) => f.attribs.width)).toEqual(['700', '375']);
    expect(trailhead.map((f) => f.attribs['data-width'])).toEqual(['700', '375']);
    for (const frame of trailhead) expect(frame.attribs.srcdoc).toBe(welcomeHtml);
    expect(frames).toHaveLength(4);
  });

  it('gives no email the right to run scripts', () => {
    for (const frame of frames) {
      expect(frame.attribs.sandbox).toBeDefined();
      expect(frame.attribs.sandbox).not.toContain('allow-scripts');
    }
  });

  it('needs nothing from outside the page: no scripts, stylesheets, images or frame sources', () => {
    expect(elements(dom.children, 'script')).toEqual([]);
    expect(elements(dom.children, 'link')).toEqual([]);
    expect(elements(dom.children, 'img')).toEqual([]);
    expect(frames.every((f) => f.attribs.src === undefined)).toBe(true);
  });

  it('shows the rendered subject, preview text, size and sample, escaped', () => {
    const article = elements(dom.children, 'article').find(
      (a) => a.attribs.id === 'email-trailhead-welcome-1',
    )!;
    const text = textOf(article);
    expect(text).toContain('Welcome, <Ada> & co');
    expect(text).toContain('Your 10% code is inside');
    expect(text).toContain('2.5 KB');
    expect(text).toContain('new-subscriber');
    expect(html).not.toContain('<Ada>');
  });

  it('lists each finding with its file:line:col, rule, message and fix', () => {
    const items = elements(dom.children, 'li').filter((li) => li.attribs.class?.includes('finding'));
    const texts = items.map(textOf);
    expect(texts).toContainEqual(
      expect.stringContaining(
        'marketing/shared/partials/footer.html:7:12 link-https link uses http: (use https:)',
      ),
    );
    expect(texts).toContainEqual(
      expect.stringContaining('marketing/brands/trailhead/templates/broken.html:8:1 klaviyo-syntax'),
    );
  });

  it('shows a failed template with its reason and no frames', () => {
    const article = elements(dom.children, 'article').find((a) => a.attribs.id === 'email-trailhead-broken')!;
    expect(article.attribs.class).toContain('failed');
    expect(textOf(article)).toContain('No preview: the template does not render');
    expect(elements(article.children, 'iframe')).toEqual([]);
  });

  it('links the files written beside the gallery', () => {
    const hrefs = elements(dom.children, 'a').map((a) => a.attribs.href);
    expect(hrefs).toContain('trailhead/welcome-1.html');
    expect(hrefs).toContain('trailhead/welcome-1.txt');
    expect(hrefs).toContain('#email-trailhead-broken');
  });

  it('puts the text part in a collapsed block, escaped', () => {
    const pre = elements(dom.children, 'pre').map(textOf);
    expect(pre).toContain('Hi Ada,\n<not a tag> & more');
  });

  it('groups emails by brand, in the manifest order', () => {
    const sections = elements(dom.children, 'section')
      .filter((s) => s.attribs.class === 'brand')
      .map((s) => s.attribs.id);
    expect(sections).toEqual(['brand-trailhead', 'brand-emberwick']);
    const heading = elements(dom.children, 'h2').map(textOf);
    expect(heading).toEqual([
      'Flows',
      expect.stringContaining('Trailhead Outfitters'),
      expect.stringContaining('Emberwick'),
    ]);
  });

  it('sizes frames to measured heights and flags a measured sideways scroll', () => {
    const ember = frames.filter((f) => f.attribs['data-email'] === 'emberwick/welcome-1');
    expect(ember.map((f) => f.attribs.height)).toEqual(['1235', '2001']);
    const article = elements(dom.children, 'article').find(
      (a) => a.attribs.id === 'email-emberwick-welcome-1',
    )!;
    expect(textOf(article)).toContain('412 px wide: scrolls sideways');
  });

  it('counts emails, failures and findings in the header', () => {
    const counts = elements(dom.children, 'p').find((p) => p.attribs.class === 'counts')!;
    expect(textOf(counts)).toBe('3 emails · 2 brands · 1 failed · 1 error · 1 warning');
  });

  it('is the same string for the same input', () => {
    expect(buildGallery(manifestOf([rendered, failed, otherBrand]), documents)).toBe(html);
  });

  it('keeps errors in sight and folds away more than three warnings', () => {
    const warning = (line: number) => ({
      file: 'marketing/shared/layouts/base.html',
      line,
      col: 1,
      rule: 'caniemail',
      severity: 'warning' as const,
      message: '`@media` is not supported by outlook.windows',
    });
    const noisy: PreviewEntry = {
      ...rendered,
      findings: [...failed.findings, warning(1), warning(2), warning(3), warning(4)],
    };
    const dom = parseDocument(buildGallery(manifestOf([noisy]), documents));
    const details = elements(dom.children, 'details').filter((d) => d.attribs.class === 'warnings');
    expect(details).toHaveLength(1);
    expect(textOf(elements(details[0]!.children, 'summary')[0]!)).toBe('4 warnings');
    expect(elements(details[0]!.children, 'li')).toHaveLength(4);
    const errors = elements(dom.children, 'ul').find((u) => u.attribs['aria-label'] === 'Errors')!;
    expect(elements(errors.children, 'li')).toHaveLength(1);

    const quiet = parseDocument(buildGallery(manifestOf([rendered]), documents));
    expect(elements(quiet.children, 'details').filter((d) => d.attribs.class === 'warnings')).toEqual([]);
  });

  it('says so when there is nothing to show', () => {
    expect(buildGallery(manifestOf([]), new Map())).toContain('No templates found.');
  });
});

describe('escapeHtml and formatKb', () => {
  it('escapes every character that could end an attribute or open a tag', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('prints sizes in KB with one decimal', () => {
    expect(formatKb(0)).toBe('0.0 KB');
    expect(formatKb(104_448)).toBe('102.0 KB');
  });
});

const sender = { fromLabel: 'Trailhead', fromEmail: 'hello@trailhead.example' };
const variant = {
  label: '',
  share: 100,
  template: 'welcome-1',
  name: 'Welcome 1',
  subject: { written: 'Welcome, {{ first_name }}', from: 'template' as const },
  previewText: { written: 'Your 10% code is inside', from: 'template' as const },
  line: 5,
  preview: 'trailhead/welcome-1',
  status: 'rendered' as const,
  subjectLine: 'Welcome, <Ada> & co',
  previewLine: 'Your 10% code is inside',
};
const welcomeFlow: FlowPreview = {
  brand: 'trailhead',
  brandName: 'Trailhead Outfitters',
  key: 'welcome',
  name: 'Welcome series',
  source: 'marketing/brands/trailhead/flows/welcome.yaml',
  status: 'live',
  emails: [
    {
      step: 'welcome-1',
      file: 'marketing/shared/blueprints/welcome.yaml',
      line: 3,
      delay: [],
      branches: [],
      sender,
      abTest: { name: 'Welcome subject', winnerMetric: 'unique-clicks', autoWinner: true },
      variants: [
        { ...variant, label: 'A', share: 50 },
        {
          ...variant,
          label: 'B',
          share: 50,
          subject: { written: 'Gear up, {{ first_name }}', from: 'step' },
          subjectLine: 'Gear up, Ada',
        },
      ],
    },
    {
      step: 'follow-up',
      file: 'marketing/shared/blueprints/welcome.yaml',
      line: 20,
      delay: [{ step: 'wait-2', amount: 2, unit: 'days', until: { time: '10:00' } }],
      branches: [{ step: 'ordered', label: 'Ordered yet?', arm: 'else' }],
      sender,
      variants: [
        {
          ...variant,
          template: 'broken',
          preview: 'trailhead/broken',
          status: 'failed',
          reason: 'its template does not render: the template does not render',
        },
      ],
    },
  ],
  findings: [],
};

describe('buildGallery: the Flows view', () => {
  const html = buildGallery(manifestOf([rendered, failed, otherBrand], [welcomeFlow]), documents);
  const dom = parseDocument(html);
  const flow = elements(dom.children, 'section').find((s) => s.attribs.id === 'flow-trailhead-welcome')!;
  const steps = elements(flow.children, 'li').filter((li) => li.attribs.class === 'flow-email');

  it('shows each flow under a Flows heading, its emails in step order with the wait before each', () => {
    const view = elements(dom.children, 'section').find((s) => s.attribs.id === 'flows')!;
    expect(textOf(elements(view.children, 'h2')[0]!)).toBe('Flows');
    expect(textOf(elements(flow.children, 'h3')[0]!)).toContain('Welcome series');
    expect(steps.map((li) => li.attribs['data-step'])).toEqual(['welcome-1', 'follow-up']);
    expect(steps.map((li) => textOf(elements(li.children, 'h4')[0]!))).toEqual([
      expect.stringContaining('Step welcome-1 · A/B test: Welcome subject'),
      'Step follow-up',
    ]);
    const delays = steps.map((li) =>
      textOf(elements(li.children, 'p').find((p) => p.attribs.class === 'delay')!),
    );
    expect(delays).toEqual(['As soon as the flow starts', 'Wait 2 days, until 10:00']);
    expect(textOf(steps[1]!)).toContain('Only when Ordered yet? no');
  });

  it("puts an A/B test's variants side by side, each with its share, subject as sent and sender", () => {
    const cards = elements(steps[0]!.children, 'article');
    expect(cards.map((c) => c.attribs['data-variant'])).toEqual(['A', 'B']);
    const inbox = cards.map((c) =>
      textOf(elements(c.children, 'p').find((p) => p.attribs.class === 'inbox')!),
    );
    expect(inbox).toEqual([
      'Trailhead Welcome, <Ada> & co Your 10% code is inside',
      'Trailhead Gear up, Ada Your 10% code is inside',
    ]);
    expect(textOf(cards[0]!)).toContain('Variant A · 50%');
    expect(textOf(cards[1]!)).toContain('Gear up, Ada (set by the step)');
    expect(textOf(cards[0]!)).toContain("(the template's)");
    expect(textOf(cards[1]!)).toContain('Trailhead <hello@trailhead.example>');
  });

  it('links each flow email to the template view and the template back to the flow email', () => {
    const card = elements(steps[0]!.children, 'article')[0]!;
    expect(elements(card.children, 'a').map((a) => a.attribs.href)).toEqual(['#email-trailhead-welcome-1']);
    const template = elements(dom.children, 'article').find(
      (a) => a.attribs.id === 'email-trailhead-welcome-1',
    )!;
    const back = elements(template.children, 'a').filter((a) => a.attribs.href?.startsWith('#flow-email-'));
    expect(back.map((a) => [a.attribs.href, textOf(a)])).toEqual([
      ['#flow-email-trailhead-welcome-welcome-1', 'Welcome series › welcome-1 (variant A)'],
      ['#flow-email-trailhead-welcome-welcome-1', 'Welcome series › welcome-1 (variant B)'],
    ]);
    expect(steps[0]!.attribs.id).toBe('flow-email-trailhead-welcome-welcome-1');
  });

  it('says why a flow email has no preview', () => {
    expect(textOf(steps[1]!)).toContain('No preview: its template does not render');
  });

  it('counts flows and their emails in the views menu', () => {
    const nav = elements(dom.children, 'nav').find((n) => n.attribs.class === 'views')!;
    expect(textOf(nav)).toBe('Flows: 2 emails in 1 flow · Templates: 3 emails');
  });
});
