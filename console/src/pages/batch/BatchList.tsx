import { Button, Card, Progress, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router-dom';
import type { ServiceListItem } from '../../api/types';
import { StatusTag } from '../../components/StatusTag';
import { useApi } from '../../session';
import { formatTime } from '../../lib/format';
import { useLoad } from '../../lib/useLoad';
import { ServiceActions } from '../services/useServiceActions';

/** Batch services (seed 002, seed 003 §3.2): status, progress and actions. */
export default function BatchList() {
  const { t } = useTranslation();
  const client = useApi();
  const navigate = useNavigate();
  const services = useLoad(() => client.listServices({ infer_type: 'batch' }), [], 3000);
  return (
    <Card title={t('batch.title')} extra={<Button type="primary" onClick={() => navigate('/batch/deploy')} data-testid="batch-deploy">{t('batch.deploy')}</Button>}>
      <Table<ServiceListItem> rowKey="service_id" loading={services.loading} dataSource={services.data?.services ?? []} data-testid="batch-table" columns={[
        { title: t('common.name'), dataIndex: 'service_name', render: (v: string, s) => <Link to={`/batch/${s.service_id}`}>{v}</Link> },
        { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        { title: t('batch.progress'), render: (_, s) => <Progress size="small" percent={s.status === 'finished' ? 100 : Math.round(s.progress ?? (s.input_count ? (100 * (s.processed_count ?? 0)) / s.input_count : 0))} /> },
        { title: t('common.created'), dataIndex: 'publish_at', render: formatTime },
        { title: t('common.actions'), render: (_, s) => <ServiceActions batch service={s} onDone={() => void services.reload()} /> },
      ]} />
    </Card>
  );
}
