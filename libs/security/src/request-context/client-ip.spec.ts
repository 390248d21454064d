import { clientIp } from './client-ip';

describe('clientIp', () => {
  it.each([
    ['no header, no trust', undefined, '10.0.0.3', 0, '10.0.0.3'],
    ['header ignored without trusted hops', '203.0.113.7', '10.0.0.3', 0, '10.0.0.3'],
    ['one hop: last entry', '203.0.113.7', '10.0.0.3', 1, '203.0.113.7'],
    [
      'one hop: spoofed entries on the left ignored',
      '6.6.6.6, 203.0.113.7',
      '10.0.0.3',
      1,
      '203.0.113.7',
    ],
    ['two hops', '6.6.6.6, 203.0.113.7, 10.0.0.2', '10.0.0.3', 2, '203.0.113.7'],
    ['more trust than entries: leftmost entry', '203.0.113.7', '10.0.0.3', 3, '203.0.113.7'],
    ['header given as several lines', ['6.6.6.6', '203.0.113.7'], '10.0.0.3', 1, '203.0.113.7'],
    [
      'garbage entry stops at the last trusted address',
      'evil, not-an-ip',
      '10.0.0.3',
      2,
      '10.0.0.3',
    ],
    ['empty entries skipped', '203.0.113.7, ,', '10.0.0.3', 1, '203.0.113.7'],
    ['IPv4-mapped socket address', undefined, '::ffff:192.0.2.1', 0, '192.0.2.1'],
    ['IPv6 lower-cased', '2001:DB8::1', '10.0.0.3', 1, '2001:db8::1'],
    ['port after an IPv4 entry', '203.0.113.7:5123', '10.0.0.3', 1, '203.0.113.7'],
    ['bracketed IPv6 with port', '[2001:db8::1]:443', '10.0.0.3', 1, '2001:db8::1'],
    ['no socket address', '203.0.113.7', undefined, 1, 'unknown'],
  ])('should return the client for %s', (_case, header, remote, trustProxy, expected) => {
    const ip = clientIp(header, remote, trustProxy);

    expect(ip).toBe(expected);
  });
});
