import { modelOnce as model } from '../../db/model';
import mongoose from 'mongoose';

// Plain interfaces: mongoose's InferSchemaType over the nested login-parameters schema exhausts tsc's memory.
export interface LoginParams {
  iss: string;
  login_hint: string;
  target_link_uri: string;
  lti_message_hint?: string;
  client_id?: string;
  lti_deployment_id?: string;
}
export interface LoginStartDoc {
  state: string;
  nonce: string;
  params: LoginParams;
  storageTarget?: string | null;
  platformOrigin: string;
  fromNewWindow: boolean;
  createdAt: Date;
}
export interface PendingStorageLaunchDoc {
  id: string;
  state: string;
  nonce: string;
  issuer: string;
  idToken: string;
  ticket: string;
  createdAt: Date;
}
export interface NewWindowTicketDoc {
  id: string;
  params: LoginParams;
  createdAt: Date;
}
export interface CookielessSessionDoc {
  state: string;
  user: string;
  platformCode: string;
  /** SHA-256 of the secret the launching tab keeps in sessionStorage (bind.ts). */
  bindHash: string;
  createdAt: Date;
}
export interface SessionPassDoc {
  hash: string;
  state: string;
  createdAt: Date;
}

/** Login parameters a VLE sent, kept so that the new window can start the same login again. */
const loginParamsSchema = new mongoose.Schema(
  {
    iss: { type: String, required: true },
    login_hint: { type: String, required: true },
    target_link_uri: { type: String, required: true },
    lti_message_hint: String,
    client_id: String,
    lti_deployment_id: String,
  },
  { _id: false },
);

/**
 * Each login the tool answered, keyed by ltijs's state: what the VLE asked for and whether the state and
 * nonce were also put in the VLE's platform storage. Used once, by the launch that answers it.
 */
const loginStartSchema = new mongoose.Schema({
  state: { type: String, required: true },
  nonce: { type: String, required: true },
  params: { type: loginParamsSchema, required: true },
  /** lti_storage_target when the VLE offered platform storage and the tool used it, else null. */
  storageTarget: { type: String, default: null },
  /** Origin of the VLE's OIDC authorisation endpoint: the only origin whose storage answers count. */
  platformOrigin: { type: String, required: true },
  /** This login was started again from the new window (so a missing cookie there means cookies are off). */
  fromNewWindow: { type: Boolean, default: false },
  createdAt: { type: Date, default: Date.now, expires: 600 },
});
loginStartSchema.index({ state: 1 }, { unique: true });
loginStartSchema.index({ nonce: 1 });

/** A launch that arrived without the state cookie, waiting for the page to fetch the state from platform storage. */
const pendingStorageLaunchSchema = new mongoose.Schema({
  id: { type: String, required: true },
  state: { type: String, required: true },
  nonce: { type: String, required: true },
  issuer: { type: String, required: true },
  idToken: { type: String, required: true },
  /** The new-window ticket the page offers if the storage does not answer; removed when it does. */
  ticket: { type: String, required: true },
  createdAt: { type: Date, default: Date.now, expires: 120 },
});
pendingStorageLaunchSchema.index({ id: 1 }, { unique: true });

/** A one-use ticket the "open in a new window" button carries: the login to start again, top-level. */
const newWindowTicketSchema = new mongoose.Schema({
  id: { type: String, required: true },
  params: { type: loginParamsSchema, required: true },
  createdAt: { type: Date, default: Date.now, expires: 600 },
});
newWindowTicketSchema.index({ id: 1 }, { unique: true });

/** How long a session without cookies lasts: shorter than a cookie session, as its ltik sits in the address. */
export const COOKIELESS_SESSION_SECONDS = 2 * 3600;

/**
 * A session whose launch was proved through platform storage: its ltik stands without ltijs's session cookie, but a
 * page is only opened for the browser tab that holds the session's secret (bind.ts), so a copied address is useless.
 */
const cookielessSessionSchema = new mongoose.Schema({
  state: { type: String, required: true },
  user: { type: String, required: true },
  platformCode: { type: String, required: true },
  bindHash: { type: String, required: true },
  createdAt: { type: Date, default: Date.now, expires: COOKIELESS_SESSION_SECONDS },
});
cookielessSessionSchema.index({ state: 1 }, { unique: true });

/** A one-time pass for one page of a cookieless session, given to the tab that proved its secret (bind.ts). */
const sessionPassSchema = new mongoose.Schema({
  hash: { type: String, required: true },
  state: { type: String, required: true },
  createdAt: { type: Date, default: Date.now, expires: 60 },
});
sessionPassSchema.index({ hash: 1 }, { unique: true });

export const LoginStart = model<LoginStartDoc>('LoginStart', loginStartSchema);
export const PendingStorageLaunch = model<PendingStorageLaunchDoc>('PendingStorageLaunch', pendingStorageLaunchSchema);
export const NewWindowTicket = model<NewWindowTicketDoc>('NewWindowTicket', newWindowTicketSchema);
export const CookielessSession = model<CookielessSessionDoc>('CookielessSession', cookielessSessionSchema);
export const SessionPass = model<SessionPassDoc>('SessionPass', sessionPassSchema);
