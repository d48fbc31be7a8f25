import { describe, expect, it } from 'vitest';
import { check, doc } from './helpers.ts';

const WIDE =
  'public addresses need no entry; list only the private ones the collector reaches, e.g. 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16';
const NARROW = 'list only the hosts or the narrower ranges the collector reaches, which leave the metadata endpoints out';
const FORMS = 'write a host name such as intranet.example.com, an IP address such as 10.1.2.3 or a CIDR range such as 10.0.0.0/8';
const CLOSED = 'which no network.allow entry or flag opens';

describe('network.allow', () => {
  it('refuses a range that covers a cloud metadata endpoint, naming the endpoints it covers', () => {
    const text = doc(
      'network:',
      '  allow:',
      '    - 0.0.0.0/0',
      '    - 169.254.0.0/16',
      '    - "::/0"',
      '    - fd00::/8',
      '    - 169.254.170.23/32',
      '    - "64:ff9b::/96"',
      '    - 2002::/16',
      '    - "::ffff:169.254.0.0/112"',
      '    - fd00:ec2::/64',
      '    - 169.254.170.0/30',
    );
    expect(check(text)).toEqual([
      `collectors/t.yaml:13:7 error network.allow[0]: "0.0.0.0/0" covers the cloud metadata endpoints 169.254.169.254, 169.254.170.2 and 169.254.170.23, ${CLOSED} (${WIDE})`,
      `collectors/t.yaml:14:7 error network.allow[1]: "169.254.0.0/16" covers the cloud metadata endpoints 169.254.169.254, 169.254.170.2 and 169.254.170.23, ${CLOSED} (${NARROW})`,
      `collectors/t.yaml:15:7 error network.allow[2]: "::/0" covers the cloud metadata endpoints 169.254.169.254 (as IPv4-mapped), fd00:ec2::254, 169.254.170.2 (as IPv4-mapped), 169.254.170.23 (as IPv4-mapped) and fd00:ec2::23, ${CLOSED} (${WIDE})`,
      `collectors/t.yaml:16:7 error network.allow[3]: "fd00::/8" covers the cloud metadata endpoints fd00:ec2::254 and fd00:ec2::23, ${CLOSED} (${NARROW})`,
      `collectors/t.yaml:17:7 error network.allow[4]: "169.254.170.23/32" covers the cloud metadata endpoint 169.254.170.23 (EKS Pod Identity credentials), ${CLOSED} (${NARROW})`,
      `collectors/t.yaml:18:7 error network.allow[5]: "64:ff9b::/96" covers the cloud metadata endpoints 169.254.169.254 (as NAT64), 169.254.170.2 (as NAT64) and 169.254.170.23 (as NAT64), ${CLOSED} (${NARROW})`,
      `collectors/t.yaml:19:7 error network.allow[6]: "2002::/16" covers the cloud metadata endpoints 169.254.169.254 (as 6to4), 169.254.170.2 (as 6to4) and 169.254.170.23 (as 6to4), ${CLOSED} (${NARROW})`,
      `collectors/t.yaml:20:7 error network.allow[7]: "::ffff:169.254.0.0/112" covers the cloud metadata endpoints 169.254.169.254, 169.254.170.2 and 169.254.170.23, ${CLOSED} (${NARROW})`,
      `collectors/t.yaml:21:7 error network.allow[8]: "fd00:ec2::/64" covers the cloud metadata endpoints fd00:ec2::254 and fd00:ec2::23, ${CLOSED} (${NARROW})`,
      `collectors/t.yaml:22:7 error network.allow[9]: "169.254.170.0/30" covers the cloud metadata endpoint 169.254.170.2 (ECS task metadata and role credentials), ${CLOSED} (${NARROW})`,
    ]);
  });

  it('accepts hosts and ranges that leave every metadata endpoint out', () => {
    const text = doc(
      'network:',
      '  allow: [10.0.0.0/8, 169.254.1.0/24, 169.254.169.0/25, 169.254.170.4/30, "fd00:1::/32", "fd00:ec2:0:1::/64", intranet.example.com, "::1", 127.0.0.0/8, "64:ff9b::a00:0/104", "2002:a00::/24"]',
    );
    expect(check(text)).toEqual([]);
  });

  it('refuses an entry that is no host, address or range', () => {
    expect(check(doc('network:', '  allow:', '    - 10.0.0.0/33', '    - bad host', '    - ""', '    - "10.0.0.0/8"'))).toEqual([
      `collectors/t.yaml:13:7 error network.allow[0]: "10.0.0.0/33" is not a valid IP address or CIDR range (${FORMS})`,
      `collectors/t.yaml:14:7 error network.allow[1]: "bad host" is not a valid host name (${FORMS})`,
      `collectors/t.yaml:15:7 error network.allow[2]: "" is empty (${FORMS})`,
    ]);
  });
});
