import { memoizeReasons } from '@hqwatch/shared';

/**
 * The dashboard's one renderer of reasons: the shared words, each sentence made once. A reason is
 * worded when it is first read (a tooltip, an export), and one read again is a lookup.
 */
export const wordReason = memoizeReasons();
