import { when } from '../http/dates';
import type { RosterPageData } from './service';

export interface RosterRow {
  name: string;
  email: string;
  roles: string;
  membership: string; // on the course, inactive, left
  opened: string; // opened CMALT Portfolio or never launched
  neverLaunched: boolean;
}

export interface RosterPage {
  available: boolean;
  lastSync: string;
  lastError: string;
  nextSync: string;
  rows: RosterRow[];
  /** People on the roster in all; `rows` is one page of them. */
  total: number;
  neverLaunchedCount: number;
  leftCount: number;
}

/** The last segment of an LTI role URI ("...membership#Learner" -> "Learner"), for people to read. */
function roleName(uri: string): string {
  const tail = uri.split(/[#/]/).pop() ?? uri;
  return tail.replace(/([a-z])([A-Z])/g, '$1 $2');
}

const MEMBERSHIP: Record<string, string> = { active: 'On the course', inactive: 'Inactive in the VLE', left: 'Left the course' };

/** One page of the roster, with the course-wide figures. */
export function presentRoster(roster: RosterPageData): RosterPage {
  const rows = roster.entries.map(({ member, launched }) => ({
    name: member.name || member.email || member.sub,
    email: member.email ?? '',
    roles: [...new Set(member.roles.map(roleName))].join(', '),
    membership: MEMBERSHIP[member.status] + (member.status === 'left' && member.leftAt ? ` (noticed ${when(member.leftAt)})` : ''),
    opened: launched ? 'Has opened CMALT Portfolio' : 'Never launched',
    neverLaunched: !launched && member.status !== 'left',
  }));
  return {
    available: Boolean(roster.sync),
    lastSync: when(roster.sync?.lastSuccessAt),
    lastError: roster.sync?.lastError ?? '',
    nextSync: when(roster.sync?.nextRunAt),
    rows,
    total: roster.total,
    neverLaunchedCount: roster.neverLaunchedCount,
    leftCount: roster.leftCount,
  };
}
