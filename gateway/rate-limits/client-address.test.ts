import type { IncomingMessage } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { clientAddress, trustProxy } from './client-address.js';

const request = (peer: string, forwardedFor?: string) =>
  ({ socket: { remoteAddress: peer }, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } }) as unknown as IncomingMessage;

const addressWith = (setting: boolean | number | string, peer: string, forwardedFor?: string) => clientAddress(request(peer, forwardedFor), trustProxy(express(), setting));

describe('client address', () => {
  it('is the socket peer by default, whatever X-Forwarded-For claims', () => {
    expect(addressWith(false, '198.51.100.1', '203.0.113.9')).toBe('198.51.100.1');
  });

  it('behind trusted proxies, is the first address from the right that is not one of them', () => {
    expect(addressWith('loopback', '127.0.0.1', '203.0.113.9')).toBe('203.0.113.9');
    expect(addressWith('loopback', '127.0.0.1', '198.51.100.4, 203.0.113.9')).toBe('203.0.113.9');
    expect(addressWith('loopback', '198.51.100.1', '203.0.113.9')).toBe('198.51.100.1');
    expect(addressWith('127.0.0.1, 10.0.0.0/8', '127.0.0.1', '198.51.100.4, 10.1.2.3')).toBe('198.51.100.4');
  });

  it('with a hop count, trusts that many proxies', () => {
    expect(addressWith(1, '10.0.0.1', '198.51.100.4, 203.0.113.9')).toBe('203.0.113.9');
    expect(addressWith(2, '10.0.0.1', '198.51.100.4, 203.0.113.9')).toBe('198.51.100.4');
    expect(addressWith(true, '10.0.0.1', '198.51.100.4, 203.0.113.9')).toBe('198.51.100.4');
  });
});
