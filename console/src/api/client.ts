// The one typed client of the Infera REST API used by the whole console (docs/api.md). Every call goes through
// `request`, which adds X-Auth-Token and turns error bodies (ModelArts {error_code, error_msg}, APIG, Keystone) into
// ApiError. URLs are relative, so the console works on whatever origin (HTTP or HTTPS) served it.
import type {
  AccessKey, Alarm, App, AppCode, CloudShellTicket, EventList, EventQuery, InferFormat, Instance, LogPage, LogQuery,
  Metrics, ModelDetail, ModelListItem, ModelVersions, ObsListing, PredictionResult, Project, RoutingRule,
  ServiceConfigItem, ServiceDetail, ServiceListItem, Specification, Template, UpdateLog, Dependency, Schedule,
} from './types';

export class ApiError extends Error {
  constructor(public readonly status: number, public readonly code: string, message: string) {
    super(message);
  }
}

let token: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Sets the token sent on every call, and what to do when the server says it is no longer valid. */
export function useToken(value: string | null, unauthorized?: () => void) {
  token = value;
  if (unauthorized) onUnauthorized = unauthorized;
}

export function currentToken() { return token; }

type Query = Record<string, string | number | boolean | undefined | null>;

function withQuery(path: string, query?: Query) {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function toError(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text);
    if (body.error_code) return new ApiError(response.status, body.error_code, body.error_msg ?? text);
    if (body.error?.message) return new ApiError(response.status, String(body.error.code ?? response.status), body.error.message);
  } catch { /* not JSON */ }
  return new ApiError(response.status, String(response.status), text || response.statusText);
}

async function request<T>(method: string, path: string, options: { query?: Query; body?: unknown; raw?: BodyInit; headers?: Record<string, string> } = {}): Promise<T> {
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (token) headers['X-Auth-Token'] = token;
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await fetch(withQuery(path, options.query), { method, headers, body });
  if (!response.ok) {
    const error = await toError(response);
    if (response.status === 401 && token && error.code === 'APIG.0301') onUnauthorized?.();
    throw error;
  }
  const text = await response.text();
  return (text ? JSON.parse(text) : {}) as T;
}

const enc = encodeURIComponent;

// ---- IAM (Keystone v3 shapes) ----

export interface TokenResult { token: string; expiresAt: string; user: { id: string; name: string }; domain: { id: string; name: string }; project?: Project }

/** POST /v3/auth/tokens with the password method; scoped to a project when one is given, else to the account. */
export async function signIn(domain: string, user: string, password: string, project?: { id?: string; name?: string }): Promise<TokenResult> {
  const scope = project ? { project: project.id ? { id: project.id } : { name: project.name } } : { domain: { name: domain } };
  const response = await fetch('/v3/auth/tokens?nocatalog=true', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: user, password, domain: { name: domain } } } }, scope } }),
  });
  if (!response.ok) throw await toError(response);
  const body = await response.json();
  return {
    token: response.headers.get('X-Subject-Token') ?? '',
    expiresAt: body.token.expires_at,
    user: { id: body.token.user.id, name: body.token.user.name },
    domain: body.token.user.domain,
    project: body.token.project ? { id: body.token.project.id, name: body.token.project.name } : undefined,
  };
}

/** Projects the holder of an account-scoped token works in. */
export async function listMyProjects(accountToken: string): Promise<Project[]> {
  const response = await fetch('/v3/auth/projects', { headers: { 'X-Auth-Token': accountToken } });
  if (!response.ok) throw await toError(response);
  return (await response.json()).projects as Project[];
}

export const iam = {
  listKeys: () => request<{ credentials: AccessKey[] }>('GET', '/v3.0/OS-CREDENTIAL/credentials').then(r => r.credentials),
  createKey: (description: string) => request<{ credential: AccessKey }>('POST', '/v3.0/OS-CREDENTIAL/credentials', { body: { credential: { description } } }).then(r => r.credential),
  setKeyStatus: (ak: string, status: 'active' | 'inactive') => request('PUT', `/v3.0/OS-CREDENTIAL/credentials/${enc(ak)}`, { body: { credential: { status } } }),
  deleteKey: (ak: string) => request('DELETE', `/v3.0/OS-CREDENTIAL/credentials/${enc(ak)}`),
};

// ---- Project-scoped calls ----

export function api(projectId: string) {
  const v1 = `/v1/${enc(projectId)}`;
  return {
    // Models (AI applications)
    listModels: (query: Query = {}) => request<{ total_count: number; models: ModelListItem[] }>('GET', `${v1}/models`, { query: { limit: 1000, ...query } }),
    getModel: (id: string) => request<ModelDetail>('GET', `${v1}/models/${enc(id)}`),
    modelVersions: (id: string) => request<ModelVersions>('GET', `${v1}/models/${enc(id)}/versions`),
    createModel: (body: Record<string, unknown>) => request<{ model_id: string }>('POST', `${v1}/models`, { body }),
    newVersion: (id: string, body: Record<string, unknown>) => request<{ model_id: string; model_version: string }>('POST', `${v1}/models/${enc(id)}/versions`, { body }),
    updateModel: (id: string, body: { description?: string; dependencies?: Dependency[] }) => request('PUT', `${v1}/models/${enc(id)}`, { body }),
    deleteModel: (id: string) => request<{ delete_success_list: string[]; delete_failed_list: { model_id: string; error_code: string; error_msg: string }[] }>('DELETE', `${v1}/models/${enc(id)}`),
    modelEvents: (id: string, query: EventQuery = {}) => request<EventList>('GET', `${v1}/models/${enc(id)}/events`, { query: { ...query } }),
    templates: (query: Query = {}) => request<{ templates: Template[] }>('GET', `${v1}/models/templates`, { query }).then(r => r.templates),
    inferFormats: () => request<{ infer_formats: InferFormat[] }>('GET', `${v1}/models/infer-formats`).then(r => r.infer_formats ?? []),

    // Services
    listServices: (query: Query = {}) => request<{ total: number; services: ServiceListItem[] }>('GET', `${v1}/services`, { query: { limit: 1000, ...query } }),
    getService: (id: string) => request<ServiceDetail>('GET', `${v1}/services/${enc(id)}`),
    createService: (body: Record<string, unknown>) => request<{ service_id: string }>('POST', `${v1}/services`, { body }),
    updateService: (id: string, body: { status?: string; description?: string; config?: ServiceConfigItem[]; schedule?: Schedule[]; routing_rules?: RoutingRule[]; rate_limit?: number; tags?: { key: string; value: string }[]; app_auth?: boolean }) =>
      request('PUT', `${v1}/services/${enc(id)}`, { body }),
    restartService: (id: string) => request('POST', `${v1}/services/${enc(id)}/restart`),
    deleteService: (id: string) => request('DELETE', `${v1}/services/${enc(id)}`),
    specifications: () => request<{ specifications: Specification[] }>('GET', `${v1}/services/specifications`).then(r => r.specifications),
    serviceEvents: (id: string, query: EventQuery = {}) => request<EventList>('GET', `${v1}/services/${enc(id)}/events`, { query: { ...query } }),
    history: (id: string) => request<{ logs: UpdateLog[] }>('GET', `${v1}/services/${enc(id)}/logs`).then(r => r.logs),
    instances: (id: string) => request<{ instances: Instance[] }>('GET', `${v1}/services/${enc(id)}/instances`).then(r => r.instances),
    deleteInstance: (id: string, instanceId: string) => request('DELETE', `${v1}/services/${enc(id)}/instances/${enc(instanceId)}`),
    metrics: (id: string, last: string) => request<Metrics>('GET', `${v1}/services/${enc(id)}/metrics`, { query: { last } }),
    logs: (id: string, query: LogQuery) => request<LogPage>('GET', `${v1}/services/${enc(id)}/instance-logs`, { query: { ...query } }),
    alarms: (id: string) => request<{ alarms: Alarm[] }>('GET', `${v1}/services/${enc(id)}/alarms`).then(r => r.alarms),
    createAlarm: (id: string, body: Record<string, unknown>) => request<Alarm>('POST', `${v1}/services/${enc(id)}/alarms`, { body }),
    deleteAlarm: (id: string, alarmId: string) => request('DELETE', `${v1}/services/${enc(id)}/alarms/${enc(alarmId)}`),
    cloudShell: (id: string, instanceId: string) => request<CloudShellTicket>('POST', `${v1}/services/${enc(id)}/instances/${enc(instanceId)}/cloudshell`),

    // Apps (app authentication)
    listApps: () => request<{ apps: App[] }>('GET', `${v1}/app-auth/apps`).then(r => r.apps),
    createApp: (app_name: string, app_remark: string) => request<{ app: App }>('POST', `${v1}/app-auth/apps`, { body: { app_name, app_remark } }).then(r => r.app),
    deleteApp: (appId: string) => request('DELETE', `${v1}/app-auth/apps/${enc(appId)}`),
    resetAppSecret: (appId: string) => request<{ app: App }>('PUT', `${v1}/app-auth/apps/${enc(appId)}/app-secret`).then(r => r.app),
    addAppCode: (appId: string) => request<{ app_code: AppCode }>('POST', `${v1}/app-auth/apps/${enc(appId)}/app-code`, { body: {} }).then(r => r.app_code),
    deleteAppCode: (appId: string, codeId: string) => request('DELETE', `${v1}/app-auth/apps/${enc(appId)}/app-code/${enc(codeId)}`),
    bindApps: (serviceId: string, appIds: string[]) => request('POST', `${v1}/services/${enc(serviceId)}/app-auth-api`, { body: { apps: appIds.map(app_id => ({ app_id })) } }),
    unbindApp: (serviceId: string, appId: string) => request('DELETE', `${v1}/services/${enc(serviceId)}/api-auths/${enc(appId)}`),

    // Object store
    listBuckets: () => request<{ buckets: { name: string; create_at: number }[] }>('GET', `${v1}/obs/buckets`).then(r => r.buckets),
    createBucket: (bucket: string) => request('PUT', `${v1}/obs/buckets/${enc(bucket)}`),
    deleteBucket: (bucket: string) => request('DELETE', `${v1}/obs/buckets/${enc(bucket)}`),
    listObjects: (bucket: string, prefix: string, delimiter = '/', marker?: string) =>
      request<ObsListing>('GET', `${v1}/obs/buckets/${enc(bucket)}/objects`, { query: { prefix, delimiter, marker, limit: 1000 } }),
    deleteObject: (bucket: string, key: string) => request('DELETE', `${v1}/obs/buckets/${enc(bucket)}/objects/${objectPath(key)}`),
    objectUrl: (bucket: string, key: string) => `${v1}/obs/buckets/${enc(bucket)}/objects/${objectPath(key)}`,
    /** Reads an object as text (result files, manifests). */
    readObject: async (bucket: string, key: string) => {
      const response = await fetch(`${v1}/obs/buckets/${enc(bucket)}/objects/${objectPath(key)}`, { headers: token ? { 'X-Auth-Token': token } : {} });
      if (!response.ok) throw await toError(response);
      return response.text();
    },
    /** Uploads one object with progress (fetch has no upload progress, XMLHttpRequest has). */
    putObject: (bucket: string, key: string, file: Blob, onProgress?: (loaded: number, total: number) => void) =>
      new Promise<void>((resolve, reject) => {
        const xhr = new XMLHttpRequest();
        xhr.open('PUT', `${v1}/obs/buckets/${enc(bucket)}/objects/${objectPath(key)}`);
        if (token) xhr.setRequestHeader('X-Auth-Token', token);
        xhr.upload.onprogress = e => onProgress?.(e.loaded, e.total);
        xhr.onload = () => xhr.status < 300 ? resolve() : reject(errorFromText(xhr.status, xhr.responseText));
        xhr.onerror = () => reject(new ApiError(0, 'network', 'The upload failed: network error.'));
        xhr.send(file);
      }),
  };
}

export type Api = ReturnType<typeof api>;

function objectPath(key: string) { return key.split('/').map(enc).join('/'); }

function errorFromText(status: number, text: string) {
  try {
    const body = JSON.parse(text);
    return new ApiError(status, body.error_code ?? String(status), body.error_msg ?? text);
  } catch {
    return new ApiError(status, String(status), text);
  }
}

/** Downloads an object through the API (with the token) and hands it to the browser as a file. */
export async function downloadObject(url: string, fileName: string) {
  const response = await fetch(url, { headers: token ? { 'X-Auth-Token': token } : {} });
  if (!response.ok) throw await toError(response);
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

/** Calls a service's access address (same origin) with the console's token; never throws for HTTP errors. */
export async function predict(address: string, body: { json?: string; file?: { field: string; file: File } }): Promise<PredictionResult> {
  const url = new URL(address, window.location.href);
  const path = url.pathname + url.search; // always same origin: the gateway is the server that served the console
  const headers: Record<string, string> = token ? { 'X-Auth-Token': token } : {};
  let payload: BodyInit;
  if (body.file) {
    const form = new FormData();
    form.append(body.file.field, body.file.file, body.file.file.name);
    payload = form;
  } else {
    headers['Content-Type'] = 'application/json';
    payload = body.json ?? '{}';
  }
  const started = performance.now();
  const response = await fetch(path, { method: 'POST', headers, body: payload });
  const text = await response.text();
  const result: Record<string, string> = {};
  response.headers.forEach((v, k) => { if (k.startsWith('x-infera')) result[k] = v; });
  return { status: response.status, ms: Math.round(performance.now() - started), contentType: response.headers.get('content-type') ?? '', body: text, headers: result };
}

/** The ws:// or wss:// URL of a path on this origin. */
export function webSocketUrl(path: string) {
  const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${window.location.host}${path}`;
}
