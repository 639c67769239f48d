// R-S10 state rules (seed 003 §3.4), the same the server enforces (ModelArts.3519): which actions a service in a
// status allows, and why not. The console disables buttons with the reason as tooltip instead of failing calls.

export type ServiceAction = 'start' | 'stop' | 'restart' | 'modify' | 'delete';

/** Null when allowed, else the i18n key of the reason (with `status` as parameter). */
export function whyNot(action: ServiceAction, status: string, inferType = 'real-time'): string | null {
  switch (action) {
    case 'start':
      if (status === 'deploying') return 'services.why.startDeploying';
      if (status === 'running' || status === 'concerning') return 'services.why.startRunning';
      return ['stopped', 'failed', 'finished'].includes(status) ? null : 'services.why.busy';
    case 'stop':
      return ['deploying', 'running', 'concerning', 'failed'].includes(status) ? null : 'services.why.stopNot';
    case 'restart':
      return inferType === 'real-time' && (status === 'running' || status === 'concerning') ? null : 'services.why.restartNot';
    case 'modify':
      if (status === 'deploying') return 'services.why.modifyDeploying';
      return status === 'deleting' || status === 'stopping' ? 'services.why.busy' : null;
    case 'delete':
      return status === 'deleting' ? 'services.why.busy' : null;
  }
}
