import { memoizeReasons } from '@hqwatch/shared';

/**
 * The dashboard's one renderer of reasons: the shared words, each sentence made once. A failover
 * of 500 sites changes thousands of services, almost all worded before: each is then a lookup.
 */
export const wordReason = memoizeReasons();
