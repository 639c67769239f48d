import { useMemo, useState } from 'react';
import { Button, Card, Input, Space, Table, Tag, Typography, App, type ButtonProps } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { ModelListItem } from '../../api/types';
import { StatusTag } from '../../components/StatusTag';
import { useApi } from '../../session';
import { formatBytes, formatTime } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';

/** Versions compared part by part (1.0.10 > 1.0.9), as the server sorts them. */
export function compareVersions(a: string, b: string) {
  const pa = a.split('.').map(Number), pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

interface ModelGroup { name: string; latest: ModelListItem; versions: ModelListItem[] }

/** AI application list (seed 003 §2.3): one row per name with its latest version; versions expand below. */
export default function ModelList() {
  const { t } = useTranslation();
  const client = useApi();
  const navigate = useNavigate();
  const { modal, message } = App.useApp();
  const [search, setSearch] = useState('');
  const models = useLoad(() => client.listModels(search ? { model_name: search } : {}), [search], 5000);
  const groups = useMemo<ModelGroup[]>(() => {
    const byName = new Map<string, ModelListItem[]>();
    for (const m of models.data?.models ?? []) byName.set(m.model_name, [...(byName.get(m.model_name) ?? []), m]);
    return [...byName.entries()].map(([name, versions]) => {
      versions.sort((a, b) => compareVersions(b.model_version, a.model_version));
      return { name, latest: versions[0], versions };
    }).sort((a, b) => b.latest.create_at - a.latest.create_at);
  }, [models.data]);

  const remove = (items: ModelListItem[], label: string) => modal.confirm({
    title: t('common.confirmDelete', { name: label }),
    okButtonProps: { danger: true, 'data-testid': 'confirm-delete' } as ButtonProps,
    onOk: async () => {
      const failures: string[] = [];
      for (const item of items) {
        try {
          const result = await client.deleteModel(item.model_id);
          for (const f of result.delete_failed_list ?? []) failures.push(`${item.model_version}: ${f.error_msg}`);
        } catch (e) {
          failures.push(`${item.model_version}: ${(e as Error).message}`);
        }
      }
      if (failures.length) modal.error({ title: t('models.deleteRefused'), content: <div data-testid="delete-refused">{failures.map(f => <p key={f}>{f}</p>)}</div> });
      else message.success(t('common.ok'));
      await models.reload();
    },
  });

  const deployTypes = (m: ModelListItem) => (m.install_type ?? ['real-time']).map(x => <Tag key={x}>{x === 'batch' ? t('models.batch') : t('models.realtime')}</Tag>);
  const deploy = (m: ModelListItem) => (
    <Space size="small">
      <Link to={`/services/deploy?model=${m.model_id}`}>{t('models.realtime')}</Link>
      {(m.install_type ?? []).includes('batch') && <Link to={`/batch/deploy?model=${m.model_id}`}>{t('models.batch')}</Link>}
    </Space>
  );

  return (
    <Card title={t('models.title')} extra={
      <Space>
        <Input.Search allowClear placeholder={t('models.searchPlaceholder')} onSearch={setSearch} style={{ width: 240 }} data-testid="model-search" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/models/create')} data-testid="model-create">{t('models.create')}</Button>
      </Space>}>
      <Table<ModelGroup> rowKey="name" loading={models.loading} dataSource={groups} data-testid="model-table"
        expandable={{
          expandedRowRender: group => (
            <Table size="small" rowKey="model_id" pagination={false} dataSource={group.versions} columns={[
              { title: t('common.version'), dataIndex: 'model_version', render: (v: string, m) => <Link to={`/models/${m.model_id}`}>{v}</Link> },
              { title: t('common.status'), dataIndex: 'model_status', render: (s: string) => <StatusTag status={s} /> },
              { title: t('models.deployTypes'), render: (_, m) => deployTypes(m) },
              { title: t('models.size'), dataIndex: 'model_size', render: (v: number) => formatBytes(v) },
              { title: t('common.created'), dataIndex: 'create_at', render: formatTime },
              { title: t('common.description'), dataIndex: 'description' },
              { title: t('common.actions'), render: (_, m) => <Space>{m.model_status === 'published' && deploy(m)}<a onClick={() => remove([m], `${m.model_name} ${m.model_version}`)}>{t('models.deleteVersion')}</a></Space> },
            ]} />
          ),
        }}
        columns={[
          { title: t('common.name'), dataIndex: 'name', render: (name: string, g) => <Link to={`/models/${g.latest.model_id}`} data-testid={`model-${name}`}>{name}</Link> },
          { title: t('models.latest'), render: (_, g) => g.latest.model_version },
          { title: t('common.status'), render: (_, g) => <StatusTag status={g.latest.model_status} /> },
          { title: t('models.deployTypes'), render: (_, g) => deployTypes(g.latest) },
          { title: t('models.versionCount'), render: (_, g) => g.versions.length },
          { title: t('models.requestMode'), render: () => t('models.sync') },
          { title: t('common.created'), render: (_, g) => formatTime(g.latest.create_at) },
          { title: t('common.description'), render: (_, g) => <Typography.Text ellipsis>{g.latest.description}</Typography.Text> },
          {
            title: t('common.actions'), render: (_, g) => (
              <Space>
                {g.latest.model_status === 'published' && deploy(g.latest)}
                <Link to={`/models/create?from=${g.latest.model_id}`}>{t('models.newVersion')}</Link>
                <a onClick={() => remove(g.versions, g.name)}>{t('common.delete')}</a>
              </Space>
            ),
          },
        ]} />
    </Card>
  );
}
