import { browserSuite, checkAccessibility, launchInBrowser } from '../support/browser';

const suite = browserSuite({ page: 'shared' });

test('the pathway page an instructor sees when adding the tool passes axe and works by keyboard alone', async () => {
  const frame = await launchInBrowser(suite.page, suite.tool, suite.platform, { role: 'Instructor', messageType: 'LtiDeepLinkingRequest' });
  await frame.waitForSelector('h1');
  expect(await frame.textContent('h1')).toContain('Choose the pathway for this course');
  expect(await checkAccessibility(frame)).toEqual([]);
  await frame.focus('#pathway');
  await suite.page.keyboard.press('ArrowDown'); // a radio group: arrows move the choice
  expect(await frame.evaluate(() => (document.querySelector('input[name="pathway"]:checked') as HTMLInputElement).value)).toBe('cmalt:senior');
  await suite.page.keyboard.press('Tab');
  await suite.page.keyboard.press('Enter');
  for (let i = 0; i < 200 && suite.platform.deepLinkReturns.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
  expect(suite.platform.deepLinkReturns).toHaveLength(1);
  expect(suite.platform.deepLinkReturns[0].problems).toEqual([]);
  expect(suite.platform.deepLinkReturns[0].contentItems).toHaveLength(1);
});
