const gbp = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP' });

/** "£2,000" or "£250.50": pence as the scheme's pages and reports show money. */
export const money = (pence: number) => gbp.format(pence / 100).replace(/\.00$/, '');
