// NetEase's UIKit store (@xkit-yx/im-store-v2) fed from localconv/nim
// (js/nim.d.ts). Never run: test/nim-types.test.mjs compiles it against the
// SDK 10.9.77-alpha.4, which the store needs, with skipLibCheck as an app with
// the store must (its declarations import names that SDK releases lack, and
// its package's "typings" names a file it does not ship, hence the deep path).
import RootStore, {
  type LocalConversationStore,
  type V2NIMLocalConversationForUI,
} from '@xkit-yx/im-store-v2/dist/types/src/index';
// The store takes the SDK's dist/esm NIM, as its own declarations import it.
import type { NIM } from 'nim-web-sdk-ng/dist/esm/nim';
import * as local from '../../js/nim.js';

declare const nim: NIM;
declare const ours: local.NIMLocalConversation;

export async function feedStore(): Promise<local.V2NIMLocalConversation[]> {
  const root = new RootStore(nim);
  const store: LocalConversationStore | null = root.localConversationStore;
  const service = ours.V2NIMLocalConversationService;
  const { conversationList } = await service.getConversationList(0, 100);
  store?.addConversation(conversationList);
  service.on('onConversationChanged', (list) => store?.updateConversation(list));
  service.on('onConversationCreated', (conversation) => store?.addConversation([conversation]));
  service.on('onConversationDeleted', (ids) => store?.removeConversation(ids));
  local.attachToNIM(nim, { placement: 'sharedWorker' });
  const shown: V2NIMLocalConversationForUI[] = [...(store?.conversations.values() ?? [])];
  // @ts-expect-error the store's conversations are typed: an id alone is not one
  store?.addConversation([{ conversationId: 'alice|1|bob' }]);
  return shown;
}
