import { invalid } from './errors.js';

export const ConversationType = Object.freeze({ UNKNOWN: 0, P2P: 1, TEAM: 2, SUPER_TEAM: 3 });

// ConversationIdUtil builds and parses `accountId|type|targetId` synchronously,
// without the module (apps use it before open). The same rules are in
// core/ids.go; testdata/conversation-ids.json holds the cases both must agree on.
export class ConversationIdUtil {
  static p2pConversationId(accountId, targetId) {
    return build(accountId, ConversationType.P2P, targetId);
  }
  static teamConversationId(accountId, teamId) {
    return build(accountId, ConversationType.TEAM, teamId);
  }
  static superTeamConversationId(accountId, superTeamId) {
    return build(accountId, ConversationType.SUPER_TEAM, superTeamId);
  }
  static parseConversationType(conversationId) {
    return parse(conversationId).type;
  }
  static parseConversationTargetId(conversationId) {
    return parse(conversationId).targetId;
  }
}

function build(accountId, type, targetId) {
  if (typeof accountId !== 'string' || accountId === '') throw invalid('accountId must be a non-empty string');
  if (accountId.includes('|')) throw invalid(`accountId ${JSON.stringify(accountId)} must not contain '|'`);
  if (typeof targetId !== 'string' || targetId === '') throw invalid('targetId must be a non-empty string');
  return `${accountId}|${type}|${targetId}`;
}

function parse(id) {
  if (typeof id !== 'string') throw invalid('conversationId must be a string');
  const first = id.indexOf('|');
  if (first <= 0) throw invalid(`conversationId ${JSON.stringify(id)} is not of the form accountId|type|targetId`);
  const second = id.indexOf('|', first + 1);
  const type = id.slice(first + 1, second);
  if (second < 0 || !/^[123]$/.test(type)) {
    throw invalid(`conversationId ${JSON.stringify(id)} has no conversation type 1, 2 or 3`);
  }
  const targetId = id.slice(second + 1);
  if (targetId === '') throw invalid(`conversationId ${JSON.stringify(id)} has an empty targetId`);
  return { type: Number(type), targetId };
}
