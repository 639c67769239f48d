import { useState } from 'react';
import { Button, Card, Input, Space, Table, App } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { ServiceListItem } from '../../api/types';
import { StatusTag } from '../../components/StatusTag';
import { useApi } from '../../session';
import { formatTime } from '../../lib/format';
import { useAction, useLoad } from '../../lib/useLoad';
import { ServiceActions } from './useServiceActions';

/** Real-time services (seed 003 §3.1): status, calls, failures and the actions; several can be deleted at once. */
export default function ServiceList() {
  const { t } = useTranslation();
  const client = useApi();
  const navigate = useNavigate();
  const run = useAction();
  const { modal } = App.useApp();
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<string[]>([]);
  const services = useLoad(() => client.listServices({ infer_type: 'real-time', service_name: search || undefined }), [search], 3000);
  const deleteMany = () => modal.confirm({
    title: t('common.confirmDelete', { name: selected.length }), okButtonProps: { danger: true },
    onOk: async () => { if (await run(() => client.deleteService(selected.join(',')), t('services.deleted'))) { setSelected([]); await services.reload(); } },
  });
  return (
    <Card title={t('services.title')} extra={
      <Space>
        <Input.Search allowClear placeholder={t('common.search')} onSearch={setSearch} style={{ width: 220 }} />
        <Button danger disabled={!selected.length} onClick={deleteMany}>{t('services.deleteMany')}</Button>
        <Button type="primary" onClick={() => navigate('/services/deploy')} data-testid="service-deploy">{t('services.deploy')}</Button>
      </Space>}>
      <Table<ServiceListItem> rowKey="service_id" loading={services.loading} dataSource={services.data?.services ?? []} data-testid="service-table"
        rowSelection={{ selectedRowKeys: selected, onChange: keys => setSelected(keys as string[]) }}
        columns={[
          { title: t('common.name'), dataIndex: 'service_name', render: (v: string, s) => <Link to={`/services/${s.service_id}`} data-testid={`service-${v}`}>{v}</Link> },
          { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
          { title: t('services.calls'), dataIndex: 'invocation_times', render: (v?: number) => v ?? 0 },
          { title: t('services.failures'), dataIndex: 'failed_times', render: (v?: number) => v ?? 0 },
          { title: t('common.created'), dataIndex: 'publish_at', render: formatTime },
          { title: t('common.description'), dataIndex: 'description' },
          { title: t('common.actions'), render: (_, s) => <ServiceActions service={s} onDone={() => void services.reload()} /> },
        ]} />
    </Card>
  );
}
