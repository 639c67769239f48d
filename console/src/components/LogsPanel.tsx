import { useEffect, useState } from 'react';
import { DatePicker, Input, Select, Space, Switch, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Dayjs } from 'dayjs';
import type { LogPage, LogQuery } from '../api/types';
import { formatTime } from '../lib/format';
import { useAction } from '../lib/useLoad';

/**
 * Instance logs (R-S12, seed 003 §3.1.2 "日志"): last 5/30/60 minutes or a custom range, one instance or all, the
 * search syntax of the server (keywords, * and ?, "phrases", && / || / AND / OR), and a live tail that refreshes
 * every 2 s while switched on.
 */
export function LogsPanel({ load, instances }: { load: (q: LogQuery) => Promise<LogPage>; instances: string[] }) {
  const { t } = useTranslation();
  const run = useAction();
  const [last, setLast] = useState('30m');
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [instance, setInstance] = useState('');
  const [query, setQuery] = useState('');
  const [tail, setTail] = useState(false);
  const [page, setPage] = useState<LogPage | null>(null);
  const [loading, setLoading] = useState(false);
  const fetchLogs = async () => {
    const q: LogQuery = { query: query || undefined, instance_id: instance || undefined, limit: 1000, order: 'desc' };
    if (last === 'range' && range?.[0] && range?.[1]) { q.start_time = range[0].valueOf(); q.end_time = range[1].valueOf(); } else q.last = last === 'range' ? '60m' : last;
    setLoading(true);
    await run(async () => setPage(await load(q)));
    setLoading(false);
  };
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => { void fetchLogs(); }, [last, range?.[0]?.valueOf(), range?.[1]?.valueOf(), instance]);
  useEffect(() => {
    if (!tail) return;
    const timer = setInterval(() => void fetchLogs(), 2000);
    return () => clearInterval(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tail, query, last, instance]);
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <Select value={last} onChange={setLast} style={{ width: 160 }} options={[
          { value: '5m', label: t('logs.last5') }, { value: '30m', label: t('logs.last30') }, { value: '60m', label: t('logs.last60') }, { value: 'range', label: t('logs.range') }]} />
        {last === 'range' && <DatePicker.RangePicker showTime value={range} onChange={v => setRange(v as [Dayjs | null, Dayjs | null] | null)} />}
        <Select value={instance} onChange={setInstance} style={{ width: 220 }} options={[{ value: '', label: `${t('logs.instance')}: ${t('common.all')}` }, ...instances.map(i => ({ value: i, label: i }))]} />
        <Input.Search placeholder={t('logs.query')} value={query} onChange={e => setQuery(e.target.value)} onSearch={() => void fetchLogs()} style={{ width: 420 }} data-testid="logs-search" enterButton={t('common.search')} />
        <Space><Switch checked={tail} onChange={setTail} data-testid="logs-tail" />{t('logs.tail')}</Space>
      </Space>
      {page && <Typography.Text type="secondary" data-testid="logs-total">{t('logs.total', { n: page.total_count })}</Typography.Text>}
      <Table size="small" loading={loading} rowKey={(l, i) => `${l.time}-${i}`} dataSource={page?.logs ?? []} pagination={{ pageSize: 50 }} data-testid="logs-table"
        columns={[
          { title: t('common.time'), dataIndex: 'time', width: 170, render: formatTime },
          { title: t('logs.instance'), dataIndex: 'instance_id', width: 140, render: (v: string) => <Typography.Text code>{v.slice(0, 12)}</Typography.Text> },
          { title: t('logs.stream'), dataIndex: 'stream', width: 80 },
          { title: t('logs.content'), dataIndex: 'content', render: (v: string) => <span style={{ fontFamily: 'monospace', whiteSpace: 'pre-wrap' }}>{v}</span> },
        ]} />
    </Space>
  );
}
