import express from 'express';
import { AgsStore, type Held, type LineItem } from './platform/ags';
import { PlatformContext } from './platform/context';
import { People, prepareLaunch } from './platform/launches';
import { NrpsStore, type MemberInput } from './platform/nrps';
import { mountOidc } from './platform/oidc';
import { PROFILES } from './platform/profiles';
import { Registrations } from './platform/registration';
import { TokenService } from './platform/token';
import type { PlatformCourse, PlatformUser, PreparedLaunch } from './platform/types';
import { SAMPLE_COURSE, SAMPLE_PEOPLE, type SamplePerson } from './sample';
import { loadGradebook, saveGradebook, saveState, type PracticeState } from './store';

/** The practice VLE's name, as the tool registers it: /admin hides it and production removes it by this name. */
export const PRACTICE_VLE_NAME = 'Practice VLE (built in, not for real use)';
/** Where it lives under the tool's own address; its issuer is the tool's PUBLIC_URL plus this. */
export const PRACTICE_PATH = '/practice';

const PRESENTATION = 'https://purl.imsglobal.org/spec/lti/claim/launch_presentation';

/** Records kept for a test are capped here: a practice VLE runs for days on a laptop. */
const KEEP = 200;

export interface GradebookRow {
  person: SamplePerson;
  held?: Held;
  lastProgress?: string;
}

/**
 * The test VLE's parts (src/practice/platform), wired as one VLE with one tool (this CMALT Portfolio), one sample
 * course and its people, and no forgery: launches are prepared only from the sample people, signed with the key
 * kept in DATA_DIR, for the tool's own client id. No dynamic registration endpoint, so no other tool can join.
 */
export class PracticeVle {
  readonly ctx: PlatformContext;
  readonly people: People;
  readonly token: TokenService;
  readonly ags: AgsStore;
  readonly nrps: NrpsStore;
  readonly users = new Map<string, PlatformUser>();
  course!: PlatformCourse;
  /** The platform's LTI routes (OpenID configuration, JWKS, auth, token, AGS, NRPS), mounted under PRACTICE_PATH. */
  readonly platformRoutes = express.Router();

  constructor(readonly publicUrl: string, private readonly dataDir: string, readonly state: PracticeState) {
    this.ctx = new PlatformContext('cmalt-practice-vle', PROFILES.generic, state.key);
    this.ctx.baseUrl = `${publicUrl}${PRACTICE_PATH}`;
    this.people = new People(this.ctx);
    this.token = new TokenService(this.ctx);
    this.ags = new AgsStore(this.ctx, this.token);
    this.nrps = new NrpsStore(this.ctx, this.token, 100);
    new Registrations(this.ctx).addClient({
      clientId: state.clientId,
      name: 'CMALT Portfolio',
      jwksUrl: `${publicUrl}/lti/keys`,
      loginUrl: `${publicUrl}/lti/login`,
      targetLinkUri: `${publicUrl}/lti/launch`,
      deploymentIds: [state.deploymentId],
    });
    for (const person of SAMPLE_PEOPLE) {
      this.users.set(person.id, this.people.user({ id: person.id, name: person.name, email: `${person.id}@practice.invalid` }));
    }
    this.restoreGradebook();
    this.ags.onChange = () => this.keepGradebook();
    this.openCourse();
    const app = this.platformRoutes as unknown as express.Express; // the platform's mount functions take an app; a router serves the same routes
    // as the test platform's own server parses them: token requests are forms, AGS bodies are JSON media types
    app.use(express.urlencoded({ extended: false, limit: '16kb' }));
    app.use(express.json({ type: ['application/json', 'application/*+json'], limit: '64kb' }));
    mountOidc(app, this.ctx, this.ags);
    this.token.mount(app);
    this.ags.mount(app);
    this.nrps.mount(app);
  }

  get issuer(): string {
    return this.ctx.issuer;
  }

  /** The current sample course: its id carries the generation, so a reset starts a course the tool has never seen. */
  private openCourse(): void {
    const id = `${SAMPLE_COURSE.id}-${this.state.generation}`;
    this.course = this.people.course({ id, title: SAMPLE_COURSE.title, label: SAMPLE_COURSE.label });
    // kept from an earlier start (the tool holds its address): only a new course gets a new line item
    if (!this.ags.lineItemForResourceLink(id, this.resourceLinkId())) this.ags.createLineItem(id, { label: 'CMALT portfolio', scoreMaximum: 100, resourceLinkId: this.resourceLinkId() });
    const members: MemberInput[] = SAMPLE_PEOPLE.map((p) => ({ user: this.users.get(p.id)!, roles: p.roles }));
    this.nrps.set(id, members);
  }

  private resourceLinkId(): string {
    return `practice-portfolio-${this.state.generation}`;
  }

  /** A new sample course, its gradebook and roster empty; the tool's records of the old one are erased by the caller. */
  reset(): void {
    this.nrps.members.delete(this.course.id);
    for (const item of this.ags.lineItemsIn(this.course.id)) {
      this.ags.lineItems.delete(item.id);
      this.ags.scores.delete(item.id);
      for (const key of this.ags.held.keys()) if (key.startsWith(`${item.id}\n`)) this.ags.held.delete(key);
    }
    this.state.generation += 1;
    saveState(this.dataDir, this.state);
    this.openCourse();
    this.keepGradebook();
  }

  /** The sample portfolios of the current course were written: later starts leave them be. */
  markSeeded(): void {
    this.state.seeded = this.state.generation;
    saveState(this.dataDir, this.state);
  }

  /** The gradebook survives a restart: line items (the tool keeps their addresses), scores and what each row holds. */
  private keepGradebook(): void {
    saveGradebook(this.dataDir, { lineItems: [...this.ags.lineItems.values()], scores: [...this.ags.scores.entries()], held: [...this.ags.held.entries()] });
  }

  private restoreGradebook(): void {
    const saved = loadGradebook(this.dataDir);
    if (!saved) return;
    const prefix = this.ags.lineItemsUrl('');
    let highest = 0;
    for (const item of saved.lineItems) {
      if (!item.id.startsWith(prefix.slice(0, prefix.indexOf('/ags/')))) continue; // kept at another address (PUBLIC_URL changed): not ours now
      this.ags.lineItems.set(item.id, item);
      highest = Math.max(highest, Number(/^li-(\d+)$/.exec(item.key)?.[1] ?? 0));
    }
    for (const [id, list] of saved.scores) if (this.ags.lineItems.has(id)) this.ags.scores.set(id, list);
    for (const [key, held] of saved.held) if (this.ags.lineItems.has(key.split('\n')[0])) this.ags.held.set(key, held);
    // new line items must not take a kept one's key (the ids count up from 1 on each start)
    while (Number(this.ctx.nextId('')) < highest);
  }

  /** A real launch for one sample person: the course page frames the tool's login with this launch's hint; `window`: a new window's launch. */
  launchAs(person: SamplePerson, options: { window?: boolean } = {}): PreparedLaunch {
    this.trim();
    return prepareLaunch(this.ctx, this.people, this.ags, {
      ...(options.window ? { claims: { [PRESENTATION]: { document_target: 'window', return_url: this.ctx.url(`/course/${encodeURIComponent(this.course.id)}/return`), locale: 'en-GB' } } } : {}),
      user: this.users.get(person.id),
      roles: person.roles,
      course: this.course,
      clientId: this.state.clientId,
      resourceLink: { id: this.resourceLinkId(), title: 'CMALT portfolio' },
      // a mentor in a VLE sees the people the VLE says they mentor (LTI role_scope_mentor)
      roleScopeMentor: person.mentors ? SAMPLE_PEOPLE.filter((p) => p.kind === 'candidate').map((p) => p.id) : undefined,
    });
  }

  launch(hint: string): PreparedLaunch | undefined {
    const launch = this.ctx.launches.get(hint);
    return launch && launch.course.id === this.course.id ? launch : undefined;
  }

  lineItems(): LineItem[] {
    return this.ags.lineItemsIn(this.course.id);
  }

  /** Each candidate's standing on a line item, as a VLE's gradebook shows it. */
  gradebook(item: LineItem): GradebookRow[] {
    return SAMPLE_PEOPLE.filter((p) => p.kind === 'candidate').map((person) => {
      const scores = this.ags.scoresFor(person.id, item.id);
      return { person, held: this.ags.heldFor(person.id, item.id), lastProgress: scores.at(-1)?.activityProgress };
    });
  }

  members(): MemberInput[] {
    return this.nrps.members.get(this.course.id) ?? [];
  }

  /** The parts record every call and launch for tests; here only the newest are kept. */
  private trim(): void {
    for (const list of [this.ags.calls, this.nrps.calls, this.token.requests, this.ctx.calls]) if (list.length > KEEP) list.splice(0, list.length - KEEP);
    for (const map of [this.ctx.launches, this.token.issued] as Map<string, unknown>[]) {
      for (const key of map.keys()) {
        if (map.size <= KEEP) break;
        map.delete(key); // oldest first: a Map iterates in insertion order
      }
    }
  }
}
