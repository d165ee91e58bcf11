/**
 * EC2 records whose members are lists, as EC2 logs them in CloudTrail: `{"items": [...]}` (member
 * names from the EC2 API reference, AuthorizeSecurityGroupIngress: IpPermissions → IpRanges → CidrIp;
 * the response's `securityGroupRuleSet.items[]` as in the real record of
 * fixtures/real/stratus-detonation-logs). Hand-written for the tests of `[]` and of Sigma fields under lists.
 */
import type { JsonObject } from '../../src/language/json';

/** AuthorizeSecurityGroupIngress with two permissions: 443 from the VPC, 22 from an office and from anywhere. */
export const ingress: JsonObject = {
  eventSource: 'ec2.amazonaws.com',
  eventName: 'AuthorizeSecurityGroupIngress',
  sourceIPAddress: '198.51.100.7',
  requestParameters: {
    groupId: 'sg-0123456789abcdef0',
    ipPermissions: {
      items: [
        { ipProtocol: 'tcp', fromPort: 443, toPort: 443, groups: {}, ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] }, ipv6Ranges: {}, prefixListIds: {} },
        {
          ipProtocol: 'tcp',
          fromPort: 22,
          toPort: 22,
          groups: {},
          ipRanges: { items: [{ cidrIp: '192.0.2.0/24', description: 'office' }, { cidrIp: '0.0.0.0/0' }] },
          ipv6Ranges: {},
          prefixListIds: {},
        },
      ],
    },
  },
  responseElements: {
    _return: true,
    securityGroupRuleSet: {
      items: [
        { groupId: 'sg-0123456789abcdef0', isEgress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8' },
        { groupId: 'sg-0123456789abcdef0', isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '192.0.2.0/24', description: 'office' },
        { groupId: 'sg-0123456789abcdef0', isEgress: false, ipProtocol: 'tcp', fromPort: 22, toPort: 22, cidrIpv4: '0.0.0.0/0' },
      ],
    },
  },
};
/** The same call opening only 443 to the VPC. */
export const narrow: JsonObject = {
  ...ingress,
  requestParameters: { groupId: 'sg-0123456789abcdef0', ipPermissions: { items: [{ ipProtocol: 'tcp', fromPort: 443, toPort: 443, ipRanges: { items: [{ cidrIp: '10.0.0.0/8' }] } }] } },
  responseElements: { _return: true, securityGroupRuleSet: { items: [{ isEgress: false, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv4: '10.0.0.0/8' }] } },
};
