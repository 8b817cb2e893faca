/**
 * A seam for the scheme: where a candidate without a place is sent instead of starting a portfolio
 * (an in-tool path), or null to let them start. Set in boot.ts; without it everyone may start.
 */
export type PlaceGate = (who: { courseId: string; userId: string }) => Promise<string | null>;

let gate: PlaceGate | null = null;

export function setPlaceGate(fn: PlaceGate): void {
  gate = fn;
}

export async function placeGateFor(who: { courseId: string; userId: string }): Promise<string | null> {
  return gate ? gate(who) : null;
}
