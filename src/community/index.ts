/** The learning set's space: the only file other modules import from. */
export { communityRouter, type CommunityDeps } from './routes';
export { canUseSpace, canModerate, canReadPost, sharedEvidenceReadable } from './policy';
