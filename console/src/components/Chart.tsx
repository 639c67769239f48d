import { useEffect, useRef } from 'react';
import * as echarts from 'echarts';

/** An Apache ECharts chart that follows its options and the container's size. */
export function Chart({ option, height = 260, testId, points }: { option: echarts.EChartsOption; height?: number; testId?: string; points?: number }) {
  const element = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  useEffect(() => {
    chart.current = echarts.init(element.current!);
    const resize = new ResizeObserver(() => chart.current?.resize());
    resize.observe(element.current!);
    return () => { resize.disconnect(); chart.current?.dispose(); };
  }, []);
  useEffect(() => { chart.current?.setOption(option, true); }, [option]);
  return <div ref={element} style={{ width: '100%', height }} data-testid={testId} data-points={points} />;
}
