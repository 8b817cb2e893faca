/** The CMALT scheme: settings, the call for volunteers, line-manager support, selection, meetings. The only file others import. */
export { schemeRouter, type SchemeDeps } from './routes';
export { supportLinkRouter } from './support.routes';
export { reportLinkRouter } from './reports/report-links.routes';
export { schemePlaceGate } from './gate';
export { drainSchemeEmails, queueEmail } from './mail';
export { startSchemeMailer, type SchemeMailer } from './worker';
export { canOnScheme } from './policy';
export { calendarFeedRouter } from './calendar.routes';
export { meetingsForCalendar, type CalendarMeeting } from './meetings.service';
export { schemeWriteLock } from './deferral.service';
export { startRetentionJob, deleteExpiredPortfolios } from './retention.job';
