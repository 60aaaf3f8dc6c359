/** A policy, exception or configuration file that cannot be used, with where and why. */
export class PolicyLoadError extends Error {
  constructor(
    readonly file: string,
    readonly location: string,
    readonly problem: string,
  ) {
    super(`${file}${location ? `:${location}` : ''}: ${problem}`);
    this.name = 'PolicyLoadError';
  }
}

/** Several load errors reported together, so a user fixes them all in one pass. */
export class PolicyLoadErrors extends Error {
  constructor(readonly errors: PolicyLoadError[]) {
    super(errors.map((e) => e.message).join('\n'));
    this.name = 'PolicyLoadErrors';
  }
}
