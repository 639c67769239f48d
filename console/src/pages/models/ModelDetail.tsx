import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Space, Table, Tabs, Tag, App, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { ModelParam, Probe } from '../../api/types';
import { EventsPanel } from '../../components/EventsPanel';
import { JsonEditor } from '../../components/JsonEditor';
import { StatusTag } from '../../components/StatusTag';
import { useApi } from '../../session';
import { formatBytes, formatTime } from '../../lib/format';
import { useAction, useLoad } from '../../lib/useLoad';

export function ParamsTable({ params, testId }: { params?: ModelParam[]; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Table size="small" rowKey={p => `${p.url}-${p.param_name}`} pagination={false} dataSource={params ?? []} data-testid={testId} columns={[
      { title: t('models.url'), dataIndex: 'url', width: 120 },
      { title: t('models.method'), dataIndex: 'method', width: 80 },
      { title: t('models.paramName'), dataIndex: 'param_name' },
      { title: t('models.paramType'), dataIndex: 'param_type', width: 100 },
      { title: t('models.range'), render: (_, p) => (p.min !== undefined || p.max !== undefined ? `[${p.min ?? ''}, ${p.max ?? ''}]` : '-') },
      { title: t('models.paramDesc'), dataIndex: 'param_desc' },
    ]} />
  );
}

function ProbeView({ probe }: { probe?: Probe }) {
  const { t } = useTranslation();
  if (!probe || Object.keys(probe).length === 0) return <>{t('models.noProbe')}</>;
  return <Descriptions size="small" column={2} bordered items={Object.entries(probe).map(([k, v]) => ({ key: k, label: k, children: String(v) }))} />;
}

/** AI application details (seed 003 §2.4, R-M7): basic information, then parameters, dependencies, probes, accuracy, services, events. */
export default function ModelDetail() {
  const { id } = useParams();
  const { t } = useTranslation();
  const client = useApi();
  const navigate = useNavigate();
  const run = useAction();
  const { modal } = App.useApp();
  const model = useLoad(() => client.getModel(id!), [id], 4000);
  const [deps, setDeps] = useState<string | null>(null);
  const m = model.data;
  if (!m) return <Card loading />;
  let metrics: Record<string, number> = {};
  try { metrics = m.model_metrics ? JSON.parse(m.model_metrics) : {}; } catch { metrics = {}; }
  let apis = m.apis ?? '[]';
  try { apis = JSON.stringify(JSON.parse(apis), null, 2); } catch { /* as is */ }
  const saveDeps = async () => {
    let parsed;
    try { parsed = JSON.parse(deps ?? '[]'); } catch (e) { modal.error({ title: (e as Error).message }); return; }
    if (await run(() => client.updateModel(m.model_id, { dependencies: parsed }), t('common.ok'))) { setDeps(null); await model.reload(); }
  };
  const remove = () => modal.confirm({
    title: t('common.confirmDelete', { name: `${m.model_name} ${m.model_version}` }),
    okButtonProps: { danger: true },
    onOk: async () => {
      const result = await client.deleteModel(m.model_id).catch((e: Error) => ({ delete_failed_list: [{ model_id: m.model_id, error_code: '', error_msg: e.message }] }));
      if (result.delete_failed_list?.length) modal.error({ title: t('models.deleteRefused'), content: <div data-testid="delete-refused">{result.delete_failed_list.map(f => <p key={f.model_id}>{f.error_msg}</p>)}</div> });
      else navigate('/models');
    },
  });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="large">
      <Card title={`${m.model_name} ${m.model_version}`} extra={
        <Space>
          {m.model_status === 'published' && <Button type="primary" onClick={() => navigate(`/services/deploy?model=${m.model_id}`)}>{t('models.deploy')}</Button>}
          <Button onClick={() => navigate(`/models/create?from=${m.model_id}`)}>{t('models.newVersion')}</Button>
          <Button danger onClick={remove}>{t('models.deleteVersion')}</Button>
        </Space>}>
        {m.error_msg && <Alert type="error" showIcon message={m.error_msg} style={{ marginBottom: 16 }} />}
        <Descriptions column={3} size="small" items={[
          { key: 'name', label: t('common.name'), children: m.model_name },
          { key: 'status', label: t('common.status'), children: <StatusTag status={m.model_status} /> },
          { key: 'version', label: t('common.version'), children: m.model_version },
          { key: 'id', label: t('common.id'), children: m.model_id },
          {
            key: 'desc', label: t('common.description'), children: (
              <Typography.Text editable={{ onChange: v => { if (v !== (m.description ?? '')) void run(() => client.updateModel(m.model_id, { description: v }), t('common.ok')).then(() => model.reload()); } }}>{m.description ?? ''}</Typography.Text>
            ),
          },
          { key: 'types', label: t('models.deployTypes'), children: (m.install_type ?? []).map(x => <Tag key={x}>{x}</Tag>) },
          { key: 'source', label: t('models.source'), children: m.template ? `${t('models.fromTemplate')}: ${m.template.template_id}` : m.source_location },
          { key: 'engine', label: t('models.engine'), children: m.model_type },
          { key: 'runtime', label: t('models.runtime'), children: m.runtime || '-' },
          { key: 'dynamic', label: t('models.dynamicLoad'), children: m.dynamic_load ? t('common.yes') : t('common.no') },
          { key: 'size', label: t('models.size'), children: formatBytes(m.model_size) },
          { key: 'created', label: t('common.created'), children: formatTime(m.create_at) },
        ]} />
      </Card>
      <Card>
        <Tabs items={[
          {
            key: 'params', label: t('models.params'), children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <h4>{t('models.inputParams')}</h4><ParamsTable params={m.input_params} testId="input-params" />
                <h4>{t('models.outputParams')}</h4><ParamsTable params={m.output_params} />
                <h4>{t('models.apis')}</h4><JsonEditor value={apis} readOnly height="200px" />
              </Space>
            ),
          },
          {
            key: 'deps', label: t('models.dependencies'), children: deps === null ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Table size="small" pagination={false} rowKey={(p, i) => `${p.package_name}-${i}`}
                  dataSource={(m.dependencies ?? []).flatMap(d => d.packages.map(p => ({ ...p, installer: d.installer })))} columns={[
                    { title: 'installer', dataIndex: 'installer' }, { title: 'package_name', dataIndex: 'package_name' },
                    { title: 'package_version', dataIndex: 'package_version' }, { title: 'restraint', dataIndex: 'restraint' }]} />
                <Button onClick={() => setDeps(JSON.stringify(m.dependencies ?? [], null, 2))} disabled={!['published', 'building_failed'].includes(m.model_status)}>{t('models.editDependencies')}</Button>
              </Space>
            ) : (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Alert type="info" message={t('models.dependenciesHint')} />
                <JsonEditor value={deps} onChange={setDeps} />
                <Space><Button type="primary" onClick={() => void saveDeps()}>{t('common.save')}</Button><Button onClick={() => setDeps(null)}>{t('common.cancel')}</Button></Space>
              </Space>
            ),
          },
          {
            key: 'probes', label: t('models.probes'), children: (
              <Space direction="vertical" style={{ width: '100%' }}>
                <h4>{t('models.startup')}</h4><ProbeView probe={m.startup_health} />
                <h4>{t('models.readiness')}</h4><ProbeView probe={m.readiness_health} />
                <h4>{t('models.liveness')}</h4><ProbeView probe={m.health} />
              </Space>
            ),
          },
          {
            key: 'metrics', label: t('models.metrics'), children: Object.keys(metrics).length
              ? <Descriptions bordered size="small" items={Object.entries(metrics).map(([k, v]) => ({ key: k, label: k, children: String(v) }))} />
              : <Empty />,
          },
          {
            key: 'services', label: t('models.services'), children: (
              <Table size="small" rowKey="service_id" pagination={false} dataSource={m.services ?? []} columns={[
                { title: t('common.name'), dataIndex: 'service_name', render: (v: string, s) => <Link to={`/${s.infer_type === 'batch' ? 'batch' : 'services'}/${s.service_id}`}>{v}</Link> },
                { title: t('common.type'), dataIndex: 'infer_type' },
                { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
              ]} />
            ),
          },
          { key: 'events', label: t('models.events'), children: <EventsPanel load={q => client.modelEvents(m.model_id, q)} /> },
        ]} />
      </Card>
    </Space>
  );
}
