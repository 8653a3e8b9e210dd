// What a 360 px phone screen must give every page: nothing wider than the screen,
// nothing fixed over the content, every tap target at least 44 × 44 px. Each check
// runs in the page and returns what it found, naming the element, so a failure says
// what to fix.

// Runs in the page: a short, readable name for an element.
const NAME = `(el) => {
  const id = el.id ? '#' + el.id : '';
  const cls = typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
  const test = el.dataset?.testid ? '[data-testid=' + el.dataset.testid + ']' : '';
  const text = (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().replace(/\\s+/g, ' ');
  return el.tagName.toLowerCase() + id + cls + test + (text ? ' "' + text.slice(0, 40) + '"' : '');
}`;

// Defines the naming function in the page. Evaluated as a string by the test driver,
// as the accessibility test does with axe: the page's Content-Security-Policy would
// (rightly) refuse an eval() made by page script.
async function prepare(page) {
  await page.evaluate(`window.__wijkpostName = ${NAME}; true`);
}

// The document is no wider than the viewport; if it is, the deepest elements that
// stick out are named.
export async function tooWide(page) {
  await prepare(page);
  return page.evaluate(() => {
    const name = window.__wijkpostName;
    // The screen, not window.innerWidth: a phone zooms out to show a page wider than
    // itself, and innerWidth grows with it.
    const width = screen.width;
    const scrollWidth = document.documentElement.scrollWidth;
    if (scrollWidth <= width) return [];
    const out = [...document.querySelectorAll('body *')].filter((el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.right > width + 1
        && ![...el.children].some((c) => c.getBoundingClientRect().right > width + 1);
    });
    return [`page is ${scrollWidth} px wide on a ${width} px screen`,
      ...out.slice(0, 5).map((el) => `sticks out to ${Math.round(el.getBoundingClientRect().right)} px: ${name(el)}`)];
  });
}

// Every visible tap target is at least 44 × 44 px (WCAG 2.5.5). A link inside a
// sentence is exempt (2.5.5's "inline" exception); a visually hidden radio or checkbox
// is tapped through its label, which is checked instead.
export async function smallTargets(page) {
  await prepare(page);
  return page.evaluate(() => {
    const name = window.__wijkpostName;
    const MIN = 44;
    // checkVisibility: not hidden by display, visibility, opacity, or a closed <details>.
    const visible = (el) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.right > 0
        && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
    };
    const inSentence = (el) => {
      if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
      const block = el.parentElement;
      return block && block.textContent.trim().length > el.textContent.trim().length + 1;
    };
    const targets = [...document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary, label[for]')];
    const out = [];
    for (const el of targets) {
      if (el.tagName === 'LABEL') {
        const input = document.getElementById(el.htmlFor);
        if (!input || !['radio', 'checkbox'].includes(input.type)) continue;
      }
      if (!visible(el) || inSentence(el)) continue;
      const r = el.getBoundingClientRect();
      if (r.width < MIN - 0.5 || r.height < MIN - 0.5) {
        out.push(`${Math.round(r.width)}×${Math.round(r.height)} px: ${name(el)}`);
      }
    }
    return out;
  });
}

// No fixed or sticky element covers the main content's text or controls. A bar docked
// at the top or bottom of the screen (or stacked on one that is) takes the screen's
// edge: the content under it is only what scrolling brings into view, so it is checked
// where the page has scrolled as far as it goes towards that edge (top or bottom);
// anything else that stays put is checked at every position.
export async function coveredContent(page) {
  const found = [];
  for (const where of ['top', 'middle', 'bottom']) {
    await prepare(page);
    const hits = await page.evaluate(async (where) => {
      const name = window.__wijkpostName;
      const max = document.documentElement.scrollHeight - window.innerHeight;
      window.scrollTo(0, where === 'top' ? 0 : where === 'middle' ? Math.round(max / 2) : max);
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const atTop = window.scrollY <= 1;
      const atBottom = window.scrollY >= max - 1;
      const vh = window.innerHeight;
      const stuck = [...document.querySelectorAll('body *')].filter((el) => {
        const pos = getComputedStyle(el).position;
        if (pos !== 'fixed' && pos !== 'sticky') return false;
        const r = el.getBoundingClientRect();
        return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < vh && r.right > 0
          && el.checkVisibility({ opacityProperty: true, visibilityProperty: true });
      });
      // Docked: touching an edge of the screen, or a docked bar towards it.
      const docked = new Map();
      for (const edge of ['bottom', 'top']) {
        let line = edge === 'bottom' ? vh : 0;
        for (let grown = true; grown;) {
          grown = false;
          for (const el of stuck) {
            if (docked.has(el)) continue;
            const r = el.getBoundingClientRect();
            if (edge === 'bottom' ? r.bottom >= line - 2 : r.top <= line + 2) {
              docked.set(el, edge);
              line = edge === 'bottom' ? Math.min(line, r.top) : Math.max(line, r.bottom);
              grown = true;
            }
          }
        }
      }
      const main = document.querySelector('main');
      const content = [];
      const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        for (const r of range.getClientRects()) content.push({ el: node.parentElement, r });
      }
      for (const el of main.querySelectorAll('input, select, textarea, button, a[href], img')) {
        content.push({ el, r: el.getBoundingClientRect() });
      }
      const out = [];
      for (const bar of stuck) {
        const edge = docked.get(bar);
        if ((edge === 'bottom' && !atBottom) || (edge === 'top' && !atTop)) continue;
        const b = bar.getBoundingClientRect();
        for (const { el, r } of content) {
          if (!el || bar.contains(el) || !el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
          const w = Math.min(b.right, r.right) - Math.max(b.left, r.left);
          const h = Math.min(b.bottom, r.bottom) - Math.max(b.top, r.top);
          if (w > 2 && h > 2 && r.width > 0 && r.height > 0) {
            out.push(`${name(bar)} covers ${name(el)}`);
            break;
          }
        }
      }
      window.scrollTo(0, 0);
      return out;
    }, where);
    found.push(...hits.map((h) => `scrolled to the ${where}: ${h}`));
  }
  return found;
}

// Words as a person writes them, on the rendered page: 101 and 112 as tap-to-call
// links, no numeric "01-12-2026" dates, no raw codes ("signals_page"), and in French
// a no-break space before : ; ? ! (clock times such as 07:50 aside).
export async function wordFaults(page, lang) {
  return page.evaluate((lang) => {
    const out = [];
    for (const number of ['101', '112']) {
      const link = document.querySelector(`a[href="tel:${number}"]`);
      const r = link?.getBoundingClientRect();
      if (!link || !r.width) out.push(`no tap-to-call link for ${number}`);
      else if (!(link.getAttribute('aria-label') || '').includes(number)) out.push(`the ${number} link has no label naming it`);
    }
    const text = document.body.innerText;
    // What people typed is in their own words and language (a Dutch description on a
    // French page): the typography check reads the app's own words only.
    const own = document.body.cloneNode(true);
    own.querySelectorAll('script, style, template, .record-note, [data-typed]').forEach((el) => el.remove());
    for (const m of text.matchAll(/\b\d{2}-\d{2}-\d{4}\b/g)) out.push(`a numeric date: "${m[0]}"`);
    for (const m of text.matchAll(/\b[a-z]+_(page|copy|pull|conflicts|signal|contacts?|photo)\b/g)) out.push(`a raw code: "${m[0]}"`);
    if (lang === 'fr') {
      // (\s would match the no-break spaces themselves: ordinary spaces are named.)
      const words = own.textContent;
      for (const m of words.matchAll(/.{0,25}(?:[^\u00a0\u202f\d\s][;?!]|[^\u00a0\u202f\d\s]:(?!\/)|[ \t\n][:;?!]|«[^\u00a0\u202f]|[^\u00a0\u202f]»)/g)) {
        out.push(`French punctuation without a no-break space: "…${m[0]}"`);
      }
    }
    return out;
  }, lang);
}
