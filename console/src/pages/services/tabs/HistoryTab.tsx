import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ServiceDetail } from '../../../api/types';
import { StatusTag } from '../../../components/StatusTag';
import { useApi } from '../../../session';
import { formatTime } from '../../../lib/format';
import { useLoad } from '../../../lib/useLoad';

/** Configuration update history (seed 003 §3.1.2 "配置更新记录", spec §3.7): newest first; the newest SUCCESS is current. */
export function HistoryTab({ service }: { service: ServiceDetail }) {
  const { t } = useTranslation();
  const client = useApi();
  const history = useLoad(() => client.history(service.service_id), [service.service_id]);
  const current = history.data?.find(l => l.result === 'SUCCESS');
  return (
    <Table size="small" rowKey="update_time" dataSource={history.data ?? []} pagination={{ pageSize: 20 }} columns={[
      { title: t('history.updated'), dataIndex: 'update_time', render: (v: number, l) => <>{formatTime(v)} {l === current && <Tag color="blue">{t('history.current')}</Tag>}</> },
      { title: t('history.result'), dataIndex: 'result', render: (s: string) => <StatusTag status={s} /> },
      { title: t('history.operator'), dataIndex: 'operator' },
      { title: t('history.config'), render: (_, l) => l.config.map(c => <div key={c.model_id}><code>{`${c.model_name ?? c.model_id} ${c.model_version ?? ''} · ${c.weight ?? 100}% · ${c.specification} × ${c.instance_count}`}</code></div>) },
      { title: t('common.details'), dataIndex: 'detail' },
      { title: t('history.finished'), dataIndex: 'finished_time', render: formatTime },
    ]} />
  );
}
