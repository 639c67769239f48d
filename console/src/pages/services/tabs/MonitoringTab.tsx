import { useMemo, useState } from 'react';
import { Col, Empty, Row, Select, Space, Card } from 'antd';
import { useTranslation } from 'react-i18next';
import type { EChartsOption } from 'echarts';
import dayjs from 'dayjs';
import type { MetricPoint, ServiceDetail } from '../../../api/types';
import { Chart } from '../../../components/Chart';
import { useApi } from '../../../session';
import { useLoad } from '../../../lib/useLoad';

type Series = { name: string; field: keyof MetricPoint; scale?: number };

function lineOption(points: MetricPoint[], series: Series[], start: number, end: number): EChartsOption {
  return {
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 50, right: 20, top: 30, bottom: 30 },
    xAxis: { type: 'time', min: start, max: end, axisLabel: { formatter: (v: number) => dayjs(v).format('HH:mm') } },
    yAxis: { type: 'value', minInterval: 1 },
    series: series.map(s => ({
      name: s.name, type: 'line', showSymbol: points.length < 30, connectNulls: false,
      data: points.filter(p => p[s.field] !== undefined).map(p => [p.timestamp, Number(p[s.field]) * (s.scale ?? 1)]),
    })),
  };
}

/** Monitoring (R-S13, seed 003 §5.1): per-minute charts per service or per version, with Apache ECharts. */
export function MonitoringTab({ service }: { service: ServiceDetail }) {
  const { t } = useTranslation();
  const client = useApi();
  const [last, setLast] = useState('60m');
  const [scope, setScope] = useState('');
  const metrics = useLoad(() => client.metrics(service.service_id, last), [service.service_id, last], 10000);
  const m = metrics.data;
  const points = useMemo(() => (scope ? m?.versions.find(v => v.model_id === scope)?.metrics : m?.metrics) ?? [], [m, scope]);
  const start = m?.start_time ?? Date.now() - 3600_000, end = m?.end_time ?? Date.now();
  const calls = points.reduce((sum, p) => sum + (p.total_called_times ?? 0), 0);
  const charts: { title: string; series: Series[]; id: string }[] = [
    { id: 'chart-calls', title: t('monitoring.calls'), series: [
      { name: t('monitoring.total'), field: 'total_called_times' }, { name: t('monitoring.success'), field: 'successfully_called_times' }, { name: t('monitoring.failed'), field: 'failed_called_times' }] },
    { id: 'chart-codes', title: t('monitoring.codes'), series: [{ name: '2xx', field: 'req_count_2xx' }, { name: '4xx', field: 'req_count_4xx' }, { name: '5xx', field: 'req_count_5xx' }] },
    { id: 'chart-latency', title: t('monitoring.latency'), series: [{ name: 'avg_latency', field: 'avg_latency' }] },
    { id: 'chart-cpu', title: t('monitoring.cpu'), series: [{ name: 'cpu_usage', field: 'cpu_usage' }] },
    { id: 'chart-memory', title: t('monitoring.memory'), series: [{ name: 'memory', field: 'memory_bytes', scale: 1 / 1048576 }] },
  ];
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space>
        {t('monitoring.scope')}:
        <Select value={scope} onChange={setScope} style={{ width: 260 }} data-testid="metrics-scope" options={[
          { value: '', label: t('monitoring.service') }, ...(m?.versions ?? []).map(v => ({ value: v.model_id, label: `${v.model_name} ${v.model_version}` }))]} />
        {t('monitoring.range')}:
        <Select value={last} onChange={setLast} style={{ width: 140 }} options={[
          { value: '60m', label: t('logs.last60') }, { value: '3h', label: '3h' }, { value: '12h', label: '12h' }, { value: '1d', label: '1d' }]} />
      </Space>
      {calls === 0 && <Empty description={t('monitoring.noData')} />}
      <Row gutter={[16, 16]}>
        {charts.map(c => (
          <Col span={12} key={c.id}>
            <Card size="small" title={c.title}>
              <Chart testId={c.id} option={lineOption(points, c.series, start, end)}
                points={points.filter(p => c.series.some(s => p[s.field] !== undefined && Number(p[s.field]) > 0)).length} />
            </Card>
          </Col>
        ))}
      </Row>
    </Space>
  );
}
