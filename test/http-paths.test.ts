/** What a path says about itself: probes, docs and versions, the same for spec and code endpoints. */
import { describe, expect, it } from 'vitest';
import { hasVersionSegment, infrastructureKind, isVersionSegment } from '../src/model/http-paths.js';

describe('infrastructureKind', () => {
  it.each([
    ['/health', 'liveness'],
    ['/api/v1/healthz', 'liveness'],
    ['/health/ready', 'readiness'],
    ['/checkhealth', 'liveness'],
    ['/__lbheartbeat__', 'liveness'],
    ['/__heartbeat__', 'readiness'],
    ['/__version__', undefined],
    ['/users/alive-count', undefined],
    ['/metrics', 'metrics'],
    ['/docs', 'docs'],
    ['/doc', 'docs'],
    ['/reference', 'docs'],
    ['/api-reference', 'docs'],
    ['/swagger-ui.html', 'docs'],
    ['/openapi.json', 'docs'],
    ['/orders/{id}/status', undefined],
    ['/orders/:id/health', undefined],
    ['/orders', undefined],
    ['/', undefined],
  ])('%s → %s', (path, kind) => {
    expect(infrastructureKind(path)).toBe(kind);
  });
});

describe('versions', () => {
  it.each([
    ['v1', true],
    ['V2', true],
    ['v1beta', true],
    ['v2alpha1', true],
    ['v1.1', true],
    ['2024-01-01', true],
    ['ipv4', false],
    ['dev1ce', false],
    ['v', false],
    ['version', false],
  ])('%s is a version: %s', (segment, expected) => {
    expect(isVersionSegment(segment)).toBe(expected);
  });

  it('finds a version anywhere in a path', () => {
    expect(hasVersionSegment('/api/v2/orders')).toBe(true);
    expect(hasVersionSegment('/api/ipv4/orders')).toBe(false);
  });
});
