import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const colors: Record<string, string> = {
  published: 'green', running: 'green', finished: 'green', ready: 'green', normal: 'green', ok: 'green', SUCCESS: 'green',
  publishing: 'blue', building: 'blue', deploying: 'blue', starting: 'blue', stopping: 'orange', deleting: 'orange', RUNNING: 'blue',
  concerning: 'orange', notReady: 'orange', firing: 'red', failed: 'red', building_failed: 'red', abnormal: 'red', FAIL: 'red', stopped: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  return <Tag color={colors[status] ?? 'default'} data-status={status}>{t(`status.${status}`, { defaultValue: status })}</Tag>;
}
