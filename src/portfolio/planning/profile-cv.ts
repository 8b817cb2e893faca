/**
 * Where a person's up-to-date CV is kept outside planning (the CPD record's profile). boot.ts registers it, so the
 * portfolio need not import cpd (which imports the portfolio for evidence). Without it planning asks for a CV.
 */
export type ProfileCvSource = (userId: string) => Promise<{ cvText: string; updatedAt: Date | null } | null>;

let source: ProfileCvSource | null = null;

export function setProfileCvSource(fn: ProfileCvSource): void {
  source = fn;
}

export async function profileCv(userId: string): Promise<{ cvText: string; updatedAt: Date | null } | null> {
  const cv = source ? await source(userId) : null;
  return cv?.cvText ? cv : null;
}
