/** One configuration mistake: where, and what is wrong. */
export interface ConfigError {
  path: string;
  message: string;
}
