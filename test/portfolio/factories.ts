/** Kept for the gradebook and perf tests that import it here; the factories live in test/support/factories.ts. */
export { aPortfolio, anExample, connectFreshDatabase, disconnect } from '../support/factories';
