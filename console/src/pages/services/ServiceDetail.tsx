import { Alert, Card, Descriptions, Space, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { EventsPanel } from '../../components/EventsPanel';
import { LogsPanel } from '../../components/LogsPanel';
import { StatusTag } from '../../components/StatusTag';
import { useApi } from '../../session';
import { formatTime } from '../../lib/format';
import { useAction, useLoad } from '../../lib/useLoad';
import { ServiceActions } from './useServiceActions';
import { CallGuideTab } from './tabs/CallGuideTab';
import { PredictTab } from './tabs/PredictTab';
import { InstancesTab } from './tabs/InstancesTab';
import { MonitoringTab } from './tabs/MonitoringTab';
import { AlarmsTab } from './tabs/AlarmsTab';
import { HistoryTab } from './tabs/HistoryTab';

/** Real-time service details (seed 003 §3.1.2): the tabs of table 3-5, actions with the R-S10 rules. */
export default function ServiceDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const client = useApi();
  const [params, setParams] = useSearchParams();
  const run = useAction();
  const navigate = useNavigate();
  const service = useLoad(() => client.getService(id!), [id], 3000);
  const instances = useLoad(() => client.instances(id!).catch(() => []), [id], 5000);
  const s = service.data;
  if (!s) return <Card loading={service.loading}>{service.error?.message}</Card>;
  const tab = params.get('tab') ?? 'details';
  const schedule = s.schedule?.find(x => x.type === 'stop');
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={<Space>{s.service_name}<StatusTag status={s.status} /></Space>} extra={<ServiceActions service={s} onDone={() => void service.reload()} onDeleted={() => navigate('/services')} size="middle" />}>
        {s.error_msg && <Alert type="error" showIcon message={s.error_msg} style={{ marginBottom: 12 }} />}
        <Descriptions size="small" column={3} items={[
          { key: 'id', label: t('services.serviceId'), children: s.service_id },
          { key: 'status', label: t('common.status'), children: <StatusTag status={s.status} /> },
          {
            key: 'desc', label: t('common.description'), children: (
              <Typography.Text editable={{ onChange: v => { if (v !== (s.description ?? '')) void run(() => client.updateService(s.service_id, { description: v }), t('common.ok')).then(() => service.reload()); } }}>{s.description ?? ''}</Typography.Text>
            ),
          },
          { key: 'addr', label: t('services.accessAddress'), children: <span data-testid="access-address">{s.access_address}</span> },
          { key: 'auto', label: t('services.autoStop'), children: schedule ? `${schedule.duration} ${schedule.time_unit}` : t('common.no') },
          { key: 'due', label: t('services.dueTime'), children: formatTime(s.due_time) },
          { key: 'ws', label: t('services.websocket'), children: s.additional_properties?.websocket_upgrade ? t('common.yes') : t('common.no') },
          { key: 'rate', label: t('services.effectiveRateLimit'), children: s.effective_rate_limit ?? s.rate_limit ?? '-' },
          { key: 'app', label: t('services.appAuth'), children: s.app_auth ? t('common.yes') : t('common.no') },
          { key: 'calls', label: t('services.calls'), children: s.invocation_times ?? 0 },
          { key: 'fails', label: t('services.failures'), children: s.failed_times ?? 0 },
          { key: 'tags', label: t('services.tags'), children: (s.tags ?? []).map(x => <Tag key={x.key}>{x.key}={x.value}</Tag>) },
        ]} />
      </Card>
      <Card>
        <Tabs activeKey={tab} onChange={k => setParams({ tab: k }, { replace: true })} destroyOnHidden items={[
          {
            key: 'details', label: t('services.tabs.details'), children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                {s.config.map(c => (
                  <Descriptions key={c.model_id} bordered size="small" column={3} title={<Link to={`/models/${c.model_id}`}>{c.model_name} {c.model_version}</Link>} items={[
                    { key: 'st', label: t('common.status'), children: c.status ? <StatusTag status={c.status} /> : '-' },
                    { key: 'w', label: t('services.weight'), children: c.weight },
                    { key: 'sp', label: t('services.spec'), children: c.specification },
                    { key: 'n', label: t('services.instances'), children: c.instance_count },
                    { key: 'to', label: t('services.deployTimeout'), children: Math.round((c.deploy_timeout_in_seconds ?? 1200) / 60) },
                    { key: 'env', label: t('services.envs'), children: Object.entries(c.envs ?? {}).map(([k, v]) => <Tag key={k}>{k}={v}</Tag>) },
                  ]} />
                ))}
                {(s.routing_rules ?? []).length > 0 && (
                  <Descriptions bordered size="small" column={1} title={t('services.rules')} items={(s.routing_rules ?? []).map((r, i) => ({
                    key: String(i), label: `#${i + 1}`, children: <code>{`${r.condition} → ${r.model_version ?? r.model_id}${r.header_name ? ` (${r.header_name}: ${r.header_value})` : ''}`}</code>,
                  }))} />
                )}
                <Descriptions size="small" items={[{ key: 'lim', label: t('services.limits'), children: s.resource_limits_enforced === false ? t('services.notEnforced', { reason: s.resource_limits_reason }) : t('services.enforced') }]} />
              </Space>
            ),
          },
          { key: 'guide', label: t('services.tabs.guide'), children: <CallGuideTab service={s} onChange={() => void service.reload()} /> },
          { key: 'predict', label: t('services.tabs.predict'), children: <PredictTab service={s} /> },
          { key: 'instances', label: t('services.tabs.instances'), children: <InstancesTab service={s} instances={instances.data ?? []} onChange={() => void instances.reload()} /> },
          { key: 'events', label: t('services.tabs.events'), children: <EventsPanel load={q => client.serviceEvents(s.service_id, q)} /> },
          { key: 'logs', label: t('services.tabs.logs'), children: <LogsPanel load={q => client.logs(s.service_id, q)} instances={(instances.data ?? []).map(i => i.instance_id)} /> },
          { key: 'monitoring', label: t('services.tabs.monitoring'), children: <MonitoringTab service={s} /> },
          { key: 'alarms', label: t('services.tabs.alarms'), children: <AlarmsTab service={s} /> },
          { key: 'history', label: t('services.tabs.history'), children: <HistoryTab service={s} /> },
        ]} />
      </Card>
    </Space>
  );
}
