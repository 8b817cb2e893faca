/**
 * Which unified tests a standalone MongoDB 8.0 (what the engine reports) can run, and why not when it cannot.
 * A test that cannot run is counted under its reason, never as passed.
 */
export const SERVER_VERSION = [8, 0, 0];

export interface RunOnRequirement {
  minServerVersion?: string;
  maxServerVersion?: string;
  topologies?: string[];
  serverless?: 'require' | 'forbid' | 'allow';
  auth?: boolean;
  csfle?: unknown;
  serverParameters?: Record<string, unknown>;
  authMechanism?: string;
}

export interface SpecOperation {
  name: string;
  object: string;
  arguments?: Record<string, unknown>;
  expectResult?: unknown;
  expectError?: Record<string, unknown>;
  saveResultAsEntity?: string;
  ignoreResultAndError?: boolean;
}

export interface SpecTest {
  description: string;
  runOnRequirements?: RunOnRequirement[];
  skipReason?: string;
  operations: SpecOperation[];
  expectEvents?: Array<{ client: string; eventType?: string; events: Array<Record<string, unknown>>; ignoreExtraEvents?: boolean }>;
  outcome?: Array<{ collectionName: string; databaseName: string; documents: unknown[] }>;
}

export interface SpecFile {
  description: string;
  schemaVersion: string;
  runOnRequirements?: RunOnRequirement[];
  createEntities?: Array<Record<string, Record<string, unknown>>>;
  initialData?: Array<{ collectionName: string; databaseName: string; documents: unknown[]; createOptions?: Record<string, unknown> }>;
  tests: SpecTest[];
}

const version = (v: string): number[] => v.split('.').map(Number);
function compare(a: number[], b: number[]): number {
  for (let i = 0; i < 3; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Why this requirement is not met by a standalone 8.0 without test commands, or undefined when it is. */
function unmet(req: RunOnRequirement): string | undefined {
  if (req.topologies && !req.topologies.includes('single')) return 'needs a replica set or sharded cluster';
  if (req.minServerVersion && compare(version(req.minServerVersion), SERVER_VERSION) > 0) return 'needs a server newer than 8.0';
  if (req.maxServerVersion && compare(version(req.maxServerVersion), SERVER_VERSION) < 0) return 'needs a server older than 8.0';
  if (req.serverless === 'require') return 'needs serverless';
  if (req.auth === true || req.authMechanism) return 'needs authentication';
  if (req.csfle) return 'needs client-side encryption';
  if (req.serverParameters) return 'needs server parameters (test commands)';
  return undefined;
}

const UNSUPPORTED_OPERATIONS: Record<string, string> = {
  failPoint: 'needs failpoints (test commands)',
  targetedFailPoint: 'needs a replica set or sharded cluster',
  createSearchIndex: 'needs Atlas Search',
  createSearchIndexes: 'needs Atlas Search',
  dropSearchIndex: 'needs Atlas Search',
  listSearchIndexes: 'needs Atlas Search',
  updateSearchIndex: 'needs Atlas Search',
};

export function skipReason(file: SpecFile, test: SpecTest): string | undefined {
  if (test.skipReason) return 'skipped by the specification';
  for (const reqs of [file.runOnRequirements, test.runOnRequirements]) {
    if (!reqs || reqs.length === 0) continue;
    const reasons = reqs.map(unmet);
    if (!reasons.includes(undefined)) return reasons[0];
  }
  for (const op of test.operations) {
    const reason = UNSUPPORTED_OPERATIONS[op.name];
    if (reason) return reason;
  }
  return undefined;
}
