export type StoreOpenFailure = 'corrupt' | 'locked' | 'newer-schema' | 'io' | 'unreachable';

/** Process exit codes for each refusal (sysexits.h), so scripts can tell them apart. */
export const STORE_EXIT_CODES: Record<StoreOpenFailure, number> = {
  corrupt: 65, // EX_DATAERR
  unreachable: 69, // EX_UNAVAILABLE: the database server does not answer; try again once it does
  io: 74, // EX_IOERR
  locked: 75, // EX_TEMPFAIL: another process has it; try again once it stops
  'newer-schema': 78, // EX_CONFIG: this build is older than the data
};

/** The history database cannot be used; hqwatch refuses to start rather than start a new, empty one over it. */
export class StoreOpenError extends Error {
  readonly exitCode: number;
  constructor(
    readonly failure: StoreOpenFailure,
    message: string,
  ) {
    super(message);
    this.name = 'StoreOpenError';
    this.exitCode = STORE_EXIT_CODES[failure];
  }
}
