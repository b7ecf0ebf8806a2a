import { CarelineError } from '../../platform/errors/careline-error.js';
import type { VisitsDeps } from '../visits-capability.js';
import type { JoinLinkIssuer } from '../visit-ports.js';

/** STUB — replaced by the links implementation. */
export function createJoinLinks(_deps: VisitsDeps): JoinLinkIssuer {
  return {
    issue: async () => {
      throw new CarelineError('unprocessable', [{ diagnostics: 'Join links are not built yet.' }]);
    },
    revokeAll: async () => 0,
  };
}
