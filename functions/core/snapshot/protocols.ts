/** IP protocol numbers as network ACL entries carry them (the snapshot keeps numbers; "-1" is all traffic). */
export const PROTOCOL_NUMBERS: Readonly<Record<string, string>> = { all: '-1', tcp: '6', udp: '17', icmp: '1', icmpv6: '58' };

const NAMES = new Map(Object.entries(PROTOCOL_NUMBERS).map(([name, number]) => [number, name]));

/** "tcp" for "6", "protocol 47" for a number without a name here. */
export const protocolName = (number: string): string => NAMES.get(number) ?? `protocol ${number}`;
