import { useState } from 'react';
import { DatePicker, Input, Select, Space, Table, Button } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import type { EventList, EventQuery } from '../api/types';
import { useLoad } from '../lib/useLoad';
import { formatTime } from '../lib/format';
import { StatusTag } from './StatusTag';

/** Events of a model or service (seed 003 §2.6, §3.5): type filter, time range and text search, newest first. */
export function EventsPanel({ load }: { load: (q: EventQuery) => Promise<EventList> }) {
  const { t } = useTranslation();
  const [type, setType] = useState<string>('');
  const [text, setText] = useState('');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const query: EventQuery = {
    event_type: type || undefined, event_info: text || undefined,
    start_time: range?.[0]?.valueOf(), end_time: range?.[1]?.valueOf(), limit: 1000,
  };
  const events = useLoad(() => load(query), [type, text, range?.[0]?.valueOf(), range?.[1]?.valueOf()], 5000);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select value={type} onChange={setType} style={{ width: 140 }} aria-label={t('events.filterType')} options={[
          { value: '', label: t('common.all') }, { value: 'normal', label: t('status.normal') }, { value: 'abnormal', label: t('status.abnormal') }]} />
        <DatePicker.RangePicker showTime value={range} onChange={v => setRange(v as [Dayjs | null, Dayjs | null] | null)} />
        <Input.Search allowClear placeholder={t('events.text')} onSearch={setText} style={{ width: 260 }} data-testid="events-search" />
        <Button onClick={() => void events.reload()}>{t('common.refresh')}</Button>
      </Space>
      <Table size="small" rowKey={(e, i) => `${e.occur_time}-${i}`} loading={events.loading} dataSource={events.data?.events ?? []}
        pagination={{ pageSize: 20 }} data-testid="events-table" columns={[
          { title: t('events.filterType'), dataIndex: 'event_type', width: 110, render: (v: string) => <StatusTag status={v} /> },
          { title: t('events.info'), dataIndex: 'event_info' },
          { title: t('events.occurred'), dataIndex: 'occur_time', width: 180, render: formatTime },
        ]} />
    </Space>
  );
}
