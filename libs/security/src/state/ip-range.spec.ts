import { canonicalIpRange, ipInRange, parseIpRange } from './ip-range';

describe('ip-range', () => {
  describe('canonicalIpRange', () => {
    it.each([
      ['10.1.2.3', '10.1.2.3'],
      ['10.1.2.3/8', '10.0.0.0/8'],
      ['10.1.2.3/32', '10.1.2.3'],
      ['2001:db8::1', '2001:db8::1'],
      ['2001:db8::1/32', '2001:db8::/32'],
      ['::ffff:192.0.2.1', '192.0.2.1'],
    ])('should write %s as %s', (input, expected) => {
      expect(canonicalIpRange(input)).toBe(expected);
    });

    it.each(['', 'example.com', '10.0.0.0/33', '300.1.1.1', '10.0.0.1; DROP TABLE'])(
      'should refuse %j',
      (input) => {
        expect(canonicalIpRange(input)).toBeNull();
      },
    );
  });

  describe('ipInRange', () => {
    const range = parseIpRange('192.0.2.0/24')!;

    it.each([
      ['192.0.2.77', true],
      ['::ffff:192.0.2.77', true],
      ['192.0.3.1', false],
      ['2001:db8::1', false],
      ['garbage', false],
    ])('should say %s is %s', (ip, expected) => {
      expect(ipInRange(ip, range)).toBe(expected);
    });
  });
});
