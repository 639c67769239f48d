import { App, Space, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { ServiceListItem } from '../../api/types';
import { ActionButton } from '../../components/ActionButton';
import { whyNot } from '../../lib/serviceRules';
import { useApi } from '../../session';
import { useAction } from '../../lib/useLoad';

/** Start / stop / restart / modify / delete buttons of a service with the R-S10 rules (disabled with the reason). */
export function ServiceActions({ service, onDone, onDeleted, size = 'small', batch = false }: {
  service: ServiceListItem; onDone: () => void; onDeleted?: () => void; size?: 'small' | 'middle'; batch?: boolean;
}) {
  const { t } = useTranslation();
  const client = useApi();
  const run = useAction();
  const navigate = useNavigate();
  const { modal } = App.useApp();
  const s = service;
  const act = async (action: () => Promise<unknown>, ok: string, then = onDone) => { if (await run(action, ok)) then(); };
  const confirm = (title: string, action: () => Promise<unknown>, ok: string, danger = false, then = onDone) =>
    modal.confirm({ title, okButtonProps: { danger, 'data-testid': 'confirm-ok' } as ButtonProps, onOk: () => act(action, ok, then) });
  const type = batch ? 'batch' : 'real-time';
  return (
    <Space size="small" wrap>
      <ActionButton size={size} why={whyNot('start', s.status, type)} status={s.status} data-testid="action-start"
        onClick={() => void act(() => client.updateService(s.service_id, { status: 'running' }), t('services.started'))}>{t('services.start')}</ActionButton>
      <ActionButton size={size} why={whyNot('stop', s.status, type)} status={s.status} data-testid="action-stop"
        onClick={() => confirm(t('services.confirmStop', { name: s.service_name }), () => client.updateService(s.service_id, { status: 'stopped' }), t('services.stopped'))}>{t('services.stop')}</ActionButton>
      {!batch && <ActionButton size={size} why={whyNot('restart', s.status, type)} status={s.status} data-testid="action-restart"
        onClick={() => confirm(t('services.confirmRestart', { name: s.service_name }), () => client.restartService(s.service_id), t('services.restarted'))}>{t('services.restart')}</ActionButton>}
      {!batch && <ActionButton size={size} why={whyNot('modify', s.status, type)} status={s.status} data-testid="action-modify"
        onClick={() => navigate(`/services/deploy?modify=${s.service_id}`)}>{t('services.modify')}</ActionButton>}
      <ActionButton size={size} danger why={whyNot('delete', s.status, type)} status={s.status} data-testid="action-delete"
        onClick={() => confirm(t('common.confirmDelete', { name: s.service_name }), () => client.deleteService(s.service_id), t('services.deleted'), true, onDeleted ?? onDone)}>{t('common.delete')}</ActionButton>
    </Space>
  );
}
