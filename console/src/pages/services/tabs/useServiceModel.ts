import type { ServiceDetail } from '../../../api/types';
import { useApi } from '../../../session';
import { useLoad } from '../../../lib/useLoad';
import { fileFields, parseApis } from '../../../lib/schema';

/** The first version's model details and its first API: what the call guide and prediction tab describe. */
export function useServiceModel(service: ServiceDetail) {
  const client = useApi();
  const model = useLoad(() => client.getModel(service.config[0].model_id), [service.config[0]?.model_id]);
  const apis = parseApis(model.data?.apis);
  const api = apis[0];
  const path = api && api.url && api.url !== '/' ? api.url : '';
  const files = fileFields(api?.request?.data);
  return { model: model.data, apis, api, path, files };
}
