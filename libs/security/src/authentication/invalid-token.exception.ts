import { ProblemException } from '../errors/problem.exception';

/** 401: the request carries no usable token. The detail never says more than needed. */
export class InvalidTokenException extends ProblemException {
  constructor(detail = 'A valid access token is required.') {
    super(401, 'invalid-token', 'Unauthorized', detail);
  }
}
