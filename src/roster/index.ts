/** The roster capability: the VLE course's members (NRPS), synced daily and on request, and who never launched. */
export { rosterRouter } from './routes';
export { recordRosterLaunch, runDueRosterSyncs, neverLaunched, rosterOf } from './service';
export { peopleIn, peopleAmong, candidatePeers, isCandidateIn, PEER_LIMIT, candidatesAmong, mentorsAmong, type Person } from './people';
export { coursePeople, forgetCoursePeople, peopleFullReads, type CoursePeople, type RosterKey } from './people-cache.service';
