import { Button, Tooltip, type ButtonProps } from 'antd';
import { useTranslation } from 'react-i18next';

/** A button that is disabled with the reason as its tooltip (R-S10: actions a status does not allow). */
export function ActionButton({ why, status, ...props }: ButtonProps & { why: string | null; status?: string }) {
  const { t } = useTranslation();
  const button = <Button {...props} disabled={!!why || props.disabled} />;
  return why ? <Tooltip title={t(why, { status: t(`status.${status}`, { defaultValue: status }) })}><span>{button}</span></Tooltip> : button;
}
