import { describe, expect, it } from 'vitest';
import {
  parseKlaviyoTemplate,
  renderKlaviyoTemplate,
  type RenderOptions,
} from '../../src/email/klaviyo-language/index.js';
import { lex } from '../../src/email/klaviyo-language/lexer.js';

const context = {
  first_name: 'ada',
  email: 'ada@example.com',
  person: {
    first_name: 'ada',
    email: 'ada@example.com',
    'Loyalty Points': 200,
    'Loyalty Tier': 'Gold',
    Tags: ['hiker', 'camper'],
  },
  event: {
    $value: 129.5,
    Items: [
      { ProductName: 'ridge 2 tent', Quantity: 1, ItemPrice: 129.5, ProductID: 'P1' },
      { ProductName: 'trail stove', Quantity: 2, ItemPrice: 3 },
    ],
    extra: { checkout_url: 'https://trailhead.example/checkout/abc' },
    OrderDate: '2026-03-14T09:30:00Z',
    Empty: [],
  },
  organization: { name: 'Trail & Co', full_address: '410 Alder Street, Bend, OR 97701, USA' },
};

function render(source: string, options: RenderOptions = {}, data: Record<string, unknown> = context) {
  const parsed = parseKlaviyoTemplate(source, { file: 'templates/t.html' });
  const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
  if (!parsed.ast) throw new Error(`parse failed: ${errors.map((d) => d.message).join('; ')}`);
  return renderKlaviyoTemplate(parsed.ast, data, options);
}

const out = (source: string, options: RenderOptions = {}, data?: Record<string, unknown>): string =>
  render(source, options, data).output;

function errors(source: string) {
  return parseKlaviyoTemplate(source, { file: 'f.html' }).diagnostics.filter((d) => d.severity === 'error');
}

describe('lexer', () => {
  it('splits text, variables, tags and comments with offsets', () => {
    const { tokens, problems } = lex('a {{ b }} {% c %} {# d #} e');
    expect(problems).toEqual([]);
    expect(tokens.map((t) => [t.type, t.start, t.end])).toEqual([
      ['text', 0, 2],
      ['variable', 2, 9],
      ['text', 9, 10],
      ['block', 10, 17],
      ['text', 17, 18],
      ['comment', 18, 25],
      ['text', 25, 27],
    ]);
  });

  it('leaves single braces and CSS alone', () => {
    const css = '@media (max-width:600px){.a{color:red}} p{margin:0}';
    const { tokens, problems } = lex(css);
    expect(problems).toEqual([]);
    expect(tokens).toEqual([{ type: 'text', start: 0, end: css.length }]);
  });

  it('warns about a tag that spans lines', () => {
    const { problems } = lex('{% if a\n %}');
    expect(problems).toEqual([expect.objectContaining({ severity: 'warning', offset: 0 })]);
  });
});

describe('variables and filters', () => {
  it('prints variables with dot paths and list indexes', () => {
    expect(
      out(
        '{{ first_name }} {{ person.email }} {{ event.Items.1.ProductName }} {{ event.extra.checkout_url }}',
      ),
    ).toBe('ada ada@example.com trail stove https://trailhead.example/checkout/abc');
  });

  it('looks up keys with spaces and $ keys with |lookup', () => {
    expect(
      out(
        "{{ person|lookup:'Loyalty Points' }} {{ person|lookup:\"Loyalty Tier\" }} {{ event|lookup:'$value' }}",
      ),
    ).toBe('200 Gold 129.5');
  });

  it('chains filters with arguments of every kind', () => {
    expect(out("{{ first_name|title|default:'x' }} {{ last_name|default:person.first_name|upper }}")).toBe(
      'Ada ADA',
    );
    expect(
      out(
        '{{ event.Items.0.ItemPrice|floatformat:2 }} {{ event.Items.0.ItemPrice|multiply:2 }} {{ 3|add:-1 }}',
      ),
    ).toBe('129.50 259 2');
  });

  it.each([
    ["{{ 'joel is a slug'|title }}", 'Joel Is A Slug'],
    ['{{ "they\'re 1st"|title }}', 'They&#x27;re 1st'],
    ["{{ 'ABC'|lower }}{{ 'abc'|upper }}", 'abcABC'],
    ["{{ 'hello world'|capfirst }} {{ 'hello'|capitalize }}", 'Hello world Hello'],
    ['{{ 34.23234|floatformat }} {{ 34.0|floatformat }} {{ 34.26|floatformat }}', '34.2 34 34.3'],
    [
      '{{ 34.23234|floatformat:3 }} {{ 34|floatformat:3 }} {{ 34.26|floatformat:-3 }} {{ 34|floatformat:-3 }}',
      '34.232 34.000 34.260 34',
    ],
    ['{{ 2.675|floatformat:2 }} {{ 1.005|floatformat:2 }} {{ -0.4|floatformat:0 }}', '2.68 1.01 0'],
    ['{{ 1234567.891|floatformat:"2g" }} {{ "x"|floatformat }}', '1,234,567.89 '],
    ["{{ 'Joel is a slug'|truncatechars:7 }}", 'Joel i…'],
    ["{{ 'Joel is a slug'|truncatewords:2 }}", 'Joel is …'],
    [
      '{{ event.Items|length }} {{ person.Tags|join:", " }} {{ person.Tags|first }} {{ person.Tags|last }}',
      '2 hiker, camper hiker camper',
    ],
    ["{{ '5'|add:'3' }} {{ 'a'|add:'b' }} {{ 129.5|add:1 }} {{ 1.5|floatadd:1.25 }}", '8 ab 130 2.75'],
    ['{{ -3|abs }} {{ 2.1|ceil }} {{ 5|at_least:7 }} {{ 5|at_most:3 }}', '3 3 7 3'],
    ["{{ '<b>Hi</b> there'|striptags }} {{ 'a b c'|cut:' ' }}", 'Hi there abc'],
    [
      "{{ 'abcdef'|slice:':3' }} {{ 'abcdef'|slice:'-2:' }} {{ 'abcdef'|slice:'::2' }} {{ person.Tags|slice:'1:'|join:'' }}",
      'abc ef ace camper',
    ],
    ['{{ True|yesno }} {{ False|yesno:"on,off" }} {{ None|yesno:"y,n,?" }}', 'yes off ?'],
    [
      'item{{ 1|pluralize }} item{{ 2|pluralize }} cherr{{ 2|pluralize:"y,ies" }} {{ person.Tags|pluralize }}',
      'item items cherries s',
    ],
    ["{{ 'a b/c?d=é'|urlencode }} {{ 'a/b'|urlencode:'' }}", 'a%20b/c%3Fd%3D%C3%A9 a%2Fb'],
    ["{{ 'hi'|base64_encode }} {{ 'aGk='|base64_decode }} {{ '?>'|base64_url_safe_encode }}", 'aGk= hi Pz4'],
    ["{{ '2026-03-14'|format_date_string|date:'F d, o' }}", 'March 14, 2026'],
    [
      "{{ event.OrderDate|date:'D, d M Y H:i' }} {{ event.OrderDate|date:'jS N' }} {{ event.OrderDate|date }}",
      'Sat, 14 Mar 2026 09:30 14th March March 14, 2026',
    ],
    ["{{ event.OrderDate|date:'g:i A, l' }} {{ event.OrderDate|time }}", '9:30 AM, Saturday 9:30 a.m.'],
    ["{{ ''|missing_product_image }}", 'https://preview.invalid/missing-product-image.png'],
    ['{{ None|default_if_none:"n" }} {{ ""|default_if_none:"n" }}|', 'n |'],
    ["{{ 'Hello World'|slugify }} {{ 'a\nb'|linebreaksbr }} {{ 'x'|append:'y' }}", 'hello-world a<br>b xy'],
  ])('%s', (source, expected) => {
    expect(out(source)).toBe(expected);
  });

  it('chooses |random deterministically from the seed', () => {
    const first = out('{{ person.Tags|random }}', { seed: 1 });
    expect(['hiker', 'camper']).toContain(first);
    expect(out('{{ person.Tags|random }}', { seed: 1 })).toBe(first);
  });

  it('escapes HTML like Django unless the value is safe', () => {
    expect(out('{{ organization.name }} {{ "<i>\'"|safe }} {{ "<i>"|escape }}')).toBe(
      "Trail &amp; Co <i>' &lt;i&gt;",
    );
    expect(out('{{ organization.name }}', { autoescape: false })).toBe('Trail & Co');
  });

  it('prints Python forms of None, booleans and lists', () => {
    expect(
      out(
        '{{ x }}|{{ None }}|{{ True }}|{{ person.Tags }}',
        { autoescape: false },
        { x: null, person: { Tags: ['a', 1] } },
      ),
    ).toBe("None|None|True|['a', 1]");
  });
});

describe('if / elif / else', () => {
  it('evaluates filters inside if and elif', () => {
    const template =
      "{% if person|lookup:'Loyalty Points' > 500 %}gold{% elif person|lookup:'Loyalty Points'|default:0 >= 150 %}silver{% else %}none{% endif %}";
    expect(out(template)).toBe('silver');
    expect(out(template, {}, { person: {} })).toBe('none');
  });

  it('supports comparisons, in, not in, and/or/not and is', () => {
    expect(out("{% if 'hiker' in person.Tags and not 'x' in person.Tags %}a{% endif %}")).toBe('a');
    expect(out("{% if 'zz' not in person.Tags or first_name == 'bob' %}b{% endif %}")).toBe('b');
    expect(out("{% if 'Gol' in person|lookup:'Loyalty Tier' %}c{% endif %}")).toBe('c');
    expect(out('{% if event.Items|length != 2 %}x{% else %}d{% endif %}')).toBe('d');
    expect(out('{% if nothing is None and event is not None %}e{% endif %}')).toBe('e');
    expect(out('{% if not a or b and c %}f{% endif %}', {}, { a: true, b: true, c: true })).toBe('f');
  });

  it('treats a missing variable as false and never compares across types', () => {
    expect(out('{% if missing %}x{% else %}y{% endif %}')).toBe('y');
    expect(out("{% if '1' == 1 %}x{% else %}y{% endif %}{% if missing > 1 %}x{% else %}z{% endif %}")).toBe(
      'yz',
    );
  });
});

describe('for loops', () => {
  it('exposes forloop counters and first/last', () => {
    const template =
      '{% for item in event.Items %}{{ forloop.counter }}/{{ forloop.counter0 }}/{{ forloop.revcounter }}:{{ item.ProductName }}{% if forloop.first %}[first]{% endif %}{% if forloop.last %}[last]{% endif %} {% endfor %}';
    expect(out(template)).toBe('1/0/2:ridge 2 tent[first] 2/1/1:trail stove[last] ');
  });

  it('renders {% empty %} for an empty or missing list', () => {
    expect(out('{% for i in event.Empty %}x{% empty %}none{% endfor %}')).toBe('none');
    const result = render('{% for i in event.Nope %}x{% empty %}none{% endfor %}');
    expect(result.output).toBe('none');
    expect(result.warnings).toEqual([]);
  });

  it('loops in reverse, over dict items, and nests with parentloop', () => {
    expect(out('{% for t in person.Tags reversed %}{{ t }} {% endfor %}')).toBe('camper hiker ');
    expect(out('{% for k, v in d.items %}{{ k }}={{ v }};{% endfor %}', {}, { d: { a: 1, b: 2 } })).toBe(
      'a=1;b=2;',
    );
    expect(
      out(
        '{% for a in x %}{% for b in x %}{{ forloop.parentloop.counter }}{{ forloop.counter }} {% endfor %}{% endfor %}',
        {},
        { x: [1, 2] },
      ),
    ).toBe('11 12 21 22 ');
  });

  it('cycles through values', () => {
    expect(out("{% for i in x %}{% cycle 'odd' 'even' %} {% endfor %}", {}, { x: [1, 2, 3] })).toBe(
      'odd even odd ',
    );
  });
});

describe('Klaviyo tags', () => {
  it('renders unsubscribe, preferences and web view as working placeholder links', () => {
    expect(out("{% unsubscribe %}|{% unsubscribe 'Opt <out>' %}|{% unsubscribe_link %}")).toBe(
      '<a href="https://preview.invalid/unsubscribe">Unsubscribe</a>|<a href="https://preview.invalid/unsubscribe">Opt &lt;out&gt;</a>|https://preview.invalid/unsubscribe',
    );
    expect(
      out("{% manage_preferences %}|{% manage_preferences 'Prefs' %}|{% manage_preferences_link %}"),
    ).toBe(
      '<a href="https://preview.invalid/manage-preferences">Manage Preferences</a>|<a href="https://preview.invalid/manage-preferences">Prefs</a>|https://preview.invalid/manage-preferences',
    );
    expect(out('{% web_view %}|{% web_view_link %}', { linkBase: 'https://previews.example/x/' })).toBe(
      '<a href="https://previews.example/x/web-view">View in browser</a>|https://previews.example/x/web-view',
    );
  });

  it('renders link tags as label and URL in text mode', () => {
    expect(out("{% unsubscribe 'Stop' %}", { mode: 'text', autoescape: false })).toBe(
      'Stop: https://preview.invalid/unsubscribe',
    );
  });

  it('renders the year, coupon codes, currency, now and firstof', () => {
    expect(out('{% current_year %}')).toBe('2026');
    expect(out('{% current_year %} {% now "Y-m" %}', { now: new Date(Date.UTC(2031, 4, 2)) })).toBe(
      '2031 2031-05',
    );
    expect(out("{% coupon_code 'Welcome 10' %}")).toBe('PREVIEW-WELCOME-10');
    expect(out("{% coupon_code 'WELCOME' %}", { coupons: { WELCOME: 'ADA-7F3K' } })).toBe('ADA-7F3K');
    expect(out("{% currency_format event|lookup:'$value' %} {% currency_format 1234.5 %}")).toBe(
      '$129.50 $1,234.50',
    );
    expect(out('{% currency_format 5 %}', { currency: 'EUR', locale: 'de-DE' })).toBe('5,00\u00a0€');
    expect(out("{% firstof missing '' first_name 'friend' %}")).toBe('ada');
  });

  it('looks up catalog items in the fixtures', () => {
    const template =
      '{% catalog event.Items.0.ProductID unpublished="cancel" %}{{ catalog_item.title }} {{ catalog_item.url }}{% endcatalog %}';
    expect(out(template, { catalog: { P1: { title: 'Ridge 2', url: 'https://t.example/p1' } } })).toBe(
      'Ridge 2 https://t.example/p1',
    );
    const missing = render(template);
    expect(missing.output).toBe('');
    expect(missing.warnings).toEqual([expect.objectContaining({ kind: 'catalog-item', path: 'P1' })]);
  });

  it('drops comments and keeps verbatim text', () => {
    expect(
      out('a{# x #}b{% comment %}{% if %}{% endcomment %}c{% verbatim %}{{ raw }}{% endverbatim %}'),
    ).toBe('abc{{ raw }}');
  });
});

describe('unresolved variables', () => {
  it('warns with the position and the sample name', () => {
    const parsed = parseKlaviyoTemplate('line one\n  {{ event.Foo }} {{ person|lookup:"Shoe Size" }}', {
      file: 'w.html',
      lineOffset: 4,
    });
    const result = renderKlaviyoTemplate(parsed.ast!, context, { sampleName: 'new-subscriber' });
    expect(result.output).toBe('line one\n   ');
    expect(result.warnings).toEqual([
      expect.objectContaining({
        file: 'w.html',
        line: 6,
        col: 6,
        path: 'event.Foo',
        message: "unresolved variable event.Foo — not in sample 'new-subscriber'",
      }),
      expect.objectContaining({ line: 6, col: 22, path: "person|lookup:'Shoe Size'" }),
    ]);
  });

  it('stays quiet when a default handles it or an if merely tests for it', () => {
    expect(
      render("{{ nope|default:'x' }}{% if nope %}{% endif %}{{ person|lookup:'Nope'|default:0 }}").warnings,
    ).toEqual([]);
    expect(render('{% if nope > 1 %}{% endif %}').warnings).toHaveLength(1);
  });
});

describe('syntax errors', () => {
  it.each([
    ['{% if x %}open', 1, 1, 'never closed'],
    ['a\n  {% for x in y %}{% if z %}{% endfor %}', 2, 19, '{% if %} at 2:19 is never closed'],
    ['{% endif %}', 1, 1, 'no matching {% if %}'],
    ['{% if x %}{% else %}{% elif y %}{% endif %}', 1, 21, 'after {% else %}'],
    ['x {{ x|nofilter }}', 1, 8, "unknown filter 'nofilter'"],
    ['{{ x|defualt:1 }}', 1, 6, "unknown filter 'defualt'"],
    ["{{ x|default: 'a' }}", 1, 15, "no space after ':'"],
    ['{{ x|default }}', 1, 6, 'needs an argument'],
    ['{{ x|upper:1 }}', 1, 11, 'takes no argument'],
    ['{{ event.$value }}', 1, 4, 'cannot be reached with a dot'],
    ['{{ person._secret }}', 1, 4, 'underscore'],
    ['{% if a==b %}{% endif %}', 1, 8, "spaces around '=='"],
    ['{% if (a or b) and c %}{% endif %}', 1, 7, 'parentheses'],
    ['{% if a < b < c %}{% endif %}', 1, 13, 'chained'],
    ['{% if a | lower %}{% endif %}', 1, 9, "no spaces around '|'"],
    ['{% if x = 1 %}{% endif %}', 1, 9, "'=' is not a comparison"],
    ['{% frobnicate %}', 1, 1, 'unknown tag'],
    ['{% unsubscribe_lnk %}', 1, 1, 'unknown tag'],
    ['{% include "x.html" %}', 1, 1, 'unsupported tag'],
    ['{% unsubscribe_link "x" %}', 1, 1, 'takes no arguments'],
    ['{% coupon_code %}', 1, 1, 'takes 1 argument'],
    ["{{ 'open }}", 1, 4, 'never closed'],
    ['text {{ x', 1, 6, "'{{' is never closed"],
    ['{% comment %}never ends', 1, 1, 'never closed'],
    ['{{ }}', 1, 1, 'empty'],
    ['{{ a b }}', 1, 6, "unexpected 'b'"],
  ])('%s', (source, line, col, message) => {
    const found = errors(source);
    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ rule: 'klaviyo-syntax', severity: 'error', file: 'f.html', line, col });
    expect(found[0]!.message).toContain(message);
  });

  it('suggests the closest filter and tag name', () => {
    expect(errors('{{ x|defualt:1 }}')[0]!.fix).toBe("did you mean 'default'?");
    expect(errors('{% unsubscribe_lnk %}')[0]!.fix).toBe('did you mean {% unsubscribe_link %}?');
  });

  it('reports positions shifted by the front matter or through a locate function', () => {
    expect(
      parseKlaviyoTemplate('ok\n{% endif %}', { file: 'a.html', lineOffset: 7 }).diagnostics[0],
    ).toMatchObject({ line: 9, col: 1 });
    const located = parseKlaviyoTemplate('xx{% endfor %}', {
      file: 'ignored',
      locate: (offset) => ({ file: 'partial.html', line: 40, col: offset + 10 }),
    });
    expect(located.diagnostics[0]).toMatchObject({ file: 'partial.html', line: 40, col: 12 });
  });

  it('returns no tree when there are errors but keeps warnings alone', () => {
    expect(parseKlaviyoTemplate('{% if %}', { file: 'f' }).ast).toBeUndefined();
    const warned = parseKlaviyoTemplate('{{ a\n}}', { file: 'f' });
    expect(warned.ast).toBeDefined();
    expect(warned.diagnostics).toEqual([expect.objectContaining({ severity: 'warning' })]);
  });
});

describe('limits', () => {
  it('cuts off runaway output with a warning', () => {
    const result = render(
      '{% for a in x %}{% for b in x %}{{ a }}{{ b }}{% endfor %}{% endfor %}',
      { maxOutputLength: 100 },
      {
        x: Array.from({ length: 50 }, (_, i) => i),
      },
    );
    expect(result.output.length).toBeLessThanOrEqual(100);
    expect(result.warnings).toEqual([expect.objectContaining({ kind: 'output-limit' })]);
  });
});
