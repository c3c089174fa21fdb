// IPC channels of the app frame: version, token modules, tokens and login.
import { z } from 'zod';

const distinguishedName = z.object({
  commonName: z.string().optional(),
  organization: z.string().optional(),
  organizationalUnits: z.array(z.string()),
  title: z.string().optional(),
  locality: z.string().optional(),
  state: z.string().optional(),
  country: z.string().optional(),
  email: z.string().optional(),
  uids: z.array(z.string()),
  text: z.string(),
  attributes: z.array(z.object({ oid: z.string(), name: z.string(), value: z.string() })),
});

export const certificateInfoSchema = z.object({
  subject: distinguishedName,
  issuer: distinguishedName,
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  keyUsage: z.array(z.string()).optional(),
  extendedKeyUsage: z.array(z.string()).optional(),
  publicKey: z.object({ type: z.enum(['rsa', 'ec', 'other']), bits: z.number(), curve: z.string().optional() }),
  vietnameseIds: z.object({
    cmnd: z.string().optional(),
    cccd: z.string().optional(),
    passport: z.string().optional(),
    taxCode: z.string().optional(),
    budgetCode: z.string().optional(),
  }),
  isCA: z.boolean(),
  sha256: z.string(),
  der: z.string(),
});

const tokenFlags = z.object({
  tokenInitialized: z.boolean(),
  loginRequired: z.boolean(),
  userPinInitialized: z.boolean(),
  protectedAuthenticationPath: z.boolean(),
  userPinCountLow: z.boolean(),
  userPinFinalTry: z.boolean(),
  userPinLocked: z.boolean(),
  userPinToBeChanged: z.boolean(),
  writeProtected: z.boolean(),
});

export const tokenDescriptorSchema = z.object({
  modulePath: z.string(),
  slotId: z.string(),
  label: z.string(),
  serial: z.string(),
  manufacturer: z.string(),
  model: z.string(),
  flags: tokenFlags,
});

const tokenCertificate = z.object({
  id: z.string(),
  label: z.string(),
  certificate: certificateInfoSchema,
  privateKey: z.enum(['present', 'absent', 'unknown']),
  alwaysAuthenticate: z.boolean().optional(),
});

export const moduleReportSchema = z.object({
  path: z.string(),
  vendor: z.string(),
  loaded: z.boolean(),
  error: z.object({ code: z.string(), messageVi: z.string(), messageEn: z.string() }).optional(),
  tokens: z.array(tokenDescriptorSchema.extend({ certificates: z.array(tokenCertificate) })),
});

const tokenRef = z.object({ modulePath: z.string().min(1).max(4096), serial: z.string().max(64), label: z.string().max(64) });

export const appChannels = {
  'app.info': {
    request: z.object({}),
    response: z.object({ version: z.string(), platform: z.string(), arch: z.string() }),
  },
  'modules.candidates': {
    request: z.object({}),
    response: z.array(z.object({ vendor: z.string(), path: z.string(), present: z.boolean(), userAdded: z.boolean() })),
  },
  'tokens.list': {
    request: z.object({ modulePaths: z.array(z.string().min(1).max(4096)).max(32).optional() }),
    response: z.array(moduleReportSchema),
  },
  'tokens.login': {
    // The PIN crosses IPC once, goes to the token, and is never logged or kept.
    request: tokenRef.extend({ pin: z.string().min(1).max(64) }),
    response: z.object({ loggedIn: z.boolean() }),
  },
  'tokens.logout': {
    request: tokenRef,
    response: z.object({ loggedIn: z.boolean() }),
  },
} as const;

export const appEvents = {
  'tokens.changed': z.object({ type: z.enum(['inserted', 'removed']), token: tokenDescriptorSchema }),
} as const;
