import mongoose from 'mongoose';
import { DELETED_USER, type ErasedPerson } from '../../shared/personal-data.ts';
import { AuditEntry } from './audit.model.ts';

/** Audit entries about the person (their roles, suspension, sign-in links) and by them. */
export async function auditData(userId: string) {
  const entries = await AuditEntry.find({ $or: [{ targetId: userId }, { actorId: new mongoose.Types.ObjectId(userId) }] }).lean();
  return entries.map((entry) => ({
    action: entry.action,
    by: entry.actorName,
    targetType: entry.targetType,
    targetId: entry.targetId,
    before: entry.before,
    after: entry.after,
    reason: entry.reason,
    at: entry.at,
  }));
}

/** The entries stay (what happened, and when); the name and address copied into them go. */
export async function eraseAuditData(person: ErasedPerson): Promise<void> {
  await AuditEntry.updateMany({ actorId: new mongoose.Types.ObjectId(person.userId) }, { $set: { actorName: DELETED_USER } });
  await AuditEntry.updateMany({ targetId: person.userId }, { $set: { targetLabel: DELETED_USER } });
}
