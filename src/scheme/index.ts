/** The CMALT scheme: settings, the call for volunteers, line-manager support, selection. The only file others import. */
export { schemeRouter, type SchemeDeps } from './routes';
export { supportLinkRouter } from './support.routes';
export { schemePlaceGate } from './gate';
export { startSchemeMailer, drainSchemeEmails, queueEmail, type SchemeMailer } from './mail';
export { canOnScheme } from './policy';
