import type { Frame, Page } from 'playwright-core';

/** Tabs until the focused element's text (or its label) contains `text`: the page must work without a mouse. */
export async function tabToText(page: Page, frame: Frame, text: string, max = 120): Promise<void> {
  await frame.focus('body');
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const focused = await frame.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      const label = el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : '';
      return `${el?.textContent ?? ''} ${label ?? ''}`.replace(/\s+/g, ' ').trim();
    });
    if (focused.includes(text)) return;
  }
  throw new Error(`the keyboard never reached “${text}”`);
}

/** True when the page does not scroll sideways (320 px checks). */
export const fitsWidth = (frame: Frame | Page) => frame.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1);

/**
 * Presses Tab until focus reaches what a keyboard user is after: a CSS selector the focused element matches, or a
 * RegExp its words match (its text, its label, its aria-label). Starts from wherever focus is now.
 */
export async function tabTo(target: Page | Frame, want: string | RegExp, max = 150): Promise<void> {
  const page = 'page' in target ? target.page() : target;
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    if (await focusedIs(target, want)) return;
  }
  throw new Error(`the keyboard never reached ${want} in ${max} presses of Tab`);
}

/** Tabs to `want` (as tabTo), then presses `key` on it. */
export async function tabToAndPress(target: Page | Frame, want: string | RegExp, key = 'Enter', max = 150): Promise<void> {
  await tabTo(target, want, max);
  const page = 'page' in target ? target.page() : target;
  await page.keyboard.press(key);
}

function focusedIs(target: Page | Frame, want: string | RegExp): Promise<boolean> {
  if (typeof want === 'string') return target.evaluate((sel) => document.activeElement?.matches(sel) ?? false, want);
  return target
    .evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent ?? '' : '';
      return `${el.textContent ?? ''} ${label} ${el.getAttribute('aria-label') ?? ''}`.replace(/\s+/g, ' ').trim();
    })
    .then((words) => want.test(words));
}
