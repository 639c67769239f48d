import { useState } from 'react';
import { Button, Card, Form, Input, Modal, Select, Space, Table, Typography, App as AntApp } from 'antd';
import { useTranslation } from 'react-i18next';
import type { App } from '../../api/types';
import { useApi } from '../../session';
import { formatTime } from '../../lib/format';
import { useAction, useLoad } from '../../lib/useLoad';

/** App management for app authentication (seed 003 §3.1.4.2.3 "在线服务授权管理", spec/auth.md §9). */
export default function Apps() {
  const { t } = useTranslation();
  const client = useApi();
  const run = useAction();
  const { modal } = AntApp.useApp();
  const apps = useLoad(() => client.listApps(), []);
  const services = useLoad(() => client.listServices({ infer_type: 'real-time' }), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<App | null>(null);
  const [bind, setBind] = useState<Record<string, string | undefined>>({});
  const [form] = Form.useForm();
  const serviceName = (id: string) => services.data?.services.find(s => s.service_id === id)?.service_name ?? id;
  const create = async () => {
    const v = await form.validateFields();
    await run(async () => { setCreated(await client.createApp(v.app_name, v.app_remark ?? '')); setCreating(false); form.resetFields(); await apps.reload(); });
  };
  return (
    <Card title={t('apps.title')} extra={<Button type="primary" onClick={() => setCreating(true)} data-testid="app-create">{t('apps.create')}</Button>}>
      <Table<App> rowKey="app_id" loading={apps.loading} dataSource={apps.data ?? []} data-testid="apps-table"
        expandable={{
          expandedRowRender: a => (
            <Space direction="vertical" style={{ width: '100%' }}>
              <h4>{t('apps.appCodes')}</h4>
              <Table size="small" rowKey="id" pagination={false} dataSource={a.app_codes} columns={[
                { title: 'AppCode', dataIndex: 'app_code', render: (v: string) => <Typography.Text copyable={v !== '******'} code>{v}</Typography.Text> },
                { title: t('common.created'), dataIndex: 'create_time', render: formatTime },
                { title: t('common.actions'), render: (_, c) => <a onClick={() => void run(() => client.deleteAppCode(a.app_id, c.id)).then(() => apps.reload())}>{t('common.delete')}</a> },
              ]} />
              <Button size="small" onClick={() => void run(() => client.addAppCode(a.app_id), t('common.ok')).then(() => apps.reload())}>{t('apps.addCode')}</Button>
              <h4>{t('apps.bound')}</h4>
              <Table size="small" rowKey={x => x} pagination={false} dataSource={a.bound_services ?? []} columns={[
                { title: t('apps.service'), render: (_, id: string) => serviceName(id) },
                { title: t('common.actions'), render: (_, id: string) => <a onClick={() => void run(() => client.unbindApp(id, a.app_id), t('common.ok')).then(() => apps.reload())}>{t('apps.unbind')}</a> },
              ]} />
              <Space>
                <Select style={{ width: 240 }} placeholder={t('apps.service')} value={bind[a.app_id]} onChange={v => setBind({ ...bind, [a.app_id]: v })}
                  options={(services.data?.services ?? []).filter(s => !(a.bound_services ?? []).includes(s.service_id)).map(s => ({ value: s.service_id, label: s.service_name }))} />
                <Button disabled={!bind[a.app_id]} onClick={() => void run(() => client.bindApps(bind[a.app_id]!, [a.app_id]), t('common.ok')).then(() => apps.reload())}>{t('apps.bind')}</Button>
              </Space>
            </Space>
          ),
        }}
        columns={[
          { title: t('apps.appName'), dataIndex: 'app_name' },
          { title: t('apps.appKey'), dataIndex: 'app_key', render: (v: string) => <Typography.Text copyable code>{v}</Typography.Text> },
          { title: t('apps.appSecret'), dataIndex: 'app_secret', render: (v: string) => <Typography.Text copyable={v !== '******'} code>{v}</Typography.Text> },
          { title: t('apps.remark'), dataIndex: 'app_remark' },
          { title: t('common.created'), dataIndex: 'created_at', render: formatTime },
          {
            title: t('common.actions'), render: (_, a) => (
              <Space>
                <a onClick={() => modal.confirm({ title: `${t('apps.reset')}: ${a.app_name}?`, onOk: () => run(async () => setCreated(await client.resetAppSecret(a.app_id))).then(() => apps.reload()) })}>{t('apps.reset')}</a>
                <a onClick={() => modal.confirm({ title: t('common.confirmDelete', { name: a.app_name }), okButtonProps: { danger: true }, onOk: () => run(() => client.deleteApp(a.app_id)).then(() => apps.reload()) })}>{t('common.delete')}</a>
              </Space>
            ),
          },
        ]} />
      <Modal open={creating} title={t('apps.create')} onCancel={() => setCreating(false)} onOk={() => void create()}>
        <Form form={form} layout="vertical" initialValues={{ app_name: `app_${Math.random().toString(36).slice(2, 8)}` }}>
          <Form.Item name="app_name" label={t('apps.appName')} rules={[{ required: true, pattern: /^[\p{L}][\p{L}\p{N}_]{2,63}$/u }]}><Input /></Form.Item>
          <Form.Item name="app_remark" label={t('apps.remark')} rules={[{ max: 200 }]}><Input.TextArea rows={2} /></Form.Item>
        </Form>
      </Modal>
      <Modal open={!!created} title={created?.app_name} onCancel={() => setCreated(null)} footer={<Button type="primary" onClick={() => setCreated(null)} data-testid="secret-done">{t('common.ok')}</Button>}>
        <p>{t('apps.showOnce')}</p>
        <p>{t('apps.appKey')}: <Typography.Text copyable code>{created?.app_key}</Typography.Text></p>
        <p>{t('apps.appSecret')}: <Typography.Text copyable code data-testid="app-secret">{created?.app_secret}</Typography.Text></p>
      </Modal>
    </Card>
  );
}
