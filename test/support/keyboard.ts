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
