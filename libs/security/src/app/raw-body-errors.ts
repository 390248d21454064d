import type { Socket } from 'node:net';

import type { Environment } from '../config/security-options.interface';
import { problemFor } from '../errors/problem-details';
import { staticSecurityHeaders } from '../headers/security-headers';
import { resolveRequestId } from '../request-context/request-id';

/**
 * Answers a request the HTTP parser refused (headers over the limit: 431; anything else:
 * 400) straight on the socket, with the security headers and a problem body, since no
 * middleware runs for a request that was never parsed.
 */
export function clientErrorResponder(environment: () => Environment) {
  let headers: Record<string, string> | undefined;
  return (error: Error & { code?: string }, socket: Socket): void => {
    headers ??= staticSecurityHeaders(environment());
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === 'HPE_HEADER_OVERFLOW' ? 431 : 400;
    const correlationId = resolveRequestId(undefined);
    const body = JSON.stringify(problemFor(status, '/', correlationId));
    const lines = [
      `HTTP/1.1 ${status} ${status === 431 ? 'Request Header Fields Too Large' : 'Bad Request'}`,
      'Content-Type: application/problem+json',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
      `X-Request-Id: ${correlationId}`,
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  };
}
