import { describe, expect, it } from 'vitest';
import { whyNot, type ServiceAction } from '../serviceRules';

// R-S10 / seed 003 §3.4 as the server enforces it (ModelArts.3519): which action each status allows.
const allowed: Record<string, ServiceAction[]> = {
  deploying: ['stop', 'delete'],
  running: ['stop', 'restart', 'modify', 'delete'],
  concerning: ['stop', 'restart', 'modify', 'delete'],
  failed: ['start', 'stop', 'modify', 'delete'],
  stopped: ['start', 'modify', 'delete'],
  finished: ['start', 'modify', 'delete'],
  stopping: ['delete'],
  deleting: [],
};

describe('whyNot', () => {
  for (const [status, actions] of Object.entries(allowed)) {
    it(`allows exactly ${actions.join(', ') || 'nothing'} on a ${status} real-time service`, () => {
      const all: ServiceAction[] = ['start', 'stop', 'restart', 'modify', 'delete'];
      expect(all.filter(a => whyNot(a, status) === null)).toEqual(actions);
    });
  }

  it('never allows restarting a batch service, and says why', () => {
    expect(whyNot('restart', 'running', 'batch')).toBe('services.why.restartNot');
  });

  it('tells a running service to restart instead of start', () => {
    expect(whyNot('start', 'running')).toBe('services.why.startRunning');
  });
});
