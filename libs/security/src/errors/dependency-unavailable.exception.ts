import { ProblemException } from './problem.exception';

/** 503: a dependency (database, Redis, another service) cannot answer now. */
export class DependencyUnavailableException extends ProblemException {
  constructor(readonly dependency: string) {
    super(
      503,
      'dependency-unavailable',
      'Service unavailable',
      `A dependency (${dependency}) is unavailable; try again shortly.`,
    );
  }
}
