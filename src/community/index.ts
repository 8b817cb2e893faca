/** The learning set's space: the only file other modules import from. */
export { communityRouter, type CommunityDeps } from './routes';
export { canUseSpace, canModerate, canReadPost, sharedEvidenceReadable } from './policy';
export { setSchemeMeetingSource, setCourseTimeZoneSource, type SchemeMeeting, type SchemeMeetingSource, type TimeZoneSource } from './calendar/sources';
export { sectionSharedWithSet } from './sharing/service';
