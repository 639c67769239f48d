import { useState } from 'react';
import { Alert, Card, Descriptions, Modal, Progress, Space, Table, Tabs, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { EventsPanel } from '../../components/EventsPanel';
import { LogsPanel } from '../../components/LogsPanel';
import { StatusTag } from '../../components/StatusTag';
import { useApi } from '../../session';
import { formatBytes, formatTime, parseObs } from '../../lib/format';
import { useAction, useLoad } from '../../lib/useLoad';
import { ServiceActions } from '../services/useServiceActions';

/** Batch service details (seed 003 §3.2.2–3.2.3, R-B4): progress, details, events, logs and a results browser. */
export default function BatchDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const client = useApi();
  const run = useAction();
  const navigate = useNavigate();
  const service = useLoad(() => client.getService(id!), [id], 3000);
  const s = service.data;
  const c = s?.config[0];
  const dest = c?.dest_path ? parseObs(c.dest_path) : null;
  const results = useLoad(async () => {
    if (!dest) return [];
    const found: { key: string; size: number; last_modified: number }[] = [];
    let marker: string | undefined;
    do {
      const page = await client.listObjects(dest.bucket, dest.key, '', marker);
      found.push(...page.objects);
      marker = page.next_marker || undefined;
    } while (marker && found.length < 5000);
    return found.filter(o => o.key.endsWith('_result.txt') || o.key.endsWith('.manifest'));
  }, [dest?.bucket, dest?.key, s?.status, s?.processed_count]);
  const [open, setOpen] = useState<{ key: string; text: string } | null>(null);
  if (!s || !c) return <Card loading />;
  const percent = s.status === 'finished' ? 100 : Math.round(s.progress ?? (s.input_count ? (100 * (s.processed_count ?? 0)) / s.input_count : 0));
  const show = (key: string) => void run(async () => setOpen({ key, text: await client.readObject(dest!.bucket, key) }));
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={<Space>{s.service_name}<StatusTag status={s.status} /></Space>} extra={<ServiceActions batch service={s} onDone={() => void service.reload()} onDeleted={() => navigate('/batch')} size="middle" />}>
        {s.error_msg && <Alert type="error" showIcon message={s.error_msg} style={{ marginBottom: 12 }} />}
        <Progress percent={percent} data-testid="batch-progress" />
        <Descriptions size="small" column={3} items={[
          { key: 'id', label: t('services.serviceId'), children: s.service_id },
          { key: 'task', label: t('batch.taskId'), children: s.task_id ?? '-' },
          { key: 'model', label: t('services.modelVersion'), children: <Link to={`/models/${c.model_id}`}>{c.model_name} {c.model_version}</Link> },
          { key: 'spec', label: t('services.spec'), children: c.specification },
          { key: 'n', label: t('services.instances'), children: c.instance_count },
          { key: 'env', label: t('services.envs'), children: Object.entries(c.envs ?? {}).map(([k, v]) => <Tag key={k}>{k}={v}</Tag>) },
          { key: 'src', label: t('batch.input'), children: c.src_path },
          { key: 'dest', label: t('batch.output'), children: c.dest_path },
          { key: 'uri', label: t('batch.reqUri'), children: `${c.req_uri} (${c.mapping_type})` },
          { key: 'start', label: t('batch.started'), children: formatTime(s.start_time) },
          { key: 'end', label: t('batch.finished'), children: formatTime(s.finished_time) },
          { key: 'counts', label: t('batch.inputs'), children: `${s.processed_count ?? 0} / ${s.input_count ?? 0} (${t('batch.failedCount')}: ${s.failed_count ?? 0})` },
        ]} />
      </Card>
      <Card>
        <Tabs destroyOnHidden items={[
          {
            key: 'results', label: t('batch.results'), children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Alert type="info" message={t('batch.resultsHint')} />
                <Table size="small" rowKey="key" loading={results.loading} dataSource={results.data ?? []} data-testid="batch-results" columns={[
                  { title: t('common.name'), dataIndex: 'key', render: (k: string) => <a onClick={() => show(k)} data-testid={`result-${k.split('/').pop()}`}>{k.slice(dest!.key.length)}</a> },
                  { title: t('common.size'), dataIndex: 'size', render: formatBytes },
                  { title: t('obs.lastModified'), dataIndex: 'last_modified', render: formatTime },
                ]} />
              </Space>
            ),
          },
          { key: 'events', label: t('services.tabs.events'), children: <EventsPanel load={q => client.serviceEvents(s.service_id, q)} /> },
          { key: 'logs', label: t('services.tabs.logs'), children: <LogsPanel load={q => client.logs(s.service_id, q)} instances={[]} /> },
        ]} />
      </Card>
      <Modal open={!!open} width={800} title={open?.key} onCancel={() => setOpen(null)} footer={null}>
        <pre data-testid="result-content" style={{ maxHeight: 500, overflow: 'auto', background: '#fafafa', padding: 12 }}>{open?.text}</pre>
      </Modal>
    </Space>
  );
}
