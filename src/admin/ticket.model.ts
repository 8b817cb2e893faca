import { modelOnce } from '../db/model';
import mongoose, { Model } from 'mongoose';

/** Tickets from Administrator launches that were already exchanged for a session: each works once. */
interface UsedTicket {
  _id: string; // the ticket's jti
  expiresAt: Date;
}

const usedTicketSchema = new mongoose.Schema<UsedTicket>({
  _id: { type: String, required: true },
  expiresAt: { type: Date, required: true, expires: 0 }, // gone once the ticket could no longer be used anyway
});

export const UsedInstallerTicket: Model<UsedTicket> =
  modelOnce<UsedTicket>('UsedInstallerTicket', usedTicketSchema);

/** Installer sessions that were signed out: a copy of the cookie no longer works (the token itself lives on). */
const endedSessionSchema = new mongoose.Schema<UsedTicket>({
  _id: { type: String, required: true },
  expiresAt: { type: Date, required: true, expires: 0 },
});

export const EndedInstallerSession: Model<UsedTicket> =
  modelOnce<UsedTicket>('EndedInstallerSession', endedSessionSchema);
