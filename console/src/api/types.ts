// Wire shapes of the Infera REST API (docs/api.md), described once. Field names are the API's (ModelArts snake_case).
// When the OpenAPI document exists (/openapi/v1.json), these can be generated with openapi-typescript.

export interface Project { id: string; name: string; domain_id?: string }

export interface ModelListItem {
  model_id: string; model_name: string; model_version: string; model_status: string; model_type: string;
  description?: string; create_at: number; install_type?: string[]; model_size?: number; runtime?: string;
}

export interface ModelParam {
  url: string; method: string; protocol?: string; param_name: string; param_type: string;
  min?: number; max?: number; param_desc?: string;
}

export interface Probe {
  check_method?: string; url?: string; command?: string; protocol?: string; initial_delay_seconds?: string;
  timeout_seconds?: string; period_seconds?: string; failure_threshold?: string;
}

export interface Dependency {
  installer: string;
  packages: { package_name: string; package_version?: string; restraint?: string }[];
}

export interface ModelDetail extends ModelListItem {
  source_location?: string; apis?: string; config?: string; model_metrics?: string; error_msg?: string;
  input_params?: ModelParam[]; output_params?: ModelParam[]; dependencies?: Dependency[];
  health?: Probe; readiness_health?: Probe; startup_health?: Probe; dynamic_load?: boolean;
  services?: { service_id: string; service_name: string; infer_type: string; status: string }[];
  template?: { template_id: string } | null; infer_format?: string; model_algorithm?: string;
}

export interface ApiSpec {
  url: string; method: string; protocol?: string;
  request?: { 'Content-type'?: string; data?: JsonSchema };
  response?: { 'Content-type'?: string; data?: JsonSchema };
}

export interface JsonSchema {
  type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema | JsonSchema[];
  required?: string[]; minimum?: number; maximum?: number; enum?: unknown[]; default?: unknown; index?: number;
  description?: string;
}

export interface ModelVersions {
  model_name: string; version_count: number; latest_version: string;
  versions: (ModelListItem & { source_location?: string; services?: { service_id: string; service_name: string; status: string }[] })[];
}

export interface Template {
  template_id: string; template_name: string; description: string; type: string; engine: string; environment: string;
  infer_format: string; infer_format_overridable: boolean; runnable_here: boolean;
  template_inputs: { input_id: string; input_name?: string; input_description?: string }[];
}

export interface InferFormat { infer_format: string; batch_deployable: boolean; description?: string }

export interface EventItem { event_type: string; event_info: string; occur_time: number }
export interface EventList { total_count: number; count: number; events: EventItem[] }
export interface EventQuery { event_type?: string; event_info?: string; start_time?: number; end_time?: number; limit?: number; offset?: number }

export interface RoutingRule { condition: string; model_version?: string; model_id?: string; header_name?: string; header_value?: string }

export interface ServiceConfigItem {
  model_id: string; model_name?: string; model_version?: string; weight?: number; specification: string;
  custom_spec?: { cpu?: number; memory?: number; gpu_p4?: number }; instance_count: number; envs?: Record<string, string>;
  deploy_timeout_in_seconds?: number; additional_properties?: { max_surge?: number; max_unavailable?: number };
  status?: string;
  // batch
  src_path?: string; dest_path?: string; req_uri?: string; mapping_type?: string; mapping_rule?: JsonSchema; src_type?: string;
}

export interface Schedule { type: string; time_unit: string; duration: number }

export interface ServiceListItem {
  service_id: string; service_name: string; description?: string; infer_type: string; status: string;
  publish_at: number; invocation_times?: number; failed_times?: number; progress?: number; error_msg?: string;
  input_count?: number; processed_count?: number; failed_count?: number; task_id?: string;
  start_time?: number; finished_time?: number;
}

export interface ServiceDetail extends ServiceListItem {
  access_address?: string; app_access_address?: string; app_auth?: boolean;
  app_auth_apps?: { app_id: string; app_name: string; app_key: string }[];
  config: ServiceConfigItem[]; schedule?: Schedule[]; due_time?: number; tags?: { key: string; value: string }[];
  routing_rules?: RoutingRule[]; rate_limit?: number; rate_limit_per_replica?: number; effective_rate_limit?: number;
  additional_properties?: { websocket_upgrade?: boolean }; update_time?: number; transition_at?: number;
  resource_limits_enforced?: boolean; resource_limits_reason?: string; updating?: boolean;
}

export interface Specification {
  specification: string; category: string; cpu_info?: string; memory_info?: string; gpu_info?: string;
  display_en: string; display_cn: string; is_open: boolean; spec_status?: string; unavailable_reason?: string;
}

export interface Instance {
  instance_id: string; model_id: string; model_name?: string; model_version?: string; status: string; ready: boolean;
  restarts: number; start_time: number; host: string; port: number; protocol: string; pid: number; specification: string;
}

export interface MetricPoint {
  timestamp: number; total_called_times?: number; successfully_called_times?: number; failed_called_times?: number;
  req_count_2xx?: number; req_count_4xx?: number; req_count_5xx?: number; avg_latency?: number; cpu_usage?: number;
  mem_usage?: number; memory_bytes?: number;
}

export interface Metrics {
  service_id: string; start_time: number; end_time: number; period: number; metrics: MetricPoint[];
  versions: { model_id: string; model_name: string; model_version: string; metrics: MetricPoint[] }[];
}

export interface LogLine { time: number; instance_id: string; model_id: string; model_version: string; stream: string; content: string }
export interface LogPage { total_count: number; count: number; start_time: number; end_time: number; logs: LogLine[] }
export interface LogQuery { last?: string; start_time?: number; end_time?: number; query?: string; instance_id?: string; limit?: number; order?: 'asc' | 'desc' }

export interface Alarm {
  alarm_id: string; name: string; model_id?: string; model_version?: string; metric: string; comparison: string;
  threshold: number; periods: number; state: string; last_value?: number; create_at: number;
}

export interface UpdateLog {
  update_time: number; result: string; config: ServiceConfigItem[]; operator?: string; detail?: string; finished_time?: number;
}

export interface ObsObject { key: string; size: number; last_modified: number; etag?: string }
export interface ObsListing { bucket: string; prefix: string; objects: ObsObject[]; common_prefixes: string[]; next_marker?: string }

export interface AppCode { id: string; app_code: string; create_time: number }
export interface App {
  app_id: string; app_name: string; app_remark?: string; app_key: string; app_secret: string; app_codes: AppCode[];
  bound_services?: string[]; created_at: number; user_id?: string;
}

export interface AccessKey { access: string; secret?: string; status: string; user_id: string; description?: string; create_time: string | number }

export interface CloudShellTicket { ticket: string; expires_at: number; websocket_path: string }

export interface PredictionResult { status: number; ms: number; contentType: string; body: string; headers: Record<string, string> }
