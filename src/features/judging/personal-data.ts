import mongoose from 'mongoose';
import { DELETED_USER, type ErasedPerson } from '../../shared/personal-data.ts';
import { Appeal } from './appeals.model.ts';
import { Scorecard } from './judging.model.ts';
import { Winners } from './winners.model.ts';

/** A judge's scorecards, and the appeals the person made. */
export async function judgingData(userId: string) {
  const id = new mongoose.Types.ObjectId(userId);
  const scorecards = (await Scorecard.find({ judgeId: id }).lean()).map((card) => ({
    ideaId: String(card.ideaId),
    challengeId: String(card.challengeId),
    criteria: card.criteria,
    comment: card.comment,
    privateNote: card.privateNote,
    status: card.status,
    submittedAt: card.submittedAt,
  }));
  const appeals = (await Appeal.find({ byId: id }).lean()).map((appeal) => ({ ideaId: appeal._id, text: appeal.text, at: appeal.at, answer: appeal.answer?.text ?? null }));
  return { scorecards, appeals };
}

/** Scorecards stay (the results were decided with them); the name copied on appeals and answers goes. */
export async function eraseJudgingData(person: ErasedPerson): Promise<void> {
  const id = new mongoose.Types.ObjectId(person.userId);
  await Appeal.updateMany({ byId: id }, { $set: { byName: DELETED_USER } });
  await Appeal.updateMany({ 'answer.byId': id }, { $set: { 'answer.byName': DELETED_USER } });
  await Winners.updateMany({ announcedByName: person.name }, { $set: { announcedByName: DELETED_USER } });
}
