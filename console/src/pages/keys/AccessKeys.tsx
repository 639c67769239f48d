import { useState } from 'react';
import { Alert, Button, Card, Input, Modal, Space, Table, Typography, App } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AccessKey } from '../../api/types';
import { iam } from '../../api/client';
import { StatusTag } from '../../components/StatusTag';
import { formatTime } from '../../lib/format';
import { useAction, useLoad } from '../../lib/useLoad';

/** Access keys (AK/SK, R-S4): create with the SK shown once, disable/enable, delete. */
export default function AccessKeys() {
  const { t } = useTranslation();
  const run = useAction();
  const { modal } = App.useApp();
  const keys = useLoad(() => iam.listKeys(), []);
  const [description, setDescription] = useState<string | null>(null);
  const [created, setCreated] = useState<AccessKey | null>(null);
  return (
    <Card title={t('keys.title')} extra={<Button type="primary" onClick={() => setDescription('')} data-testid="key-create">{t('keys.create')}</Button>}>
      <Alert type="info" message={t('keys.limit')} style={{ marginBottom: 12 }} />
      <Table rowKey="access" loading={keys.loading} dataSource={keys.data ?? []} pagination={false} data-testid="keys-table" columns={[
        { title: t('keys.ak'), dataIndex: 'access', render: (v: string) => <Typography.Text copyable code>{v}</Typography.Text> },
        { title: t('common.status'), dataIndex: 'status', render: (s: string) => <StatusTag status={s === 'active' ? 'normal' : 'stopped'} /> },
        { title: t('common.description'), dataIndex: 'description' },
        { title: t('common.created'), dataIndex: 'create_time', render: formatTime },
        {
          title: t('common.actions'), render: (_, k) => (
            <Space>
              <a onClick={() => void run(() => iam.setKeyStatus(k.access, k.status === 'active' ? 'inactive' : 'active'), t('common.ok')).then(() => keys.reload())}>
                {k.status === 'active' ? t('keys.disable') : t('keys.enable')}</a>
              <a onClick={() => modal.confirm({ title: t('common.confirmDelete', { name: k.access }), okButtonProps: { danger: true }, onOk: () => run(() => iam.deleteKey(k.access)).then(() => keys.reload()) })}>{t('common.delete')}</a>
            </Space>
          ),
        },
      ]} />
      <Modal open={description !== null} title={t('keys.create')} onCancel={() => setDescription(null)}
        onOk={() => void run(async () => { setCreated(await iam.createKey(description ?? '')); setDescription(null); await keys.reload(); })}>
        <Input value={description ?? ''} onChange={e => setDescription(e.target.value)} placeholder={t('common.description')} />
      </Modal>
      <Modal open={!!created} title={t('keys.create')} onCancel={() => setCreated(null)} footer={<Button type="primary" onClick={() => setCreated(null)} data-testid="secret-done">{t('common.ok')}</Button>}>
        <Alert type="warning" showIcon message={t('keys.skOnce')} style={{ marginBottom: 12 }} />
        <p>{t('keys.ak')}: <Typography.Text copyable code>{created?.access}</Typography.Text></p>
        <p>{t('keys.sk')}: <Typography.Text copyable code data-testid="key-secret">{created?.secret}</Typography.Text></p>
      </Modal>
    </Card>
  );
}
