import type { Config } from '../config';
import type { MandatoryTraining } from './mandatory.service';

/** What every CPD router is given (app.ts builds it from boot's clock and the validated training file). */
export interface CpdDeps {
  config: Pick<Config, 'ltiKey' | 'publicUrl' | 'cpdPeriodMonths'>;
  training: MandatoryTraining;
  /** The tool's clock, injected so tests move time without sleeping. */
  clock: () => Date;
}
