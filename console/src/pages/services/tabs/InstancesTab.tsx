import { useCallback, useState } from 'react';
import { Alert, Button, Drawer, Table, Tooltip, App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Instance, ServiceDetail } from '../../../api/types';
import { CloudShellTerminal } from '../../../components/Terminal';
import { StatusTag } from '../../../components/StatusTag';
import { useApi } from '../../../session';
import { formatTime } from '../../../lib/format';
import { useAction } from '../../../lib/useLoad';

/** Instances (seed 003 §3.1.2, R-S8): status, restarts, delete (replaced by a new one), CloudShell (R-S16). */
export function InstancesTab({ service, instances, onChange }: { service: ServiceDetail; instances: Instance[]; onChange: () => void }) {
  const { t } = useTranslation();
  const client = useApi();
  const run = useAction();
  const { modal } = App.useApp();
  const [shell, setShell] = useState<string | null>(null);
  const openTicket = useCallback(() => client.cloudShell(service.service_id, shell!), [client, service.service_id, shell]);
  const serviceRunning = service.status === 'running' || service.status === 'concerning';
  return (
    <>
      <Alert type="info" message={t('instances.deleteHint')} style={{ marginBottom: 12 }} />
      <Table size="small" rowKey="instance_id" dataSource={instances} pagination={false} data-testid="instances-table" columns={[
        { title: t('instances.id'), dataIndex: 'instance_id' },
        { title: t('instances.model'), render: (_, i) => `${i.model_name ?? ''} ${i.model_version ?? ''}` },
        { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s} /> },
        { title: t('instances.restarts'), dataIndex: 'restarts' },
        { title: t('instances.started'), dataIndex: 'start_time', render: formatTime },
        { title: t('instances.address'), render: (_, i) => `${i.protocol}://${i.host}:${i.port}` },
        { title: t('instances.pid'), dataIndex: 'pid' },
        {
          title: t('common.actions'), render: (_, i) => {
            const canShell = serviceRunning && i.status === 'running';
            return (
              <>
                <Tooltip title={canShell ? '' : t('shell.onlyRunning')}>
                  <Button size="small" disabled={!canShell} onClick={() => setShell(i.instance_id)} data-testid={`cloudshell-${i.instance_id}`}>{t('instances.cloudShell')}</Button>
                </Tooltip>{' '}
                <Button size="small" danger disabled={!serviceRunning && service.status !== 'deploying'} onClick={() => modal.confirm({
                  title: t('common.confirmDelete', { name: i.instance_id }),
                  onOk: () => run(() => client.deleteInstance(service.service_id, i.instance_id), t('common.ok')).then(onChange),
                })}>{t('common.delete')}</Button>
              </>
            );
          },
        },
      ]} />
      <Drawer open={!!shell} width={900} title={t('shell.title', { id: shell })} onClose={() => setShell(null)} destroyOnHidden>
        {shell && <CloudShellTerminal openTicket={openTicket} />}
      </Drawer>
    </>
  );
}
