// English strings (the first UI language). zh.ts must have the same keys: its type is checked against this object.
const en = {
  app: { title: 'Infera', subtitle: 'Model inference console', language: 'Language', signOut: 'Sign out', project: 'Project', switchProject: 'Switch project' },
  nav: { models: 'AI applications', realtime: 'Real-time services', batch: 'Batch services', obs: 'Object store', apps: 'App authentication', keys: 'Access keys' },
  common: {
    name: 'Name', status: 'Status', description: 'Description', created: 'Created', actions: 'Actions', refresh: 'Refresh', search: 'Search',
    delete: 'Delete', cancel: 'Cancel', ok: 'OK', save: 'Save', edit: 'Edit', create: 'Create', copy: 'Copy', copied: 'Copied',
    confirmDelete: 'Delete {{name}}? This cannot be undone.', version: 'Version', id: 'ID', type: 'Type', time: 'Time', details: 'Details',
    none: 'None', yes: 'Yes', no: 'No', add: 'Add', remove: 'Remove', loading: 'Loading…', back: 'Back', submit: 'Submit', size: 'Size',
    download: 'Download', open: 'Open', close: 'Close', key: 'Key', value: 'Value', all: 'All', from: 'From', to: 'To', select: 'Select',
  },
  login: {
    title: 'Sign in to Infera', user: 'User name', domain: 'Account (domain)', password: 'Password', submit: 'Sign in',
    chooseProject: 'Project', chooseProjectHint: 'You work in several projects: choose one.', noProject: 'This user works in no project yet: ask an account administrator.',
    failed: 'Sign-in failed', reauth: 'Enter your password to switch to project {{name}}.',
  },
  status: {
    publishing: 'Publishing', published: 'Normal', failed: 'Failed', building: 'Building', building_failed: 'Build failed',
    deploying: 'Deploying', running: 'Running', concerning: 'Alarm', stopping: 'Stopping', stopped: 'Stopped', deleting: 'Deleting',
    finished: 'Finished', starting: 'Starting', notReady: 'Not ready', ready: 'Ready', normal: 'Normal', abnormal: 'Abnormal', firing: 'Firing', ok: 'OK',
  },
  models: {
    title: 'AI applications', create: 'Create AI application', latest: 'Latest version', deployTypes: 'Deploy types', versionCount: 'Versions',
    requestMode: 'Request mode', sync: 'Synchronous', newVersion: 'Create new version', deploy: 'Deploy', searchPlaceholder: 'Search by name',
    deleteRefused: 'Delete refused', source: 'Meta model source', fromObs: 'Object store', fromTemplate: 'Template', path: 'Model path (obs://bucket/folder/)',
    pick: 'Choose…', template: 'Template', inferFormat: 'Input and output mode', dynamicLoad: 'Dynamic loading', engine: 'AI engine', runtime: 'Runtime',
    installType: 'Deploy types', realtime: 'Real-time services', batch: 'Batch services', params: 'Parameters', inputParams: 'Input parameters',
    outputParams: 'Output parameters', dependencies: 'Runtime dependencies', probes: 'Health checks', metrics: 'Model accuracy', services: 'Associated services',
    events: 'Events', editDependencies: 'Edit dependencies', dependenciesHint: 'JSON as in config.json "dependencies"; saving rebuilds the environment.',
    startup: 'Startup probe', readiness: 'Readiness probe', liveness: 'Liveness probe', noProbe: 'Not configured (readiness defaults to GET /health).',
    newVersionOf: 'New version of {{name}}', prefilled: 'Prefilled from version {{version}}: change what differs.', size: 'Size', errorMsg: 'Error',
    paramName: 'Parameter', paramType: 'Type', paramDesc: 'Description', range: 'Range', url: 'Path', method: 'Method', deleteVersion: 'Delete version',
    deleteAll: 'Delete application', createdOk: 'Import started: the application is publishing.', apis: 'apis definition', engineFilter: 'Engine',
    notRunnable: 'cannot run on this node', config: 'config.json',
  },
  services: {
    title: 'Real-time services', deploy: 'Deploy', calls: 'Calls', failures: 'Failures', start: 'Start', stop: 'Stop', restart: 'Restart', modify: 'Modify',
    deleteMany: 'Delete selected', basic: 'Basic information', name: 'Service name', autoStop: 'Auto stop', autoStopAfter: 'Stop after', hours: 'hours',
    custom: 'Custom', model: 'AI application and configuration', addVersion: 'Add AI application version for grey release', modelVersion: 'AI application and version',
    weight: 'Traffic ratio (%)', spec: 'Compute node flavor', instances: 'Compute nodes', envs: 'Environment variables', deployTimeout: 'Deploy timeout (minutes)',
    weightsSum: 'Traffic ratios must add up to 100 (now {{sum}}).', advanced: 'Advanced', tags: 'Tags', appAuth: 'Support app authentication',
    apps: 'Apps to authorize', websocket: 'Upgrade to WebSocket', websocketHint: 'Chosen at deploy; cannot change later; no rate limit with it.',
    rateLimit: 'Service traffic limit (requests/s)', rules: 'Personalized configuration (grey-release rules)', ruleCondition: 'Condition (SpEL)',
    ruleVersion: 'Version', ruleHeader: 'Header name', ruleHeaderValue: 'Header value', addRule: 'Add rule', moveUp: 'Up', moveDown: 'Down',
    maxUnavailable: 'Max unavailable instances', maxUnavailableHint: 'During the rolling update at most this many instances may be missing.',
    unavailable: 'unavailable', accessAddress: 'API address', appAccessAddress: 'App-auth API address', tabs: {
      details: 'Details', guide: 'Call guide', predict: 'Prediction', instances: 'Instances', events: 'Events', logs: 'Logs', monitoring: 'Monitoring',
      alarms: 'Alarms', history: 'Configuration history',
    },
    dueTime: 'Stops at', deployed: 'Deployment started.', modified: 'Update submitted.', started: 'Start requested.', stopped: 'Stop requested.',
    restarted: 'Restart requested.', deleted: 'Deletion requested.', serviceId: 'Service ID', source: 'Source', limits: 'Resource limits',
    notEnforced: 'not enforced: {{reason}}', enforced: 'enforced (cgroups v2)', effectiveRateLimit: 'Effective rate limit', errorMsg: 'Error',
    why: {
      startDeploying: 'A deploying service cannot be started.', startRunning: 'Already running: restart it instead.', stopNot: 'Only deploying, running, alarm or failed services can be stopped.',
      restartNot: 'Only running or alarm services can be restarted.', modifyDeploying: 'A deploying service cannot be modified.', busy: 'The service is {{status}}.',
    },
    confirmRestart: 'Restart every instance of {{name}} (rolling)?', confirmStop: 'Stop {{name}}?', flavorUnavailable: 'Unavailable: {{reason}}',
  },
  guide: {
    address: 'API address', methods: 'Authentication methods', token: 'Token (IAM)', aksk: 'AK/SK signature', app: 'App authentication',
    inputs: 'Input parameters', outputs: 'Output parameters', bindings: 'Authorized apps', bind: 'Authorize app', unbind: 'Unbind',
    appAuthOff: 'App authentication is off for this service: switch it on in Modify.', tokenHint: 'Get a token with POST /v3/auth/tokens, then send it as X-Auth-Token.',
    akskHint: 'Sign with Huawei\'s APIG signer (apig_sdk) using an access key from Access keys.', appHint: 'Use an authorized app: AppKey/AppSecret signature, X-Apig-AppCode, or the apikey header.',
  },
  predict: {
    title: 'Test the service', send: 'Predict', json: 'JSON body', file: 'File', upload: 'Upload a file', tooLarge: 'The file is larger than 8 MB.',
    badType: 'Unsupported file type: png, jpg, jpeg, bmp, gif, webp, tiff only.', invalidJson: 'The request is not valid JSON: {{error}}', response: 'Response',
    status: 'Status', time: 'Time', notRunning: 'The service is not running.', field: 'Field', path: 'Path', preview: 'Preview',
  },
  instances: { id: 'Instance', restarts: 'Restarts', started: 'Started', address: 'Address', cloudShell: 'CloudShell', deleteHint: 'Deleted instances are replaced by a new one of the same flavor.', pid: 'PID', model: 'Version' },
  shell: { title: 'CloudShell: {{id}}', connecting: 'Connecting…', connected: 'Connected', closed: 'Disconnected: {{reason}}', reconnect: 'Reconnect', onlyRunning: 'Only running instances of a running service can be opened.' },
  events: { filterType: 'Event type', range: 'Time range', text: 'Search text', info: 'Event', occurred: 'Occurred' },
  logs: {
    last5: 'Last 5 minutes', last30: 'Last 30 minutes', last60: 'Last hour', range: 'Custom range', query: 'Search (error, rro*, "a b", a && b, a || b)',
    instance: 'Instance', tail: 'Live tail', stream: 'Stream', content: 'Content', total: '{{n}} lines match',
  },
  monitoring: {
    calls: 'Calls per minute', codes: 'Responses per minute', latency: 'Average latency (ms)', cpu: 'CPU (% of one core)', memory: 'Memory (MB)',
    scope: 'Scope', service: 'Whole service', range: 'Range', total: 'Total', success: 'Successful', failed: 'Failed', noData: 'No calls in this range yet.',
  },
  alarms: { create: 'Create alarm rule', metric: 'Metric', comparison: 'Comparison', threshold: 'Threshold', periods: 'Consecutive minutes', target: 'Applies to', state: 'State', lastValue: 'Last value' },
  history: { result: 'Result', operator: 'Operator', updated: 'Updated', finished: 'Finished', config: 'Configuration', current: 'Current configuration' },
  batch: {
    title: 'Batch services', deploy: 'Deploy', input: 'Input data (folder or .manifest)', output: 'Output folder', reqUri: 'Request path', mapping: 'Mapping',
    mappingType: 'Mapping type', mappingRule: 'CSV mapping (index per field, from 0)', regenerate: 'Generate from the schema', progress: 'Progress', taskId: 'Task ID',
    started: 'Task started', finished: 'Task finished', inputs: 'Inputs', processed: 'Processed', failedCount: 'Failed', results: 'Results',
    resultsHint: 'Result files (*_result.txt) and manifests in the output folder.', modelHint: 'Only published versions that support batch deployment.',
  },
  obs: {
    title: 'Object store', buckets: 'Buckets', createBucket: 'Create bucket', bucketName: 'Bucket name', upload: 'Upload files', uploadFolder: 'Upload folder',
    newFolder: 'Folder', lastModified: 'Last modified', root: 'Root', pickTitle: 'Choose from the object store', pickFolder: 'Use this folder',
    pickFile: 'Use this file', uploading: 'Uploading {{name}}', uploaded: '{{n}} file(s) uploaded.', empty: 'This folder is empty.', prefix: 'Folder',
  },
  apps: {
    title: 'App authentication', create: 'Create app', appName: 'App name', remark: 'Remark', appKey: 'AppKey', appSecret: 'AppSecret', appCodes: 'AppCodes',
    addCode: 'Add AppCode', reset: 'Reset secret', bound: 'Bound services', showOnce: 'Copy the secret now: it is shown in full only to its creator.',
    unbind: 'Unbind', bind: 'Bind to service', service: 'Service',
  },
  keys: {
    title: 'Access keys', create: 'Create access key', ak: 'Access key (AK)', sk: 'Secret key (SK)', skOnce: 'This is the only time the SK is shown: copy it now.',
    disable: 'Disable', enable: 'Enable', limit: 'At most 2 keys per user.',
  },
};

export default en;
export type Messages = typeof en;
