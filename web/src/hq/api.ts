import type { HttpClient } from '../api/client.ts';

/** 集团看板 calls: a group's own partition, outside any store. */

export function getGroupFigures(http: HttpClient, groupId: string) {
  return http.data(http.api.GET('/v1/groups/{groupId}/stores/figures', { params: { path: { groupId } } }));
}
