/** Referee statements: a referee without a VLE account writes through a signed, expiring, single-use link. */
export { refereesRouter, refereeLinkRouter } from './routes';
export { RefereeRequest, type RefereeRequestDoc } from './referee.model';
