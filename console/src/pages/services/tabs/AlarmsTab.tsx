import { Button, Form, Input, InputNumber, Modal, Select, Space, Table, App } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceDetail } from '../../../api/types';
import { StatusTag } from '../../../components/StatusTag';
import { useApi } from '../../../session';
import { formatTime } from '../../../lib/format';
import { useAction, useLoad } from '../../../lib/useLoad';

const metrics = ['total_called_times', 'successfully_called_times', 'failed_called_times', 'req_count_2xx', 'req_count_4xx', 'req_count_5xx',
  'avg_latency', 'cpu_usage', 'mem_usage', 'disk_read_rate', 'disk_write_rate'];

/** Alarm rules (R-S13, seed 003 §5.2) on the service or one version: create, list, delete. */
export function AlarmsTab({ service }: { service: ServiceDetail }) {
  const { t } = useTranslation();
  const client = useApi();
  const run = useAction();
  const { modal } = App.useApp();
  const alarms = useLoad(() => client.alarms(service.service_id), [service.service_id], 10000);
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm();
  const create = async () => {
    const v = await form.validateFields();
    if (await run(() => client.createAlarm(service.service_id, { ...v, model_id: v.model_id || undefined }), t('common.ok'))) { setOpen(false); form.resetFields(); await alarms.reload(); }
  };
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Button type="primary" onClick={() => setOpen(true)}>{t('alarms.create')}</Button>
      <Table size="small" rowKey="alarm_id" dataSource={alarms.data ?? []} pagination={false} columns={[
        { title: t('common.name'), dataIndex: 'name' },
        { title: t('alarms.target'), render: (_, a) => a.model_version ?? t('monitoring.service') },
        { title: t('alarms.metric'), render: (_, a) => <code>{`${a.metric} ${a.comparison} ${a.threshold}`}</code> },
        { title: t('alarms.periods'), dataIndex: 'periods' },
        { title: t('alarms.state'), dataIndex: 'state', render: (s: string) => <StatusTag status={s} /> },
        { title: t('alarms.lastValue'), dataIndex: 'last_value' },
        { title: t('common.created'), dataIndex: 'create_at', render: formatTime },
        { title: t('common.actions'), render: (_, a) => <a onClick={() => modal.confirm({ title: t('common.confirmDelete', { name: a.name }), onOk: () => run(() => client.deleteAlarm(service.service_id, a.alarm_id)).then(() => alarms.reload()) })}>{t('common.delete')}</a> },
      ]} />
      <Modal open={open} title={t('alarms.create')} onCancel={() => setOpen(false)} onOk={() => void create()}>
        <Form form={form} layout="vertical" initialValues={{ metric: 'req_count_5xx', comparison: '>', threshold: 5, periods: 3, model_id: '' }}>
          <Form.Item name="name" label={t('common.name')}><Input /></Form.Item>
          <Form.Item name="model_id" label={t('alarms.target')}><Select options={[{ value: '', label: t('monitoring.service') }, ...service.config.map(c => ({ value: c.model_id, label: `${c.model_name} ${c.model_version}` }))]} /></Form.Item>
          <Form.Item name="metric" label={t('alarms.metric')}><Select options={metrics.map(m => ({ value: m, label: m }))} /></Form.Item>
          <Space>
            <Form.Item name="comparison" label={t('alarms.comparison')}><Select style={{ width: 80 }} options={['>', '>=', '<', '<='].map(c => ({ value: c, label: c }))} /></Form.Item>
            <Form.Item name="threshold" label={t('alarms.threshold')} rules={[{ required: true }]}><InputNumber /></Form.Item>
            <Form.Item name="periods" label={t('alarms.periods')}><InputNumber min={1} max={60} /></Form.Item>
          </Space>
        </Form>
      </Modal>
    </Space>
  );
}
